import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import * as scoring from './index';

describe('scoring public API', () => {
  it('exports exactly the agreed runtime values', () => {
    expect(Object.keys(scoring).sort()).toEqual(
      [
        'COMPARE_TO',
        'DEFAULT_FDR_Q',
        'DEFAULT_LOW_SAMPLE_THRESHOLD',
        'DEFAULT_MIX_SHIFT_THRESHOLD',
        'LOWER_IS_BETTER',
        'bandOf',
        'benjaminiHochberg',
        'calendarUnitsOf',
        'categorize',
        'compareScores',
        'compareShares',
        'compareSharesAdjusted',
        'compareToBenchmark',
        'compareWithVerdict',
        'comparisonPeriod',
        'countsOf',
        'defaultTolerance',
        'differenceInDifferences',
        'driverImpact',
        'evaluateKpi',
        'kpiContributions',
        'median',
        'moverList',
        'movers',
        'normalCdf',
        'rate',
        'scoreFromCounts',
        'shiftFamily',
        'sumCounts',
        'surveyMix',
        'verdictOf',
        'wilsonInterval',
      ].sort(),
    );
  });

  it('stays pure: no graphql, type-graphql, typeorm or I/O imports in non-test files', () => {
    // Besides its own files, scoring may import only the pure calendar module (checked the same way in src/calendar).
    const sources = readdirSync(__dirname).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
    expect(sources.length).toBeGreaterThan(5);
    for (const file of sources) {
      const text = readFileSync(join(__dirname, file), 'utf8');
      const imports = [...text.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]);
      for (const spec of imports) {
        expect({ file, spec, allowed: spec.startsWith('./') || spec === '../calendar' }).toEqual({ file, spec, allowed: true });
      }
    }
  });
});
