/**
 * Wall-clock time in an IANA time zone, from the zone data built into the runtime (Intl), with no
 * dependency. Reporting buckets are computed in SQL as `date_trunc(unit, ts AT TIME ZONE zone)
 * AT TIME ZONE zone`; these helpers give the same instants in TypeScript, so a period worked out
 * here lines up with the buckets PostgreSQL draws (same zone rules, same resolution of wall times
 * that a DST change skips or repeats, see instantOfLocal).
 */

export const MS_PER_DAY = 86_400_000;

/** A wall-clock date and time (proleptic Gregorian; month 1..12; year 0 is 1 BC). */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/** A calendar date (no time of day, no zone). */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        era: 'short',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new RangeError(`unknown time zone ${JSON.stringify(zone)}; pass an IANA name such as "Europe/Paris" or "UTC"`);
    }
    formatters.set(zone, formatter);
  }
  return formatter;
}

function assertInstant(instant: number): void {
  if (!Number.isFinite(instant)) throw new RangeError(`invalid instant ${instant}`);
}

/**
 * Milliseconds since the epoch of a wall time read as if it were UTC. Years 0..99 are taken
 * literally (Date.UTC would read them as 1900..1999). Out-of-range fields roll over like Date.UTC.
 */
export function utcFields(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millisecond = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millisecond);
  return date.getTime();
}

/** The wall-clock date and time shown in `zone` at `instant` (ms since the epoch). */
export function localOf(instant: number, zone: string): LocalDateTime {
  assertInstant(instant);
  const parts = formatterFor(zone).formatToParts(instant);
  const field = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  const yearOfEra = Number(field('year'));
  const year = field('era') === 'BC' || field('era') === 'B' ? 1 - yearOfEra : yearOfEra;
  return {
    year,
    month: Number(field('month')),
    day: Number(field('day')),
    hour: Number(field('hour')),
    minute: Number(field('minute')),
    second: Number(field('second')),
    millisecond: ((instant % 1000) + 1000) % 1000,
  };
}

/** UTC offset of `zone` at `instant`, in ms (positive east of Greenwich: +05:45 is 20_700_000). */
export function zoneOffsetMs(instant: number, zone: string): number {
  const l = localOf(instant, zone);
  return utcFields(l.year, l.month, l.day, l.hour, l.minute, l.second, l.millisecond) - instant;
}

/**
 * The instant at which clocks in `zone` show `local`, resolved as PostgreSQL resolves
 * `timestamp AT TIME ZONE zone` (documentation, appendix B.2): a wall time that a jump forward
 * skips gets the offset in force just before the jump (2024-03-31 02:30 in Europe/Paris is read
 * as 02:30 +01:00, i.e. 03:30 +02:00), and a wall time that a jump back repeats gets the offset
 * in force just after it (the later of the two instants). So a local midnight that a DST change
 * skips (Asia/Kathmandu, 1 January 1986) resolves to the first instant of that day, as
 * date_trunc('day', ...) AT TIME ZONE does.
 *
 * How: the offsets a day before and a day after the wall time are the candidates; a candidate o
 * is right when the zone's offset at (wall - o) is o. Two right candidates: ambiguous, take the
 * later instant; none: skipped, take the earlier offset. Assumes the zone's offset does not change
 * twice within two days of the wall time (true of every zone in use for the last century).
 */
export function instantOfLocal(local: LocalDateTime, zone: string): number {
  const wall = utcFields(local.year, local.month, local.day, local.hour, local.minute, local.second, local.millisecond);
  assertInstant(wall);
  const before = zoneOffsetMs(wall - MS_PER_DAY, zone);
  const after = zoneOffsetMs(wall + MS_PER_DAY, zone);
  const valid = [before, after].filter((offset) => zoneOffsetMs(wall - offset, zone) === offset).map((offset) => wall - offset);
  if (valid.length > 0) return Math.max(...valid);
  return wall - before;
}

/** Days since 1970-01-01 of a calendar date (negative before). */
export function dayNumber(date: CivilDate): number {
  return Math.round(utcFields(date.year, date.month, date.day) / MS_PER_DAY);
}

/** The calendar date of a day number (inverse of dayNumber). */
export function civilOfDay(day: number): CivilDate {
  const d = new Date(day * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** `date` plus `days` days (negative to go back). */
export function addDays(date: CivilDate, days: number): CivilDate {
  return civilOfDay(dayNumber(date) + days);
}

/** The first day of the month `months` months after `date`'s month (negative to go back). */
export function firstOfMonthPlus(date: CivilDate, months: number): CivilDate {
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  return { year, month: index - year * 12 + 1, day: 1 };
}

/** ISO weekday: Monday 1 .. Sunday 7. */
export function isoWeekday(date: CivilDate): number {
  // 1970-01-01 was a Thursday (4).
  return ((((dayNumber(date) + 3) % 7) + 7) % 7) + 1;
}

/** ISO 8601 week: weeks start on Monday; week 1 is the one holding the year's first Thursday. */
export interface IsoWeek {
  isoYear: number;
  week: number;
}

/** The ISO week of a date: the ISO year is the year of that week's Thursday. */
export function isoWeekOf(date: CivilDate): IsoWeek {
  const thursday = civilOfDay(dayNumber(date) + 4 - isoWeekday(date));
  const dayOfYear = dayNumber(thursday) - dayNumber({ year: thursday.year, month: 1, day: 1 });
  return { isoYear: thursday.year, week: Math.floor(dayOfYear / 7) + 1 };
}

/** 52 or 53: a year has 53 ISO weeks when it starts on a Thursday, or is a leap year starting on a Wednesday. */
export function isoWeeksInYear(isoYear: number): number {
  return isoWeekOf({ year: isoYear, month: 12, day: 28 }).week;
}

/** The Monday of ISO week `week` of `isoYear` (4 January is always in week 1). */
export function mondayOfIsoWeek(isoYear: number, week: number): CivilDate {
  const jan4 = { year: isoYear, month: 1, day: 4 };
  return civilOfDay(dayNumber(jan4) - (isoWeekday(jan4) - 1) + 7 * (week - 1));
}

/** The instant a calendar date begins in `zone` (its local midnight, or the first instant after a skipped midnight). */
export function startOfLocalDay(date: CivilDate, zone: string): number {
  return instantOfLocal({ ...date, hour: 0, minute: 0, second: 0, millisecond: 0 }, zone);
}

/** The calendar date in `zone` at `instant`. */
export function localDateOf(instant: number, zone: string): CivilDate {
  const { year, month, day } = localOf(instant, zone);
  return { year, month, day };
}

/** Whether `instant` is the first instant of its local day in `zone`. */
export function isStartOfLocalDay(instant: number, zone: string): boolean {
  return startOfLocalDay(localDateOf(instant, zone), zone) === instant;
}
