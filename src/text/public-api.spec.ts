import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import * as text from './index';

describe('text public API', () => {
  it('exports exactly the agreed runtime values', () => {
    expect(Object.keys(text).sort()).toEqual(
      [
        'CompiledThemes',
        'DEFAULT_THEMES',
        'MAX_EXAMINED_TEXT_LENGTH',
        'MAX_PATTERN_LENGTH',
        'THEME_LIMITS',
        'ThemeDefinitionError',
        'compileThemes',
        'evaluateTagging',
        'findThemeMentions',
        'formatEvaluation',
        'patternProblem',
        'tagText',
        'themeDefinitionProblems',
        'themeSetProblems',
      ].sort(),
    );
  });

  it('stays pure: only relative imports in non-test files', () => {
    const sources = readdirSync(__dirname).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
    expect(sources.length).toBeGreaterThan(5);
    for (const file of sources) {
      const source = readFileSync(join(__dirname, file), 'utf8');
      const imports = [...source.matchAll(/(?:from|import)\s+'([^']+)'/g)].map((m) => m[1]);
      for (const spec of imports) expect({ file, spec, relative: spec.startsWith('./') }).toEqual({ file, spec, relative: true });
    }
  });
});
