import { DEFAULT_THEMES } from './default-themes';
import { MAX_PATTERN_LENGTH, MAX_PATTERN_WAYS, PATTERN_SEGMENT_LENGTH, patternProblem, patternWays } from './safe-pattern';
import { compileThemes, tagText } from './tagger';

describe('pattern guard', () => {
  const refused: [string, RegExp][] = [
    ['(a+)+$', /backtrack too much/],
    ['(a*)*b', /backtrack too much/],
    ['(a|a)*b', /backtrack too much/],
    ['(a|ab)+c', /backtrack too much/],
    ['(\\w+\\s?)+$', /backtrack too much/],
    ['a?'.repeat(25) + 'a'.repeat(25), /backtrack too much/],
    ['.*.*.*x', /backtrack too much/],
    ['\\w+ \\w+ \\w+', /backtrack too much/],
    ['(a)\\1', /backreference/],
    ['(?<x>a)\\k<x>', /named or modified group/],
    ['(?=price)pri', /lookahead or lookbehind/],
    ['(?<!not )cheap', /lookahead or lookbehind/],
    ['\\p{L}', /escape \\p/],
    ['a{', /not a repeat count/],
    ['(price', /not a valid regular expression/],
    ['x?', /matches an empty text/],
    ['', /empty/],
    ['a'.repeat(MAX_PATTERN_LENGTH + 1), /longer than/],
  ];
  it.each(refused.map(([pattern, message]) => [pattern.length > 40 ? `${pattern.slice(0, 40)}…` : pattern, pattern, message] as const))(
    'refuses %s',
    (_label, pattern, message) => {
      expect(patternProblem(pattern)).toMatch(message);
    },
  );

  it.each([
    '\\bwait(ing|ed)?\\b.{0,40}\\b(support|agent)\\b',
    '\\b(price|prices|pricing)\\b',
    '\\btook [a-z0-9]{1,7} (minutes|hours|days) to (answer|reply)\\b',
    '\\bcame (?:[a-z]+ )?(?:on time|late)\\b',
    'refund.*',
    '^(?:no|not) [a-z]{1,20}$',
    '[a-z]{1,20} [a-z]{1,20}',
    '(ab|cd){0,10}x',
  ])('accepts %j', (pattern) => {
    expect(patternProblem(pattern)).toBeNull();
  });

  it('counts plain-word alternatives by how many can match at one place', () => {
    expect(patternWays('(wait|waiting|waited)')).toBe(2);
    expect(patternWays('(price|cost|fee)')).toBe(1);
    expect(patternWays('a.{0,40}b')).toBe(41);
    expect(patternWays('a*')).toBe(PATTERN_SEGMENT_LENGTH + 1);
  });

  it('accepts the default themes’ patterns', () => {
    for (const theme of DEFAULT_THEMES) {
      if (theme.pattern !== undefined) expect({ code: theme.code, problem: patternProblem(theme.pattern) }).toEqual({ code: theme.code, problem: null });
    }
  });

  it('runs a pattern at the limit over a hostile 100 KB text and finishes', () => {
    // One unbounded repeat and bounded ones, close to MAX_PATTERN_WAYS, against text built to make it try hard.
    const pattern = 'a.*b.{0,40}c';
    expect(patternWays(pattern)).toBeLessThanOrEqual(MAX_PATTERN_WAYS);
    const themes = compileThemes([{ code: 'hostile', name: 'Hostile', keywords: [], phrases: [], pattern }]);
    expect(tagText('a'.repeat(100_000), themes)).toEqual([]);
    expect(tagText('a '.repeat(50_000), themes)).toEqual([]);
  });
});
