import {
  addDays,
  civilOfDay,
  dayNumber,
  firstOfMonthPlus,
  instantOfLocal,
  isoWeekday,
  isoWeekOf,
  isoWeeksInYear,
  isStartOfLocalDay,
  localOf,
  mondayOfIsoWeek,
  startOfLocalDay,
  utcFields,
  zoneOffsetMs,
} from './zoned-time';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3_600_000;
const wall = (year: number, month: number, day: number, hour = 0, minute = 0) => ({ year, month, day, hour, minute, second: 0, millisecond: 0 });

describe('zone offsets (Intl zone data)', () => {
  it.each([
    ['UTC', '2024-06-15T12:00:00Z', 0],
    ['Europe/Paris', '2024-01-15T12:00:00Z', 1 * HOUR], // CET
    ['Europe/Paris', '2024-07-15T12:00:00Z', 2 * HOUR], // CEST
    ['America/New_York', '2024-01-15T12:00:00Z', -5 * HOUR], // EST
    ['America/New_York', '2024-07-15T12:00:00Z', -4 * HOUR], // EDT
    ['Asia/Kolkata', '2024-07-15T12:00:00Z', 5.5 * HOUR], // +05:30 = 19 800 000 ms
    ['Asia/Kathmandu', '2024-07-15T12:00:00Z', 5.75 * HOUR], // +05:45 = 20 700 000 ms
    ['Asia/Kathmandu', '1985-07-15T12:00:00Z', 5.5 * HOUR], // +05:30 until 1986
  ])('%s at %s', (zone, instant, offset) => {
    expect(zoneOffsetMs(at(instant), zone)).toBe(offset);
  });

  it('keeps seconds of historical offsets (Asia/Kolkata 1900: +05:21:10)', () => {
    expect(zoneOffsetMs(at('1900-01-01T00:00:00Z'), 'Asia/Kolkata')).toBe(((5 * 60 + 21) * 60 + 10) * 1000);
  });

  it('reads the wall clock, milliseconds and BC years included', () => {
    // 2024-03-31T00:59:59.999Z is 01:59:59.999 CET, the last instant before Paris jumps to 03:00 CEST.
    expect(localOf(at('2024-03-31T00:59:59.999Z'), 'Europe/Paris')).toEqual({ ...wall(2024, 3, 31, 1, 59), second: 59, millisecond: 999 });
    expect(localOf(at('2024-03-31T01:00:00Z'), 'Europe/Paris')).toEqual(wall(2024, 3, 31, 3, 0));
    // year 0 is 1 BC (astronomical numbering, as Date uses)
    expect(localOf(utcFields(0, 6, 1, 12), 'UTC').year).toBe(0);
    expect(localOf(utcFields(-100, 6, 1, 12), 'UTC').year).toBe(-100);
  });

  it('refuses an unknown zone with RangeError', () => {
    expect(() => localOf(0, 'Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => localOf(NaN, 'UTC')).toThrow(RangeError);
  });
});

describe('instantOfLocal resolves wall times as PostgreSQL does', () => {
  it('an ordinary wall time', () => {
    expect(iso(instantOfLocal(wall(2024, 7, 4, 12), 'America/New_York'))).toBe('2024-07-04T16:00:00.000Z');
    expect(iso(instantOfLocal(wall(2024, 6, 15), 'Asia/Kathmandu'))).toBe('2024-06-14T18:15:00.000Z');
  });

  it("a skipped wall time takes the offset before the jump (PostgreSQL docs B.2: '2018-03-11 02:30' New York -> 03:30 EDT)", () => {
    // 02:30 read at EST (-05:00) = 07:30Z, which the clock shows as 03:30 EDT.
    expect(iso(instantOfLocal(wall(2018, 3, 11, 2, 30), 'America/New_York'))).toBe('2018-03-11T07:30:00.000Z');
    // Paris 2024-03-31 02:30 read at CET (+01:00) = 01:30Z = 03:30 CEST.
    expect(iso(instantOfLocal(wall(2024, 3, 31, 2, 30), 'Europe/Paris'))).toBe('2024-03-31T01:30:00.000Z');
  });

  it("a repeated wall time takes the offset after the jump back (PostgreSQL docs B.2: '2018-11-04 01:30' New York -> 01:30 EST)", () => {
    // 01:30 happens at 05:30Z (EDT) and 06:30Z (EST); the later one.
    expect(iso(instantOfLocal(wall(2018, 11, 4, 1, 30), 'America/New_York'))).toBe('2018-11-04T06:30:00.000Z');
    // Paris 2024-10-27 02:30 happens at 00:30Z (CEST) and 01:30Z (CET); the later one.
    expect(iso(instantOfLocal(wall(2024, 10, 27, 2, 30), 'Europe/Paris'))).toBe('2024-10-27T01:30:00.000Z');
  });

  it('a skipped local midnight: the day starts at the jump (Asia/Kathmandu, 1 January 1986, +05:30 -> +05:45)', () => {
    // Clocks went from 1985-12-31 23:59:59 (+05:30) to 1986-01-01 00:15 (+05:45) at 1985-12-31T18:30Z.
    // 00:00 read at +05:30 (the offset before) = 18:30Z: the first instant of 1 January 1986.
    const start = startOfLocalDay({ year: 1986, month: 1, day: 1 }, 'Asia/Kathmandu');
    expect(iso(start)).toBe('1985-12-31T18:30:00.000Z');
    expect(localOf(start, 'Asia/Kathmandu')).toEqual(wall(1986, 1, 1, 0, 15));
    expect(isStartOfLocalDay(start, 'Asia/Kathmandu')).toBe(true);
    expect(isStartOfLocalDay(start - 1, 'Asia/Kathmandu')).toBe(false);
  });

  it('round-trips every hour of a year across both Paris DST changes', () => {
    for (let t = at('2024-01-01T00:00:00Z'); t < at('2025-01-01T00:00:00Z'); t += HOUR) {
      const l = localOf(t, 'Europe/Paris');
      // Only the repeated hour of 27 October (00:00Z-01:00Z shows 02:xx CEST) maps to its later twin.
      const expected = t >= at('2024-10-27T00:00:00Z') && t < at('2024-10-27T01:00:00Z') ? t + HOUR : t;
      expect(instantOfLocal(l, 'Europe/Paris')).toBe(expected);
    }
  });
});

describe('civil dates and ISO weeks', () => {
  it('day numbers', () => {
    expect(dayNumber({ year: 1970, month: 1, day: 1 })).toBe(0);
    expect(dayNumber({ year: 2024, month: 3, day: 1 }) - dayNumber({ year: 2024, month: 2, day: 1 })).toBe(29);
    expect(civilOfDay(dayNumber({ year: 2024, month: 2, day: 29 }))).toEqual({ year: 2024, month: 2, day: 29 });
    expect(addDays({ year: 2024, month: 12, day: 31 }, 1)).toEqual({ year: 2025, month: 1, day: 1 });
    expect(firstOfMonthPlus({ year: 2024, month: 1, day: 15 }, -3)).toEqual({ year: 2023, month: 10, day: 1 });
    expect(firstOfMonthPlus({ year: 2024, month: 11, day: 1 }, 2)).toEqual({ year: 2025, month: 1, day: 1 });
  });

  it('weekdays: 1 January 2024 was a Monday, 1 January 2026 a Thursday', () => {
    expect(isoWeekday({ year: 2024, month: 1, day: 1 })).toBe(1);
    expect(isoWeekday({ year: 2026, month: 1, day: 1 })).toBe(4);
    expect(isoWeekday({ year: 1970, month: 1, day: 1 })).toBe(4);
    expect(isoWeekday({ year: 1969, month: 12, day: 28 })).toBe(7);
  });

  it.each([
    // A year has 53 ISO weeks when 1 January is a Thursday, or a Wednesday in a leap year.
    [2020, 53], // Wednesday, leap
    [2026, 53], // Thursday
    [2021, 52], // Friday
    [2025, 52], // Wednesday, not leap
    [2015, 53], // Thursday
    [1992, 53], // Wednesday, leap
    [2019, 52], // Tuesday
  ])('ISO year %i has %i weeks', (year, weeks) => {
    expect(isoWeeksInYear(year)).toBe(weeks);
  });

  it.each([
    [{ year: 2021, month: 1, day: 3 }, { isoYear: 2020, week: 53 }], // Sunday ending 2020-W53
    [{ year: 2021, month: 1, day: 4 }, { isoYear: 2021, week: 1 }],
    [{ year: 2024, month: 12, day: 30 }, { isoYear: 2025, week: 1 }], // Monday; that week's Thursday is 2 Jan 2025
    [{ year: 2027, month: 1, day: 1 }, { isoYear: 2026, week: 53 }],
    [{ year: 2024, month: 3, day: 4 }, { isoYear: 2024, week: 10 }],
  ])('isoWeekOf(%p)', (date, week) => {
    expect(isoWeekOf(date)).toEqual(week);
  });

  it('Mondays of ISO weeks', () => {
    expect(mondayOfIsoWeek(2020, 1)).toEqual({ year: 2019, month: 12, day: 30 });
    expect(mondayOfIsoWeek(2020, 53)).toEqual({ year: 2020, month: 12, day: 28 });
    expect(mondayOfIsoWeek(2026, 53)).toEqual({ year: 2026, month: 12, day: 28 });
    expect(mondayOfIsoWeek(2021, 10)).toEqual({ year: 2021, month: 3, day: 8 });
    expect(mondayOfIsoWeek(2020, 10)).toEqual({ year: 2020, month: 3, day: 2 });
  });
});
