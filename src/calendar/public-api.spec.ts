import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import * as calendar from './index';

describe('calendar public API', () => {
  it('exports exactly the agreed runtime values', () => {
    expect(Object.keys(calendar).sort()).toEqual(
      [
        'COMPARE_TO',
        'calendarUnitsOf',
        'comparisonPeriod',
        'instantOfLocal',
        'isStartOfLocalDay',
        'isoWeekOf',
        'isoWeeksInYear',
        'lastCompleteWindow',
        'localOf',
        'mondayOfIsoWeek',
        'startOfLocalDay',
        'unitStartsBetween',
        'zoneOffsetMs',
      ].sort(),
    );
  });

  it('stays pure: only relative imports within this folder in non-test files', () => {
    const sources = readdirSync(__dirname).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
    expect(sources.length).toBeGreaterThanOrEqual(3);
    for (const file of sources) {
      const text = readFileSync(join(__dirname, file), 'utf8');
      const imports = [...text.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]);
      for (const spec of imports) expect({ file, spec, relative: spec.startsWith('./') }).toEqual({ file, spec, relative: true });
    }
  });
});
