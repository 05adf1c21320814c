import { ThemeDefinition } from './theme-definition';

/**
 * The themes every organisation starts with (the codebook in docs/themes.md says what each one
 * covers). Keywords are single words, matched with their inflections (price → prices, priced,
 * pricing) and one-letter typos from five letters on; phrases are words in order, with one extra
 * word allowed between two of them; exclusions are phrases in which a keyword means something else.
 */
export const DEFAULT_THEMES: readonly ThemeDefinition[] = Object.freeze([
  {
    code: 'price',
    name: 'Price',
    keywords: [
      'price', 'pricing', 'pricey', 'pricy', 'overpriced', 'underpriced', 'expensive', 'inexpensive', 'cheap', 'cheaper',
      'cheapest', 'affordable', 'unaffordable', 'afford', 'cost', 'costly', 'fee', 'discount', 'coupon', 'voucher',
      'budget', 'ripoff', 'steep', 'bargain', 'tariff', 'overpay', 'overpaying',
    ],
    phrases: [
      'value for money', 'good value', 'great value', 'best value', 'poor value', 'bad value', 'worth the money',
      'worth every penny', 'waste of money', 'for the money', 'save money', 'pay more', 'pay less', 'too much money',
      'rip off', 'free shipping', 'free delivery', 'free trial', 'for free', 'free of charge', 'good deal', 'great deal',
      'better deal', 'best deal', 'bad deal', 'what you pay', 'what i pay', 'you get what you pay for',
    ],
    exclusions: [
      'steep learning curve', 'feels cheap', 'looks cheap', 'cheaply made', 'cheap material', 'cheap plastic',
      'cheap quality', 'at all costs', 'cost me',
    ],
  },
  {
    code: 'billing',
    name: 'Billing',
    keywords: [
      'bill', 'billing', 'invoice', 'invoicing', 'charge', 'overcharge', 'surcharge', 'chargeback', 'refund', 'reimburse',
      'reimbursement', 'payment', 'repayment', 'receipt', 'statement', 'debit', 'debited', 'paypal', 'transaction',
      'renewal', 'overdue', 'arrears', 'prorated',
    ],
    phrases: [
      'direct debit', 'credit card', 'debit card', 'card details', 'payment details', 'bank transfer', 'money back',
      'take money', 'took money', 'taken money', 'auto renewal', 'automatic renewal', 'late fee', 'payment method',
      'pay with', 'paid by', 'paid with', 'pay by', 'account balance', 'charged twice', 'double charged',
    ],
    exclusions: ['in charge', 'free of charge', 'charging cable', 'charging port', 'battery charging', 'mission statement'],
  },
  {
    code: 'support_wait',
    name: 'Waiting for support',
    keywords: ['wait', 'queue', 'callback', 'unanswered', 'unresponsive', 'responsive', 'reply', 'respond', 'response'],
    phrases: [
      'on hold', 'hold music', 'hold time', 'wait time', 'waiting time', 'response time', 'get through', 'got through',
      'getting through', 'get hold of', 'got hold of', 'reach someone', 'reach anyone', 'reach somebody',
      'reach a human', 'reach a person', 'reach support', 'reach you', 'reach customer service', 'line busy',
      'always busy', 'call me back', 'called me back', 'never called back', 'no answer', 'nobody answers',
      'never answered', 'answer the phone', 'answered quickly', 'answered immediately', 'answered right away',
      'answered fast', 'answers fast', 'heard back', 'hear back', 'get back to me', 'got back to me', 'first ring',
      'one ring', 'pick up the phone', 'hard to reach', 'difficult to reach', 'impossible to reach', 'slow to answer',
    ],
    pattern:
      '\\b(anyone|someone|somebody|nobody|no one|agent|they|she|he) (picked up|answered|replied|responded|got back|called back)\\b' +
      '|\\btook [a-z0-9]{1,7} (minutes|hours|days|weeks) to (answer|reply|respond|get back|call back|pick up)\\b',
    exclusions: [
      'cant wait', 'cannot wait', 'couldnt wait', 'can hardly wait', 'wait and see', 'wait for refund', 'wait for parcel',
      'wait for package', 'wait for order', 'wait for delivery', 'wait for item', 'wait for money', 'in response to',
    ],
  },
  {
    code: 'resolution',
    name: 'Resolution',
    keywords: [
      'resolve', 'resolution', 'unresolved', 'fix', 'unfixed', 'solve', 'unsolved', 'solution', 'sort', 'escalate',
      'escalation', 'workaround', 'troubleshoot', 'troubleshooting',
    ],
    phrases: [
      'root cause', 'first call',
      'first contact', 'one call', 'called again', 'call again', 'had to call', 'explain problem', 'explain issue',
      'explain again', 'repeat myself', 'problem came back', 'issue came back', 'problem still', 'issue still',
      'still not working', 'nothing gets done', 'nothing was done', 'nothing happened', 'take ownership',
      'took ownership', 'ticket closed', 'closed ticket', 'case closed', 'got nowhere', 'went nowhere',
      'took care of it', 'passed around', 'bounced around', 'kept transferring', 'error corrected', 'mistake corrected',
      'corrected the error', 'corrected the mistake',
    ],
    pattern: '\\b(transferred|passed|bounced|shuffled) (around|between|from one|to another|\\d{1,3} times|[a-z]{3,6} times)\\b',
    exclusions: ['screen resolution', 'high resolution', 'low resolution', 'sort of', 'all sorts', 'some sort', 'any sort', 'what sort', 'sort by', 'sort order', 'fixed price', 'fixed fee', 'fixed term'],
  },
  {
    code: 'delivery',
    name: 'Delivery',
    keywords: [
      'delivery', 'deliver', 'undelivered', 'redelivery', 'shipping', 'ship', 'shipment', 'courier', 'parcel', 'package',
      'packaging', 'postage', 'dispatch', 'tracking', 'arrive', 'arrival', 'driver', 'postman', 'mailman',
      'doorstep', 'dhl', 'fedex', 'usps', 'transit', 'box', 'wrapped', 'damaged',
    ],
    phrases: [
      'missing item', 'missing parts', 'item missing', 'items were missing', 'incomplete order', 'order incomplete',
      'wrong order', 'order was wrong', 'wrong address',
      'wrong item', 'came on time', 'came in time', 'came late', 'came early', 'came quickly', 'came damaged',
      'came broken', 'lost in the post', 'well packed', 'badly packed', 'poorly packed', 'packed well',
    ],
    exclusions: [
      'deliver on your promise', 'deliver on their promise', 'deliver on its promise', 'deliver on our promise',
      'deliver on expectation', 'deliver results', 'deliver value', 'track record', 'on track',
      'keep track', 'lost track', 'packed with',
    ],
  },
  {
    code: 'app_website',
    name: 'App or website',
    keywords: [
      'app', 'application', 'website', 'site', 'webpage', 'web', 'online', 'portal', 'login', 'password', 'browser',
      'firefox', 'chrome', 'safari', 'android', 'ios', 'ipad', 'dashboard', 'checkout', 'crash', 'buggy', 'bug',
      'glitch', 'glitchy', 'freeze', 'interface', 'ui', 'ux', 'navigation', 'navigate', 'chatbot', 'notification',
      '2fa', 'download', 'upload', 'button', 'screen', 'webshop', 'loading', 'search',
    ],
    phrases: [
      'log in', 'logged in', 'log out', 'logged out', 'logging out', 'sign in', 'chat bot', 'dark mode', 'two factor',
      'self service',
    ],
    exclusions: ['application process', 'application form', 'load of', 'loads of', 'web of'],
  },
  {
    code: 'product_quality',
    name: 'Product quality',
    keywords: [
      'quality', 'product', 'defect', 'defective', 'faulty', 'broken', 'broke', 'cracked', 'durable', 'durability',
      'sturdy', 'flimsy', 'reliable', 'unreliable', 'reliability', 'leak', 'material', 'fabric', 'craftsmanship',
      'feature', 'fresh', 'freshness', 'tasty', 'taste', 'delicious', 'stale', 'comfortable', 'uncomfortable',
      'battery', 'noisy', 'malfunction', 'warranty',
    ],
    phrases: [
      'stopped working', 'fell apart', 'falls apart', 'broke down', 'as described', 'as advertised', 'what it says',
      'says on the tin', 'well made', 'badly made', 'poorly made', 'cheaply made', 'beautifully made', 'well built',
      'poorly built', 'lasted longer', 'last long',
    ],
    exclusions: [
      'quality of service', 'service quality', 'quality of support', 'broken promise', 'broken english', 'broken link',
    ],
  },
  {
    code: 'staff_friendliness',
    name: 'Staff friendliness',
    keywords: [
      'friendly', 'unfriendly', 'friendliness', 'rude', 'rudely', 'rudeness', 'polite', 'politely', 'impolite',
      'courteous', 'discourteous', 'courtesy', 'respectful', 'disrespectful', 'helpful', 'unhelpful', 'patient',
      'impatient', 'patience', 'kind', 'kindly', 'kindness', 'caring', 'condescending', 'arrogant', 'arrogance',
      'dismissive', 'attitude', 'manners', 'smile', 'empathy', 'empathetic', 'compassionate', 'considerate',
      'knowledgeable', 'unprofessional',
    ],
    phrases: [
      'customer service', 'customer support', 'support team', 'service team', 'customer care', 'extra mile',
      'above and beyond', 'hung up',
    ],
    // A person, then within a few words how they were ("the lady at the desk was lovely"), or the other
    // way round ("such lovely people").
    pattern:
      '\\b(staff|team|people|person|persons|employee|employees|agent|agents|rep|reps|representative|lady|guy|guys|man|woman|girl|manager|technician|engineer|installer|driver|drivers|courier|receptionist|cashier|advisor|adviser|consultant|specialist|colleague|colleagues|everyone|everybody|support|he|she)\\b.{0,30}\\b(nice|lovely|great|brilliant|amazing|fantastic|awesome|wonderful|excellent|superb|terrible|awful|horrible|useless|incompetent|clueless|sweet|pleasant|unpleasant|welcoming|annoyed|angry)\\b' +
      '|\\b(nice|lovely|great|brilliant|amazing|fantastic|awesome|wonderful|excellent|superb|terrible|awful|horrible|useless|incompetent|clueless|sweet|pleasant|unpleasant|welcoming|annoyed|angry)( [a-z]{1,12})? (staff|team|people|person|persons|employee|employees|agent|agents|rep|reps|representative|lady|guy|guys|man|woman|girl|manager|technician|engineer|installer|driver|drivers|courier|receptionist|cashier|advisor|adviser|consultant|specialist|colleague|colleagues|everyone|everybody|support|he|she)\\b',
    exclusions: [
      'kind of', 'any kind', 'some kind', 'all kinds', 'every kind', 'kindly note', 'take care of', 'took care of',
      'taken care of',
    ],
  },
  {
    code: 'onboarding',
    name: 'Onboarding',
    keywords: [
      'onboarding', 'onboard', 'setup', 'install', 'installation', 'installer', 'activation', 'activate', 'registration',
      'register', 'signup', 'enrollment', 'enrolment', 'tutorial', 'training', 'migration', 'migrate', 'implementation',
      'kickoff', 'configure', 'configuration', 'documentation', 'instructions', 'walkthrough', 'orientation', 'import',
      'induction',
    ],
    phrases: [
      'set up', 'setting up', 'get started', 'getting started', 'sign up', 'signing up', 'signed up', 'first week',
      'first day', 'first steps', 'open an account', 'opening the account', 'opened an account', 'account opening',
      'new account', 'go live', 'went live', 'walk through', 'walked us through', 'learning curve', 'how to use',
      'how to begin', 'how to start', 'figure out how', 'at the start', 'in the beginning', 'transfer my number',
      'port my number', 'welcome call', 'welcome email', 'welcome pack', 'welcome kit', 'welcome package',
      'welcome meeting', 'welcome session', 'welcome guide',
    ],
  },
]);
