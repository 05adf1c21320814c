import { Rng } from './random';

export type Category = 'PROMOTER' | 'PASSIVE' | 'DETRACTOR';

interface Theme {
  weight: number;
  /** Ways customers say it; `{agent}` is the frontline person's first name. */
  says: readonly string[];
  /** A short reason, for "Why did you give that score?". */
  why: string;
  /** For detractors: "What is one thing we could have done differently?". */
  instead?: string;
}

type Topic = 'relationship' | 'support' | 'delivery' | 'onboarding' | 'billing' | 'app';

export const TOPIC_OF_SURVEY: Record<string, Topic> = {
  'REL-QUARTERLY': 'relationship',
  'TX-SUPPORT-CALL': 'support',
  'TX-DELIVERY': 'delivery',
  'TX-ONBOARDING': 'onboarding',
  'TX-BILLING': 'billing',
  'TX-APP': 'app',
};

const THEMES: Record<Topic, Record<Category, readonly Theme[]>> = {
  relationship: {
    PROMOTER: [
      { weight: 3, says: ['Reliable every single week, we never run out of anything.', 'Orders always arrive complete. Very reliable service.', 'Reliable partner for three offices now.'], why: 'Reliable service' },
      { weight: 2, says: ['Great value for money compared to our old supplier.', 'Prices are fair and the bundles save us real money.'], why: 'Good value for money' },
      { weight: 2, says: ['Our account manager is proactive and knows our business.', 'Proactive account management, they spot issues before we do.'], why: 'Proactive account manager' },
      { weight: 1, says: ['The ordering app makes restocking effortless.', 'Easy to use, the whole team orders without training.'], why: 'Easy ordering' },
    ],
    PASSIVE: [
      { weight: 2, says: ['Does the job. Nothing special.', 'Fine overall, a few hiccups now and then.', 'Solid, but the competition is catching up.'], why: 'It is fine' },
      { weight: 1, says: ['Prices went up this year, still okay.', 'Good service but a bit expensive for what it is.'], why: 'Price' },
      { weight: 1, says: ['Deliveries are mostly on time, sometimes not.', 'Mostly reliable, the occasional late delivery.'], why: 'Delivery is mostly on time' },
    ],
    DETRACTOR: [
      { weight: 3, says: ['Price increase with no warning. We are looking at alternatives.', 'Too expensive since the last price increase.', 'The renewal price increase was not justified.'], why: 'Price increase', instead: 'Warn us before changing prices' },
      { weight: 2, says: ['Hard to reach anyone when something goes wrong.', 'Support is hard to reach and slow to answer.'], why: 'Hard to reach support', instead: 'Answer the phone faster' },
      { weight: 2, says: ['Too many late deliveries this quarter.', 'Late deliveries again and again, our office ran out of coffee twice.'], why: 'Late deliveries', instead: 'Deliver on the promised day' },
      { weight: 1, says: ['Invoices are confusing and often wrong.', 'We keep getting billing errors.'], why: 'Billing errors', instead: 'Get the invoices right' },
      { weight: 1, says: ['Nobody from your side has checked in with us in a year.', 'We never hear from our account manager.'], why: 'No contact from account manager', instead: 'Check in with us once in a while' },
    ],
  },
  support: {
    PROMOTER: [
      { weight: 3, says: ['{agent} solved it on the first call. Brilliant.', 'Fixed on the first call, no transfers. Thank you {agent}!', 'Quick resolution, the problem was solved in minutes.'], why: 'Solved on the first call' },
      { weight: 3, says: ['{agent} was friendly and patient with me.', 'Very friendly and patient agent.', 'Kind, patient and clear. {agent} made my day.'], why: 'Friendly, patient agent' },
      { weight: 2, says: ['Knowledgeable agent who knew exactly what to do.', '{agent} really knew the product.'], why: 'Knowledgeable agent' },
      { weight: 1, says: ['Hardly any wait time, picked up straight away.', 'Short wait time and a quick answer.'], why: 'Short wait time' },
    ],
    PASSIVE: [
      { weight: 2, says: ['Got there in the end, took a while.', 'Solved, but I had to wait on hold for a bit.'], why: 'Solved, slowly' },
      { weight: 1, says: ['Agent was nice but had to check with a colleague.', 'Okay call, a bit scripted.'], why: 'Okay call' },
    ],
    DETRACTOR: [
      { weight: 3, says: ['Long wait time, 40 minutes on hold.', 'Waited on hold forever before anyone answered.', 'The wait time is ridiculous.'], why: 'Long wait time', instead: 'Pick up the phone faster' },
      { weight: 3, says: ['Issue not resolved, I will have to call again.', 'Still not fixed after two calls.', 'Nobody could solve my problem.'], why: 'Issue not resolved', instead: 'Actually fix the problem' },
      { weight: 2, says: ['Transferred three times and had to repeat myself every time.', 'Kept being transferred between departments.'], why: 'Transferred and had to repeat myself', instead: 'Let one person own my case' },
      { weight: 1, says: ['The agent was rude and dismissive.', 'Felt like the agent did not care at all.'], why: 'Unfriendly agent', instead: 'Listen to the customer' },
    ],
  },
  delivery: {
    PROMOTER: [
      { weight: 3, says: ['Delivered on time as always.', 'Right on time, right to our reception desk.', 'On time and complete.'], why: 'On time' },
      { weight: 2, says: ['Careful packaging, nothing broken.', 'Everything well packed and neatly labelled.'], why: 'Careful packaging' },
      { weight: 1, says: ['The driver was friendly and helpful.', 'Friendly driver, carried everything to the kitchen.'], why: 'Friendly driver' },
    ],
    PASSIVE: [
      { weight: 2, says: ['Arrived a day later than planned, but complete.', 'Fine, the delivery window was a bit wide.'], why: 'A bit late' },
      { weight: 1, says: ['One item missing, the rest was fine.', 'Mostly complete, a small item came later.'], why: 'Incomplete order' },
    ],
    DETRACTOR: [
      { weight: 3, says: ['Late delivery again, nobody told us.', 'Delivery was three days late.', 'Late delivery and no apology.'], why: 'Late delivery', instead: 'Deliver on the promised day' },
      { weight: 2, says: ['Box arrived damaged and half the items were broken.', 'Damaged goods, again.'], why: 'Damaged goods', instead: 'Pack it properly' },
      { weight: 2, says: ['No tracking updates at all, we had no idea where it was.', 'Tracking said delivered but nothing arrived.'], why: 'No tracking updates', instead: 'Keep us informed about the delivery' },
      { weight: 1, says: ['Wrong items delivered.', 'Half the order was wrong.'], why: 'Wrong items', instead: 'Check the order before shipping' },
    ],
  },
  onboarding: {
    PROMOTER: [
      { weight: 3, says: ['{agent} made the setup effortless.', 'Quick setup, we were ordering on day two.', 'Smooth onboarding, great training sessions.'], why: 'Quick, smooth setup' },
      { weight: 2, says: ['The training was excellent and well paced.', 'Great training for our office managers.'], why: 'Great training' },
    ],
    PASSIVE: [
      { weight: 2, says: ['Setup took a little longer than promised.', 'Fine onboarding, some documentation was outdated.'], why: 'Setup a bit slow' },
    ],
    DETRACTOR: [
      { weight: 2, says: ['Setup took weeks longer than promised.', 'Onboarding dragged on for a month.'], why: 'Setup took too long', instead: 'Stick to the onboarding plan' },
      { weight: 2, says: ['Our data migration failed and nobody followed up.', 'Importing our locations was a nightmare.'], why: 'Data migration problems', instead: 'Help us import our data' },
    ],
  },
  billing: {
    PROMOTER: [
      { weight: 2, says: ['Refund processed the same day. Impressive.', 'Quick refund, no questions asked.'], why: 'Quick refund' },
      { weight: 2, says: ['Clear explanation of the invoice.', 'They explained the charges clearly and fixed the error.'], why: 'Clear explanation' },
    ],
    PASSIVE: [
      { weight: 2, says: ['Sorted, but it took two emails.', 'Resolved eventually, the invoice format is still confusing.'], why: 'Resolved, slowly' },
    ],
    DETRACTOR: [
      { weight: 3, says: ['Unexpected charges on the invoice again.', 'We were double charged this month.', 'Hidden fees everywhere.'], why: 'Unexpected charges', instead: 'Stop the surprise charges' },
      { weight: 2, says: ['The refund took weeks to arrive.', 'Still waiting for my refund after a month.'], why: 'Slow refund', instead: 'Refund faster' },
      { weight: 2, says: ['The invoice is confusing, nobody could explain it.', 'Confusing invoice and no clear answer.'], why: 'Confusing invoice', instead: 'Make invoices readable' },
    ],
  },
  app: {
    PROMOTER: [
      { weight: 3, says: ['So easy to use, reordering takes seconds.', 'Easy to use and fast.', 'Love the one-tap reorder.'], why: 'Easy to use' },
      { weight: 1, says: ['The new design is much faster.', 'Fast and reliable app.'], why: 'Fast app' },
    ],
    PASSIVE: [
      { weight: 2, says: ['Works, but search could be better.', 'Decent app, a few missing filters.'], why: 'Search could be better' },
    ],
    DETRACTOR: [
      { weight: 2, says: ['The app crashes when I check out.', 'Keeps crashing on my phone.'], why: 'App crashes', instead: 'Fix the crashes' },
      { weight: 2, says: ['Very slow to load the catalogue.', 'Slow app, pages take forever.'], why: 'Slow app', instead: 'Make it faster' },
      { weight: 1, says: ['Missing feature: no way to set a monthly budget per office.', 'I cannot approve orders from my phone.'], why: 'Missing feature', instead: 'Add budget controls' },
    ],
  },
};

const COMMENT_CHANCE: Record<Category, number> = { PROMOTER: 0.5, PASSIVE: 0.35, DETRACTOR: 0.72 };

export interface Verbatim {
  comment: string | null;
  followUps: { question: string; answer: string }[];
}

function pickTheme(rng: Rng, themes: readonly Theme[], boost?: string): Theme {
  const weights: Record<string, number> = {};
  themes.forEach((t, i) => (weights[String(i)] = t.weight * (boost && t.why === boost ? 4 : 1)));
  return themes[Number(rng.weighted(weights))];
}

/**
 * A plausible verbatim and follow-up answers for a response: promoters praise, detractors
 * complain, passives are lukewarm. Not every response has a comment; some have follow-ups.
 */
export function verbatimFor(rng: Rng, surveyCode: string, category: Category, opts: { agentFirstName?: string; boostTheme?: string } = {}): Verbatim {
  const topic = TOPIC_OF_SURVEY[surveyCode];
  const theme = pickTheme(rng, THEMES[topic][category], opts.boostTheme);
  let comment: string | null = null;
  if (rng.chance(COMMENT_CHANCE[category])) {
    const text = rng.pick(theme.says);
    comment = text.includes('{agent}') ? (opts.agentFirstName ? text.replaceAll('{agent}', opts.agentFirstName) : null) : text;
    comment ??= rng.pick(theme.says.filter((s) => !s.includes('{agent}')).concat(theme.why + '.'));
  }
  const followUps: Verbatim['followUps'] = [];
  if (rng.chance(category === 'DETRACTOR' ? 0.45 : 0.25)) {
    followUps.push({ question: 'Why did you give that score?', answer: theme.why });
    if (theme.instead && rng.chance(0.7)) followUps.push({ question: 'What is one thing we could have done differently?', answer: theme.instead });
  }
  return { comment, followUps };
}
