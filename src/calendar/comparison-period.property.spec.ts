import fc from 'fast-check';
import { calendarUnitsOf, comparisonPeriod } from './comparison-period';
import { addDays, CivilDate, dayNumber, firstOfMonthPlus, isoWeekOf, isStartOfLocalDay, localDateOf, mondayOfIsoWeek, startOfLocalDay } from './zoned-time';

const zones = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/Santiago', 'Pacific/Chatham'];
const zoneArb = fc.constantFrom(...zones);
const dateArb: fc.Arbitrary<CivilDate> = fc.integer({ min: dayNumber({ year: 1990, month: 1, day: 1 }), max: dayNumber({ year: 2040, month: 1, day: 1 }) }).map((n) => addDays({ year: 1970, month: 1, day: 1 }, n));
const runs = { numRuns: 200 };

/** A range of `count` whole units starting at the unit holding `date`. */
function wholeUnits(date: CivilDate, unit: 'YEAR' | 'QUARTER' | 'MONTH' | 'ISO_WEEK' | 'DAY', count: number): [CivilDate, CivilDate] {
  switch (unit) {
    case 'YEAR':
      return [{ year: date.year, month: 1, day: 1 }, { year: date.year + count, month: 1, day: 1 }];
    case 'QUARTER': {
      const start = { year: date.year, month: date.month - ((date.month - 1) % 3), day: 1 };
      return [start, firstOfMonthPlus(start, 3 * count)];
    }
    case 'MONTH':
      return [{ ...date, day: 1 }, firstOfMonthPlus(date, count)];
    case 'ISO_WEEK': {
      const w = isoWeekOf(date);
      const monday = mondayOfIsoWeek(w.isoYear, w.week);
      return [monday, addDays(monday, 7 * count)];
    }
    case 'DAY':
      return [date, addDays(date, count)];
  }
}

describe('comparison period properties', () => {
  it('PREVIOUS_PERIOD: same length, ends where the range starts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2e12 }), fc.integer({ min: 1, max: 1e11 }), zoneArb, (start, length, zone) => {
        const r = comparisonPeriod({ from: new Date(start), to: new Date(start + length), compareTo: 'PREVIOUS_PERIOD', timeZone: zone });
        expect(r.ok && r.comparable && [r.from.getTime(), r.to.getTime()]).toEqual([start - length, start]);
      }),
      runs,
    );
  });

  it('PREVIOUS_CALENDAR_PERIOD: N whole units just before, of the unit detected', () => {
    const unitArb = fc.constantFrom('YEAR' as const, 'QUARTER' as const, 'MONTH' as const, 'ISO_WEEK' as const, 'DAY' as const);
    fc.assert(
      fc.property(dateArb, unitArb, fc.integer({ min: 1, max: 5 }), zoneArb, (date, unit, count, zone) => {
        const [a, b] = wholeUnits(date, unit, count);
        const from = new Date(startOfLocalDay(a, zone));
        const to = new Date(startOfLocalDay(b, zone));
        const detected = calendarUnitsOf(from, to, zone)!;
        expect(detected).not.toBeNull();
        const r = comparisonPeriod({ from, to, compareTo: 'PREVIOUS_CALENDAR_PERIOD', timeZone: zone });
        if (!r.ok || !r.comparable) throw new Error('expected a comparable period');
        expect(r.to.getTime()).toBe(from.getTime());
        expect({ unit: r.unit, count: r.count }).toEqual(detected);
        // The previous range is the same number of the same units: rebuilding it from its own start gives it back.
        const [pa, pb] = wholeUnits(localDateOf(r.from.getTime(), zone), detected.unit, detected.count);
        expect(startOfLocalDay(pb, zone)).toBe(r.to.getTime());
        expect(startOfLocalDay(pa, zone)).toBe(r.from.getTime());
        expect(isStartOfLocalDay(r.from.getTime(), zone)).toBe(true);
      }),
      runs,
    );
  });

  it('PREVIOUS_CALENDAR_PERIOD: a bound that is not a local day start is an error on that field', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 1, max: 86_399_999 }), fc.integer({ min: 1, max: 40 }), zoneArb, (date, offset, days, zone) => {
        const from = startOfLocalDay(date, zone) + offset;
        const to = startOfLocalDay(addDays(date, days), zone);
        if (isStartOfLocalDay(from, zone) || from >= to) return; // a 23-hour day can put from on the next day start
        const r = comparisonPeriod({ from: new Date(from), to: new Date(to), compareTo: 'PREVIOUS_CALENDAR_PERIOD', timeZone: zone });
        expect(r).toMatchObject({ ok: false, field: 'filter.from' });
      }),
      runs,
    );
  });

  it('SAME_PERIOD_LAST_YEAR on whole days (not whole ISO weeks): the same dates a year earlier, 29 Feb as 28 Feb', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 1, max: 120 }), zoneArb, (date, days, zone) => {
        const end = addDays(date, days);
        const from = new Date(startOfLocalDay(date, zone));
        const to = new Date(startOfLocalDay(end, zone));
        if (calendarUnitsOf(from, to, zone)?.unit === 'ISO_WEEK') return;
        const r = comparisonPeriod({ from, to, compareTo: 'SAME_PERIOD_LAST_YEAR', timeZone: zone });
        if (!r.ok || !r.comparable) throw new Error('expected a comparable period');
        const back = (c: CivilDate) => ({ year: c.year - 1, month: c.month, day: c.month === 2 && c.day === 29 ? 28 : c.day });
        expect(localDateOf(r.from.getTime(), zone)).toEqual(back(date));
        expect(r.from.getTime()).toBe(startOfLocalDay(back(date), zone));
        // the exclusive end: the day after the last day's counterpart
        expect(r.to.getTime()).toBe(startOfLocalDay(addDays(back(addDays(end, -1)), 1), zone));
      }),
      runs,
    );
  });

  it('SAME_PERIOD_LAST_YEAR on whole ISO weeks: comparable exactly when the same week numbers make as many weeks a year earlier', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 1, max: 8 }), zoneArb, (date, count, zone) => {
        const [a, b] = wholeUnits(date, 'ISO_WEEK', count);
        const from = new Date(startOfLocalDay(a, zone));
        const to = new Date(startOfLocalDay(b, zone));
        if (calendarUnitsOf(from, to, zone)?.unit !== 'ISO_WEEK') return; // a Monday 1st to a Monday 1st is months
        const r = comparisonPeriod({ from, to, compareTo: 'SAME_PERIOD_LAST_YEAR', timeZone: zone });
        if (!r.ok) throw new Error('unexpected error');
        const first = isoWeekOf(a);
        if (!r.comparable) {
          expect(r.reason).toMatch(/53/);
          return;
        }
        expect(isoWeekOf(localDateOf(r.from.getTime(), zone))).toEqual({ isoYear: first.isoYear - 1, week: first.week });
        expect(dayNumber(localDateOf(r.to.getTime(), zone)) - dayNumber(localDateOf(r.from.getTime(), zone))).toBe(7 * count);
      }),
      runs,
    );
  });
});
