import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import * as scoring from './index';

describe('scoring public API', () => {
  it('exports exactly the agreed runtime values', () => {
    expect(Object.keys(scoring).sort()).toEqual(
      [
        'DEFAULT_LOW_SAMPLE_THRESHOLD',
        'LOWER_IS_BETTER',
        'bandOf',
        'categorize',
        'compareScores',
        'compareToBenchmark',
        'countsOf',
        'defaultTolerance',
        'evaluateKpi',
        'median',
        'normalCdf',
        'rate',
        'scoreFromCounts',
        'sumCounts',
      ].sort(),
    );
  });

  it('stays pure: no graphql, type-graphql, typeorm or I/O imports in non-test files', () => {
    const sources = readdirSync(__dirname).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
    expect(sources.length).toBeGreaterThan(5);
    for (const file of sources) {
      const text = readFileSync(join(__dirname, file), 'utf8');
      const imports = [...text.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]);
      for (const spec of imports) expect({ file, spec, relative: spec.startsWith('./') }).toEqual({ file, spec, relative: true });
    }
  });
});
