import { DEFAULT_THEMES } from './default-themes';
import { MAX_EXAMINED_TEXT_LENGTH } from './normalize';
import { compileThemes, findThemeMentions, tagText, ThemeDefinitionError } from './tagger';
import { ThemeDefinition } from './theme-definition';

const tags = (text: string) => tagText(text, DEFAULT_THEMES);

describe('tagText with the default themes', () => {
  it('ignores case, accents and punctuation', () => {
    expect(tags('DELIVERY!!!')).toEqual(['delivery']);
    expect(tags('Le délivéry était rapide')).toEqual(['delivery']);
    expect(tags('the...price???')).toEqual(['price']);
    expect(tags('The app’s login screen')).toEqual(['app_website']);
  });

  it('matches inflections of keywords and phrases', () => {
    expect(tags('They shipped it the same week')).toEqual(['delivery']);
    expect(tags('Prices keep going up')).toEqual(['price']);
    expect(tags('I was billed twice')).toEqual(['billing']);
    expect(tags('Waited for ages in the queues')).toEqual(['support_wait']);
    expect(tags('The problems were resolved')).toEqual(['resolution']);
    expect(tags('good value for the money')).toEqual(['price']); // one extra word inside a phrase
  });

  it('reads common typos in longer words', () => {
    expect(tags('delivary was late')).toEqual(['delivery']);
    expect(tags('the webiste is slow')).toEqual(['app_website']);
    expect(tags('biling is a mess')).toEqual(['billing']);
    expect(tags('very frendly staff')).toEqual(['staff_friendliness']);
    expect(tags('the instalation was quick')).toEqual(['onboarding']);
  });

  it('does not read ordinary words as typos of theme words', () => {
    expect(tags('Shopping with you is a pleasure')).toEqual([]); // not shipping
    expect(tags('Nothing changed since last year')).toEqual([]); // not charged
    expect(tags('It works mostly')).toEqual([]); // not costly
    expect(tags('I was writing a review')).toEqual([]); // not waiting
    expect(tags('Not my fault, I know')).toEqual([]); // not faulty
    expect(tags('The prize draw was fun')).toEqual([]); // short words need their own spelling
  });

  it('counts negated mentions: a theme is a topic, praise or complaint alike', () => {
    expect(tags('Not expensive at all')).toEqual(['price']);
    expect(tags('No problem with the delivery')).toEqual(['delivery']);
    expect(tags('Never had an issue with billing')).toEqual(['billing']);
    expect(tags("Didn't have to wait at all")).toEqual(['support_wait']);
    const [mention] = findThemeMentions('Not expensive at all', DEFAULT_THEMES);
    expect(mention).toMatchObject({ code: 'price', term: 'expensive', negated: true });
    expect(findThemeMentions('Expensive, but not bad', DEFAULT_THEMES)[0].negated).toBe(false);
    // Negation does not reach across a clause: "not" belongs to "bad" here.
    expect(findThemeMentions('Not bad, but the delivery was slow', DEFAULT_THEMES)[0]).toMatchObject({ code: 'delivery', negated: false });
  });

  it('skips words used for something else (exclusions)', () => {
    expect(tags("Can't wait to see what you do next")).toEqual([]);
    expect(tags('You always deliver on your promises')).toEqual([]);
    expect(tags('It was kind of slow')).toEqual([]);
    expect(tags('They took care of it')).toEqual(['resolution']); // not staff (caring)
    expect(tags('The agent did not care at all')).toEqual(['staff_friendliness']);
    expect(tags('Feels cheap and flimsy')).toEqual(['product_quality']);
    expect(tags('Still waiting for my refund')).toEqual(['billing']);
  });

  it('tags several themes in one response, in definition order', () => {
    expect(tags('Great price, fast delivery, the quality is amazing')).toEqual(['price', 'delivery', 'product_quality']);
    expect(tags('After 50 minutes on hold the agent was rude and nothing was fixed')).toEqual([
      'support_wait',
      'resolution',
      'staff_friendliness',
    ]);
  });

  it('joins hyphenated words and keeps phrases within punctuation', () => {
    expect(tags('Could not log-in')).toEqual(['app_website']);
    expect(tags('The set-up took days')).toEqual(['onboarding']);
    expect(tags('I was on. Hold on, let me think')).toEqual([]);
  });

  it('finds nothing in empty or theme-free text', () => {
    expect(tags('')).toEqual([]);
    expect(tags('   ')).toEqual([]);
    expect(tags('5 stars, keep it up')).toEqual([]);
  });

  it('examines at most MAX_EXAMINED_TEXT_LENGTH characters of a 100 KB text', () => {
    const filler = 'lorem ipsum dolor sit amet '.repeat(4000); // 108,000 characters
    expect(tags(`${filler} delivery`)).toEqual([]);
    expect(tags(`price ${filler} delivery`)).toEqual(['price']);
    expect(tags(`${'x'.repeat(MAX_EXAMINED_TEXT_LENGTH - 6)} price ${filler}`)).toEqual(['price']); // its last letter is the last examined
    expect(tags(`${'x'.repeat(MAX_EXAMINED_TEXT_LENGTH)} price`)).toEqual([]);
    // One 100,000-letter word: no typo search on it, no runaway.
    expect(tags('w'.repeat(100_000))).toEqual([]);
  });
});

describe('custom themes', () => {
  const sustainability: ThemeDefinition = {
    code: 'sustainability',
    name: 'Sustainability',
    keywords: ['plastic', 'recyclable', 'environment'],
    phrases: ['carbon footprint'],
    pattern: '\\b(eco|green) (friendly|packaging)\\b',
    exclusions: ['credit card plastic'],
  };

  it('tags by keyword, phrase and pattern', () => {
    const themes = compileThemes([sustainability]);
    expect(tagText('So much plastic!', themes)).toEqual(['sustainability']);
    expect(tagText('Think about your carbon footprint', themes)).toEqual(['sustainability']);
    expect(tagText('Love the eco-friendly box', themes)).toEqual(['sustainability']);
    expect(findThemeMentions('Love the eco-friendly box', themes)).toEqual([
      { code: 'sustainability', term: 'eco friendly', kind: 'pattern', matched: 'eco friendly', typo: false, negated: false },
    ]);
    expect(tagText('My credit card plastic cracked', themes)).toEqual([]);
  });

  it('accepts definitions directly and compiles them once', () => {
    const defs = [sustainability];
    expect(tagText('recyclable please', defs)).toEqual(['sustainability']);
    expect(tagText('recyclible please', defs)).toEqual(['sustainability']);
  });

  it('refuses invalid definitions, naming the fields', () => {
    const bad: ThemeDefinition[] = [
      { ...sustainability, pattern: '(a+)+$' },
      { code: 'Bad Code', name: ' ', keywords: ['two words'], phrases: ['single'] },
      { ...sustainability },
    ];
    let error: unknown;
    try {
      compileThemes(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ThemeDefinitionError);
    expect((error as ThemeDefinitionError).problems.map((p) => p.field)).toEqual(['0.pattern', '1.code', '1.name', '1.keywords.0', '1.phrases.0', '2.code']);
  });
});
