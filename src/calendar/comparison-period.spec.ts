import { calendarUnitsOf, CompareTo, comparisonPeriod, ComparisonPeriodResult } from './comparison-period';
import { isoWeeksInYear } from './zoned-time';

const d = (iso: string) => new Date(iso);

function period(from: string, to: string, compareTo: CompareTo, timeZone?: string): ComparisonPeriodResult {
  return comparisonPeriod({ from: d(from), to: d(to), compareTo, timeZone });
}

/** The previous range as ISO strings, with what the current range was recognised as. */
function previous(from: string, to: string, compareTo: CompareTo, timeZone?: string) {
  const r = period(from, to, compareTo, timeZone);
  if (!r.ok) throw new Error(`unexpected error on ${r.field}: ${r.message}`);
  if (!r.comparable) throw new Error(`unexpectedly not comparable: ${r.reason}`);
  return { from: r.from.toISOString(), to: r.to.toISOString(), unit: r.unit, count: r.count };
}

const Z = (date: string) => `${date}T00:00:00.000Z`;

describe('PREVIOUS_PERIOD: equal length just before, in absolute time (what the API does today)', () => {
  it('any range, zone ignored', () => {
    // 6 hours: [10:00Z, 16:00Z) -> [04:00Z, 10:00Z)
    for (const zone of [undefined, 'Europe/Paris', 'Asia/Kathmandu']) {
      expect(previous('2024-03-10T10:00:00Z', '2024-03-10T16:00:00Z', 'PREVIOUS_PERIOD', zone)).toEqual({
        from: '2024-03-10T04:00:00.000Z',
        to: '2024-03-10T10:00:00.000Z',
        unit: undefined,
        count: undefined,
      });
    }
  });

  it('across DST it keeps the length in hours, so it does not land on local midnight', () => {
    // Paris 31 March 2024 lasts 23 h ([2024-03-30T23:00Z, 2024-03-31T22:00Z)); 23 h before its start is
    // 2024-03-30T00:00Z = 01:00 on 30 March in Paris. PREVIOUS_CALENDAR_PERIOD gives the whole 30 March instead.
    expect(previous('2024-03-30T23:00:00Z', '2024-03-31T22:00:00Z', 'PREVIOUS_PERIOD', 'Europe/Paris').from).toBe('2024-03-30T00:00:00.000Z');
  });
});

describe('calendarUnitsOf: whole units, the largest that tiles the range', () => {
  it.each([
    [Z('2024-01-01'), Z('2024-02-01'), { unit: 'MONTH', count: 1 }], // also 31 days
    [Z('2024-01-01'), Z('2025-01-01'), { unit: 'YEAR', count: 1 }], // not 12 months, not 4 quarters
    [Z('2023-01-01'), Z('2025-01-01'), { unit: 'YEAR', count: 2 }],
    [Z('2024-01-01'), Z('2024-04-01'), { unit: 'QUARTER', count: 1 }], // both Mondays too: 13 ISO weeks
    [Z('2024-01-01'), Z('2024-07-01'), { unit: 'QUARTER', count: 2 }],
    [Z('2024-01-01'), Z('2024-03-01'), { unit: 'MONTH', count: 2 }],
    [Z('2024-02-01'), Z('2024-05-01'), { unit: 'MONTH', count: 3 }], // three months, not a calendar quarter
    [Z('2024-01-01'), Z('2024-01-08'), { unit: 'ISO_WEEK', count: 1 }], // Monday to Monday; also 7 days
    [Z('2024-03-04'), Z('2024-03-25'), { unit: 'ISO_WEEK', count: 3 }],
    [Z('2024-01-02'), Z('2024-01-09'), { unit: 'DAY', count: 7 }], // Tuesday to Tuesday
    [Z('2024-03-05'), Z('2024-03-08'), { unit: 'DAY', count: 3 }],
    [Z('2024-01-15'), Z('2024-03-15'), { unit: 'DAY', count: 60 }], // 17 + 29 + 14
  ])('%s .. %s in UTC', (from, to, units) => {
    expect(calendarUnitsOf(d(from), d(to))).toEqual(units);
  });

  it('null when a bound is not a local day start', () => {
    expect(calendarUnitsOf(d('2024-01-01T00:00:00Z'), d('2024-02-01T00:00:00Z'), 'Asia/Kolkata')).toBeNull();
    expect(calendarUnitsOf(d('2024-01-01T00:00:00.001Z'), d('2024-02-01T00:00:00Z'))).toBeNull();
  });
});

describe('PREVIOUS_CALENDAR_PERIOD', () => {
  describe('UTC, year ends and quarters', () => {
    it.each([
      // [current from, current to, previous from, previous to, unit, count]
      ['2024-01-01', '2024-01-02', '2023-12-31', '2024-01-01', 'DAY', 1], // New Year's Day vs New Year's Eve
      ['2024-03-01', '2024-04-01', '2024-02-01', '2024-03-01', 'MONTH', 1], // March vs February (29 days in 2024)
      ['2024-01-01', '2024-02-01', '2023-12-01', '2024-01-01', 'MONTH', 1],
      ['2024-01-01', '2024-03-01', '2023-11-01', '2024-01-01', 'MONTH', 2], // Jan+Feb vs Nov+Dec
      ['2024-01-01', '2024-04-01', '2023-10-01', '2024-01-01', 'QUARTER', 1], // Q1 2024 vs Q4 2023
      ['2024-07-01', '2024-10-01', '2024-04-01', '2024-07-01', 'QUARTER', 1], // Q3 vs Q2
      ['2024-01-01', '2024-07-01', '2023-07-01', '2024-01-01', 'QUARTER', 2], // H1 2024 vs H2 2023
      ['2024-01-01', '2025-01-01', '2023-01-01', '2024-01-01', 'YEAR', 1],
      ['2023-01-01', '2025-01-01', '2021-01-01', '2023-01-01', 'YEAR', 2],
      ['2021-01-04', '2021-01-11', '2020-12-28', '2021-01-04', 'ISO_WEEK', 1], // 2021-W01 vs 2020-W53
      ['2024-01-01', '2024-01-08', '2023-12-25', '2024-01-01', 'ISO_WEEK', 1], // 2024-W01 vs 2023-W52
      ['2024-03-05', '2024-03-08', '2024-03-02', '2024-03-05', 'DAY', 3],
    ])('%s..%s vs %s..%s (%s x%i)', (from, to, pFrom, pTo, unit, count) => {
      expect(previous(Z(from), Z(to), 'PREVIOUS_CALENDAR_PERIOD')).toEqual({ from: Z(pFrom), to: Z(pTo), unit, count });
    });
  });

  describe('Europe/Paris (CET +01:00, CEST +02:00 from the last Sunday of March to the last Sunday of October)', () => {
    const zone = 'Europe/Paris';
    it('31 March 2024, a 23-hour day, vs 30 March, 24 hours', () => {
      // 31 Mar 00:00 CET = 30 Mar 23:00Z; 1 Apr 00:00 CEST = 31 Mar 22:00Z; 30 Mar 00:00 CET = 29 Mar 23:00Z.
      expect(previous('2024-03-30T23:00:00Z', '2024-03-31T22:00:00Z', 'PREVIOUS_CALENDAR_PERIOD', zone)).toEqual({
        from: '2024-03-29T23:00:00.000Z',
        to: '2024-03-30T23:00:00.000Z',
        unit: 'DAY',
        count: 1,
      });
    });

    it('1 April 2024 vs the 23-hour 31 March', () => {
      expect(previous('2024-03-31T22:00:00Z', '2024-04-01T22:00:00Z', 'PREVIOUS_CALENDAR_PERIOD', zone)).toEqual({
        from: '2024-03-30T23:00:00.000Z',
        to: '2024-03-31T22:00:00.000Z',
        unit: 'DAY',
        count: 1,
      });
    });

    it('27 October 2024, a 25-hour day, vs 26 October', () => {
      // 27 Oct 00:00 CEST = 26 Oct 22:00Z; 28 Oct 00:00 CET = 27 Oct 23:00Z; 26 Oct 00:00 CEST = 25 Oct 22:00Z.
      expect(previous('2024-10-26T22:00:00Z', '2024-10-27T23:00:00Z', 'PREVIOUS_CALENDAR_PERIOD', zone)).toEqual({
        from: '2024-10-25T22:00:00.000Z',
        to: '2024-10-26T22:00:00.000Z',
        unit: 'DAY',
        count: 1,
      });
    });

    it('March 2024 (743 hours) vs February 2024 (696 hours)', () => {
      // 1 Mar 00:00 CET = 29 Feb 23:00Z; 1 Apr 00:00 CEST = 31 Mar 22:00Z; 1 Feb 00:00 CET = 31 Jan 23:00Z.
      expect(previous('2024-02-29T23:00:00Z', '2024-03-31T22:00:00Z', 'PREVIOUS_CALENDAR_PERIOD', zone)).toEqual({
        from: '2024-01-31T23:00:00.000Z',
        to: '2024-02-29T23:00:00.000Z',
        unit: 'MONTH',
        count: 1,
      });
    });

    it('Q1 2024 vs Q4 2023', () => {
      // 1 Jan 2024 00:00 CET = 31 Dec 23:00Z; 1 Apr 00:00 CEST = 31 Mar 22:00Z; 1 Oct 2023 00:00 CEST = 30 Sep 22:00Z.
      expect(previous('2023-12-31T23:00:00Z', '2024-03-31T22:00:00Z', 'PREVIOUS_CALENDAR_PERIOD', zone)).toEqual({
        from: '2023-09-30T22:00:00.000Z',
        to: '2023-12-31T23:00:00.000Z',
        unit: 'QUARTER',
        count: 1,
      });
    });

    it('UTC month bounds are not whole months in Paris: error on filter.from', () => {
      const r = period(Z('2024-03-01'), Z('2024-04-01'), 'PREVIOUS_CALENDAR_PERIOD', zone);
      expect(r).toEqual({ ok: false, field: 'filter.from', message: expect.stringContaining('2024-03-01 01:00:00 local') });
    });
  });

  describe('America/New_York (EST -05:00, EDT -04:00; 2024: 10 March and 3 November)', () => {
    const zone = 'America/New_York';
    it('ISO week 10 of 2024 (167 hours, spring forward on Sunday 10 March) vs week 9', () => {
      // Mon 4 Mar 00:00 EST = 05:00Z; Mon 11 Mar 00:00 EDT = 04:00Z; Mon 26 Feb 00:00 EST = 05:00Z.
      expect(previous('2024-03-04T05:00:00Z', '2024-03-11T04:00:00Z', 'PREVIOUS_CALENDAR_PERIOD', zone)).toEqual({
        from: '2024-02-26T05:00:00.000Z',
        to: '2024-03-04T05:00:00.000Z',
        unit: 'ISO_WEEK',
        count: 1,
      });
    });

    it('ISO week 44 of 2024 (169 hours, fall back on Sunday 3 November) vs week 43', () => {
      // Mon 28 Oct 00:00 EDT = 04:00Z; Mon 4 Nov 00:00 EST = 05:00Z; Mon 21 Oct 00:00 EDT = 04:00Z.
      expect(previous('2024-10-28T04:00:00Z', '2024-11-04T05:00:00Z', 'PREVIOUS_CALENDAR_PERIOD', zone)).toEqual({
        from: '2024-10-21T04:00:00.000Z',
        to: '2024-10-28T04:00:00.000Z',
        unit: 'ISO_WEEK',
        count: 1,
      });
    });
  });

  describe('Asia/Kolkata (+05:30)', () => {
    const zone = 'Asia/Kolkata';
    it('January 2024 vs December 2023', () => {
      // 1 Jan 00:00 IST = 31 Dec 18:30Z; 1 Feb = 31 Jan 18:30Z; 1 Dec 2023 = 30 Nov 18:30Z.
      expect(previous('2023-12-31T18:30:00Z', '2024-01-31T18:30:00Z', 'PREVIOUS_CALENDAR_PERIOD', zone)).toEqual({
        from: '2023-11-30T18:30:00.000Z',
        to: '2023-12-31T18:30:00.000Z',
        unit: 'MONTH',
        count: 1,
      });
    });

    it('errors name the bound that is not a local day start', () => {
      const fromWrong = period('2024-01-01T00:00:00Z', '2024-01-31T18:30:00Z', 'PREVIOUS_CALENDAR_PERIOD', zone);
      expect(fromWrong).toMatchObject({ ok: false, field: 'filter.from' });
      expect(!fromWrong.ok && fromWrong.message).toContain('2024-01-01 05:30:00 local');
      expect(!fromWrong.ok && fromWrong.message).toContain('Asia/Kolkata');
      const toWrong = period('2023-12-31T18:30:00Z', '2024-02-01T00:00:00Z', 'PREVIOUS_CALENDAR_PERIOD', zone);
      expect(toWrong).toMatchObject({ ok: false, field: 'filter.to' });
    });
  });

  describe('Asia/Kathmandu (+05:45; +05:30 until 1986)', () => {
    const zone = 'Asia/Kathmandu';
    it('15 June 2024 vs 14 June', () => {
      // 15 Jun 00:00 +05:45 = 14 Jun 18:15Z.
      expect(previous('2024-06-14T18:15:00Z', '2024-06-15T18:15:00Z', 'PREVIOUS_CALENDAR_PERIOD', zone)).toEqual({
        from: '2024-06-13T18:15:00.000Z',
        to: '2024-06-14T18:15:00.000Z',
        unit: 'DAY',
        count: 1,
      });
    });

    it('1986, which began at 00:15 (the offset changed at midnight), vs 1985', () => {
      // 1 Jan 1986 starts at the change, 31 Dec 1985 18:30Z (00:00 at +05:30 = 00:15 at +05:45);
      // 1 Jan 1987 00:00 +05:45 = 31 Dec 1986 18:15Z; 1 Jan 1985 00:00 +05:30 = 31 Dec 1984 18:30Z.
      expect(previous('1985-12-31T18:30:00Z', '1986-12-31T18:15:00Z', 'PREVIOUS_CALENDAR_PERIOD', zone)).toEqual({
        from: '1984-12-31T18:30:00.000Z',
        to: '1985-12-31T18:30:00.000Z',
        unit: 'YEAR',
        count: 1,
      });
      // 18:15Z on 31 Dec 1985 would be midnight at +05:45, but the clocks showed 23:45 then.
      expect(period('1985-12-31T18:15:00Z', '1986-12-31T18:15:00Z', 'PREVIOUS_CALENDAR_PERIOD', zone)).toMatchObject({ ok: false, field: 'filter.from' });
    });
  });

  it('defaults to UTC', () => {
    expect(previous(Z('2024-03-01'), Z('2024-04-01'), 'PREVIOUS_CALENDAR_PERIOD')).toEqual(
      previous(Z('2024-03-01'), Z('2024-04-01'), 'PREVIOUS_CALENDAR_PERIOD', 'UTC'),
    );
  });
});

describe('SAME_PERIOD_LAST_YEAR', () => {
  describe('29 February (2024 -> 2023)', () => {
    it.each([
      // [current from, current to, previous from, previous to, unit, count]
      ['2024-02-29', '2024-03-01', '2023-02-28', '2023-03-01', 'DAY', 1], // 29 Feb -> 28 Feb
      ['2024-02-28', '2024-02-29', '2023-02-28', '2023-03-01', 'DAY', 1], // 28 Feb -> 28 Feb (end = end of 28 Feb, not start)
      ['2024-02-01', '2024-02-29', '2023-02-01', '2023-03-01', 'DAY', 28], // 1-28 Feb -> the whole of Feb 2023
      ['2024-02-01', '2024-03-01', '2023-02-01', '2023-03-01', 'MONTH', 1],
      ['2024-01-01', '2025-01-01', '2023-01-01', '2024-01-01', 'YEAR', 1],
      ['2024-01-01', '2024-04-01', '2023-01-01', '2023-04-01', 'QUARTER', 1],
      ['2025-02-28', '2025-03-01', '2024-02-28', '2024-02-29', 'DAY', 1], // into a leap year: 28 Feb stays 28 Feb
    ])('%s..%s -> %s..%s', (from, to, pFrom, pTo, unit, count) => {
      expect(previous(Z(from), Z(to), 'SAME_PERIOD_LAST_YEAR')).toEqual({ from: Z(pFrom), to: Z(pTo), unit, count });
    });

    it('a range that is not whole days keeps its wall times, 29 Feb read as 28 Feb', () => {
      expect(previous('2024-02-29T10:30:00Z', '2024-03-01T08:00:00Z', 'SAME_PERIOD_LAST_YEAR')).toEqual({
        from: '2023-02-28T10:30:00.000Z',
        to: '2023-03-01T08:00:00.000Z',
        unit: undefined,
        count: undefined,
      });
    });

    it('a range the leap day folds onto nothing is not comparable (a result, not an error)', () => {
      // 28 Feb 12:00 -> 28 Feb 12:00; 29 Feb 06:00 -> 28 Feb 06:00: empty.
      const r = period('2024-02-28T12:00:00Z', '2024-02-29T06:00:00Z', 'SAME_PERIOD_LAST_YEAR');
      expect(r).toEqual({ ok: true, comparable: false, from: null, to: null, reason: expect.stringContaining('29 February') });
    });
  });

  describe('ISO weeks map to the same week numbers of the previous ISO year', () => {
    it.each([
      // 2021-W10 (Mon 8 Mar 2021) -> 2020-W10 (Mon 2 Mar 2020)
      ['2021-03-08', '2021-03-15', '2020-03-02', '2020-03-09', 1],
      // 2021-W01 (Mon 4 Jan 2021) -> 2020-W01 (Mon 30 Dec 2019)
      ['2021-01-04', '2021-01-11', '2019-12-30', '2020-01-06', 1],
      // 2022-W01 (Mon 3 Jan 2022) -> 2021-W01 (Mon 4 Jan 2021)
      ['2022-01-03', '2022-01-10', '2021-01-04', '2021-01-11', 1],
      // 2027-W01 (Mon 4 Jan 2027) -> 2026-W01 (Mon 29 Dec 2025)
      ['2027-01-04', '2027-01-11', '2025-12-29', '2026-01-05', 1],
      // 2024-W10..W12 (Mon 4 Mar - Mon 25 Mar 2024) -> 2023-W10..W12 (Mon 6 Mar - Mon 27 Mar 2023)
      ['2024-03-04', '2024-03-25', '2023-03-06', '2023-03-27', 3],
      // 2018-W52..2019-W01 (Mon 24 Dec 2018 - Mon 7 Jan 2019) -> 2017-W52..2018-W01 (Mon 25 Dec 2017 - Mon 8 Jan 2018):
      // across a year end where neither side has a week 53.
      ['2018-12-24', '2019-01-07', '2017-12-25', '2018-01-08', 2],
    ])('%s..%s -> %s..%s', (from, to, pFrom, pTo, count) => {
      expect(previous(Z(from), Z(to), 'SAME_PERIOD_LAST_YEAR')).toEqual({ from: Z(pFrom), to: Z(pTo), unit: 'ISO_WEEK', count });
    });

    it.each([
      // 2020-W53 (Mon 28 Dec 2020): ISO 2019 has 52 weeks
      ['2020-12-28', '2021-01-04', '2020-W53'],
      // 2026-W53 (Mon 28 Dec 2026): ISO 2025 has 52 weeks
      ['2026-12-28', '2027-01-04', '2026-W53'],
      // 2020-W52..W53: ends with a week 53 without counterpart
      ['2020-12-21', '2021-01-04', '2020-W53'],
      // 2020-W53..2021-W01: starts with one
      ['2020-12-28', '2021-01-11', '2020-W53'],
    ])('%s..%s is NOT_COMPARABLE (%s)', (from, to, week) => {
      const r = period(Z(from), Z(to), 'SAME_PERIOD_LAST_YEAR');
      expect(r).toMatchObject({ ok: true, comparable: false, from: null, to: null, unit: 'ISO_WEEK' });
      expect(r.ok && !r.comparable && r.reason).toContain(week);
    });

    it('weeks across a year end whose counterpart holds an extra week 53 are NOT_COMPARABLE', () => {
      // 2021-W52..2022-W01 (Mon 27 Dec 2021 - Mon 10 Jan 2022): 2 weeks. Same numbers a year earlier:
      // 2020-W52 (Mon 21 Dec 2020) .. 2021-W01 (ends Mon 11 Jan 2021) = W52, W53, W01 = 3 weeks.
      const r = period(Z('2021-12-27'), Z('2022-01-10'), 'SAME_PERIOD_LAST_YEAR');
      expect(r).toMatchObject({ ok: true, comparable: false, unit: 'ISO_WEEK', count: 2 });
    });

    it('week 53 never has a counterpart: a 53-week ISO year starts on a Thursday (or a leap Wednesday), so the next starts on a Friday or Saturday', () => {
      for (let year = 1900; year <= 2100; year++) {
        if (isoWeeksInYear(year) === 53) expect(isoWeeksInYear(year + 1)).toBe(52);
      }
    });

    it('week 52 of 2021 (the last) -> week 52 of 2020 (not the last: 2020 has 53)', () => {
      // 2021-W52 Mon 27 Dec 2021 -> 2020-W52 Mon 21 Dec 2020
      expect(previous(Z('2021-12-27'), Z('2022-01-03'), 'SAME_PERIOD_LAST_YEAR')).toEqual({
        from: Z('2020-12-21'),
        to: Z('2020-12-28'),
        unit: 'ISO_WEEK',
        count: 1,
      });
    });

    it('in New York across DST: 2024-W44 (169 h) -> 2023-W44 (169 h: 2023 fell back on 5 November)', () => {
      // 2023-W01 Mon 2 Jan 2023; W44 = 2 Jan + 301 days = Mon 30 Oct 2023 00:00 EDT = 04:00Z; Mon 6 Nov 00:00 EST = 05:00Z.
      expect(previous('2024-10-28T04:00:00Z', '2024-11-04T05:00:00Z', 'SAME_PERIOD_LAST_YEAR', 'America/New_York')).toEqual({
        from: '2023-10-30T04:00:00.000Z',
        to: '2023-11-06T05:00:00.000Z',
        unit: 'ISO_WEEK',
        count: 1,
      });
    });
  });

  describe('local wall time kept across DST', () => {
    it('Paris 31 March 2024 (23 h) -> 31 March 2023 (24 h, CEST since 26 March)', () => {
      // 31 Mar 2023 00:00 CEST = 30 Mar 22:00Z; 1 Apr 2023 00:00 CEST = 31 Mar 22:00Z.
      expect(previous('2024-03-30T23:00:00Z', '2024-03-31T22:00:00Z', 'SAME_PERIOD_LAST_YEAR', 'Europe/Paris')).toEqual({
        from: '2023-03-30T22:00:00.000Z',
        to: '2023-03-31T22:00:00.000Z',
        unit: 'DAY',
        count: 1,
      });
    });

    it('New York: a wall time the earlier year skips takes the offset before the jump', () => {
      // 9 Mar 2026 02:30 EDT (06:30Z) -> 9 Mar 2025 02:30, skipped (DST began 9 Mar 2025): read at EST = 07:30Z.
      // 9 Mar 2026 08:00 EDT (12:00Z) -> 9 Mar 2025 08:00 EDT = 12:00Z.
      expect(previous('2026-03-09T06:30:00Z', '2026-03-09T12:00:00Z', 'SAME_PERIOD_LAST_YEAR', 'America/New_York')).toEqual({
        from: '2025-03-09T07:30:00.000Z',
        to: '2025-03-09T12:00:00.000Z',
        unit: undefined,
        count: undefined,
      });
    });

    it('New York: a wall time the earlier year repeats takes the later instant', () => {
      // 3 Nov 2025 01:30 EST (06:30Z) -> 3 Nov 2024 01:30, which happened twice (fall back that night): 06:30Z (EST).
      expect(previous('2025-11-03T06:30:00Z', '2025-11-03T12:00:00Z', 'SAME_PERIOD_LAST_YEAR', 'America/New_York')).toEqual({
        from: '2024-11-03T06:30:00.000Z',
        to: '2024-11-03T12:00:00.000Z',
        unit: undefined,
        count: undefined,
      });
    });

    it('Kathmandu and Kolkata', () => {
      // 2024 in Kathmandu: [31 Dec 2023 18:15Z, 31 Dec 2024 18:15Z) -> [31 Dec 2022 18:15Z, 31 Dec 2023 18:15Z)
      expect(previous('2023-12-31T18:15:00Z', '2024-12-31T18:15:00Z', 'SAME_PERIOD_LAST_YEAR', 'Asia/Kathmandu')).toEqual({
        from: '2022-12-31T18:15:00.000Z',
        to: '2023-12-31T18:15:00.000Z',
        unit: 'YEAR',
        count: 1,
      });
      // 29 Feb 2024 09:00-17:00 IST (03:30Z-11:30Z) -> 28 Feb 2023 09:00-17:00 IST
      expect(previous('2024-02-29T03:30:00Z', '2024-02-29T11:30:00Z', 'SAME_PERIOD_LAST_YEAR', 'Asia/Kolkata')).toMatchObject({
        from: '2023-02-28T03:30:00.000Z',
        to: '2023-02-28T11:30:00.000Z',
      });
    });
  });
});

describe('bad input', () => {
  it.each<CompareTo>(['PREVIOUS_PERIOD', 'PREVIOUS_CALENDAR_PERIOD', 'SAME_PERIOD_LAST_YEAR'])('%s: from >= to is an error on filter.to', (compareTo) => {
    expect(period(Z('2024-02-01'), Z('2024-02-01'), compareTo)).toEqual({ ok: false, field: 'filter.to', message: 'filter.to must be after filter.from' });
    expect(period(Z('2024-03-01'), Z('2024-02-01'), compareTo)).toMatchObject({ ok: false, field: 'filter.to' });
  });

  it('unknown zone, invalid date or compareTo: RangeError (the API validates these first)', () => {
    expect(() => period(Z('2024-01-01'), Z('2024-02-01'), 'PREVIOUS_PERIOD', 'Nowhere/Else')).toThrow(RangeError);
    expect(() => comparisonPeriod({ from: new Date(NaN), to: d(Z('2024-02-01')), compareTo: 'PREVIOUS_PERIOD' })).toThrow(RangeError);
    expect(() => period(Z('2024-01-01'), Z('2024-02-01'), 'LAST_WEEK' as CompareTo)).toThrow(RangeError);
  });
});
