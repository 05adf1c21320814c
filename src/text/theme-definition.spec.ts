import { DEFAULT_THEMES } from './default-themes';
import { THEME_LIMITS, themeDefinitionProblems, themeSetProblems } from './theme-definition';

const valid = { code: 'price', name: 'Price', keywords: ['price'], phrases: ['value for money'] };

describe('theme definitions', () => {
  it('accepts the default themes', () => {
    expect(themeSetProblems(DEFAULT_THEMES)).toEqual([]);
    expect(DEFAULT_THEMES.map((t) => t.code)).toEqual([
      'price', 'billing', 'support_wait', 'resolution', 'delivery', 'app_website', 'product_quality', 'staff_friendliness', 'onboarding',
    ]);
  });

  it.each([
    [{ code: '1price' }, 'code'],
    [{ code: 'Price' }, 'code'],
    [{ code: 'p'.repeat(THEME_LIMITS.codeLength + 1) }, 'code'],
    [{ name: '  ' }, 'name'],
    [{ keywords: ['value for money'] }, 'keywords.0'],
    [{ keywords: ['!!!'] }, 'keywords.0'],
    [{ phrases: ['money'] }, 'phrases.0'],
    [{ phrases: ['one two three four five six seven'] }, 'phrases.0'],
    [{ exclusions: [''] }, 'exclusions.0'],
    [{ keywords: Array.from({ length: THEME_LIMITS.terms + 1 }, () => 'x') }, 'keywords'],
    [{ pattern: '(x+)+y' }, 'pattern'],
    [{ keywords: [], phrases: [] }, 'keywords'],
  ])('reports %j at %s', (change, field) => {
    expect(themeDefinitionProblems({ ...valid, ...change }).map((p) => p.field)).toEqual([field]);
  });

  it('accepts a theme made of a pattern alone', () => {
    expect(themeDefinitionProblems({ ...valid, keywords: [], phrases: [], pattern: '\\bprice\\b' })).toEqual([]);
  });

  it('reports a repeated code in a set', () => {
    expect(themeSetProblems([valid, { ...valid, name: 'Again' }])).toEqual([{ field: '1.code', message: 'code "price" is already used by theme 0' }]);
  });
});
