import {
  addDays,
  CivilDate,
  dayNumber,
  firstOfMonthPlus,
  instantOfLocal,
  isoWeekday,
  isoWeekOf,
  isoWeeksInYear,
  isStartOfLocalDay,
  localDateOf,
  localOf,
  mondayOfIsoWeek,
  startOfLocalDay,
} from './zoned-time';

/** Which earlier period a range is compared with. */
export type CompareTo = 'PREVIOUS_PERIOD' | 'PREVIOUS_CALENDAR_PERIOD' | 'SAME_PERIOD_LAST_YEAR';

export const COMPARE_TO: readonly CompareTo[] = ['PREVIOUS_PERIOD', 'PREVIOUS_CALENDAR_PERIOD', 'SAME_PERIOD_LAST_YEAR'];

/** Calendar units, largest first. ISO_WEEK runs Monday 00:00 to the next Monday 00:00, local time. */
export type CalendarUnit = 'YEAR' | 'QUARTER' | 'MONTH' | 'ISO_WEEK' | 'DAY';

/** A range [from, to) that is `count` whole `unit`s in a zone. */
export interface CalendarUnits {
  unit: CalendarUnit;
  count: number;
}

/** The period to compare with. `unit`/`count`: what the current range was recognised as, when it is whole units. */
export interface ComparablePeriod {
  ok: true;
  comparable: true;
  from: Date;
  to: Date;
  unit?: CalendarUnit;
  count?: number;
}

/** There is no like-for-like earlier period (ISO week 53 in a year whose predecessor has none...). A result, not an error. */
export interface NotComparablePeriod {
  ok: true;
  comparable: false;
  from: null;
  to: null;
  unit?: CalendarUnit;
  count?: number;
  reason: string;
}

/** The input cannot be compared this way; the API turns it into BAD_USER_INPUT on `field`. */
export interface ComparisonPeriodError {
  ok: false;
  field: 'filter.from' | 'filter.to';
  message: string;
}

export type ComparisonPeriodResult = ComparablePeriod | NotComparablePeriod | ComparisonPeriodError;

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function describeLocal(instant: number, zone: string): string {
  const l = localOf(instant, zone);
  return `${pad(l.year, 4)}-${pad(l.month)}-${pad(l.day)} ${pad(l.hour)}:${pad(l.minute)}:${pad(l.second)}`;
}

const isFirstOfMonth = (d: CivilDate) => d.day === 1;
const monthIndex = (d: CivilDate) => d.year * 12 + d.month - 1;

/**
 * What [from, to) is in whole calendar units of `zone`, or null when a bound is not the start of
 * a local day. Both bounds being day starts, the range is always a whole number of days; when it
 * is also whole units of a larger kind, the LARGEST is reported: 1 Jan - 1 Feb is 1 MONTH (not 31
 * DAYs), 1 Jan 2024 - 1 Jan 2025 is 1 YEAR (not 12 MONTHs or 4 QUARTERs), Monday 1 Jan 2024 -
 * Monday 1 Apr 2024 is 1 QUARTER (not 13 ISO_WEEKs), Monday - next Monday is 1 ISO_WEEK (not 7 DAYs).
 * The choice matters because "the unit before" differs: the month before February is 31 days long.
 * Units are local: a day is 23 or 25 hours across a DST change; a quarter starts in Jan/Apr/Jul/Oct.
 * Assumes from < to.
 */
export function calendarUnitsOf(from: Date, to: Date, zone = 'UTC'): CalendarUnits | null {
  const start = from.getTime();
  const end = to.getTime();
  if (!isStartOfLocalDay(start, zone) || !isStartOfLocalDay(end, zone)) return null;
  const a = localDateOf(start, zone);
  const b = localDateOf(end, zone);
  if (isFirstOfMonth(a) && isFirstOfMonth(b)) {
    const months = monthIndex(b) - monthIndex(a);
    if (a.month === 1 && b.month === 1) return { unit: 'YEAR', count: b.year - a.year };
    if ((a.month - 1) % 3 === 0 && (b.month - 1) % 3 === 0) return { unit: 'QUARTER', count: months / 3 };
    return { unit: 'MONTH', count: months };
  }
  const days = dayNumber(b) - dayNumber(a);
  if (isoWeekday(a) === 1 && isoWeekday(b) === 1) return { unit: 'ISO_WEEK', count: days / 7 };
  return { unit: 'DAY', count: days };
}

/** The same units shifted back by `count` units: [start of (from - count units), from). */
function previousUnits(from: Date, units: CalendarUnits, zone: string): ComparablePeriod {
  const a = localDateOf(from.getTime(), zone);
  let start: CivilDate;
  switch (units.unit) {
    case 'YEAR':
      start = { year: a.year - units.count, month: 1, day: 1 };
      break;
    case 'QUARTER':
      start = firstOfMonthPlus(a, -3 * units.count);
      break;
    case 'MONTH':
      start = firstOfMonthPlus(a, -units.count);
      break;
    case 'ISO_WEEK':
      start = addDays(a, -7 * units.count);
      break;
    case 'DAY':
      start = addDays(a, -units.count);
      break;
  }
  return { ok: true, comparable: true, from: new Date(startOfLocalDay(start, zone)), to: new Date(from.getTime()), ...units };
}

/** 29 February has no counterpart a year earlier: it maps to 28 February. */
function sameDateLastYear(date: CivilDate): CivilDate {
  const day = date.month === 2 && date.day === 29 ? 28 : date.day;
  return { year: date.year - 1, month: date.month, day };
}

/**
 * One bound shifted back a calendar year in `zone`. A bound at the start of a local day maps to
 * the start of the same date a year earlier; an exclusive end at the start of day D is treated as
 * the end of day D - 1, so a range ending at the start of 29 February (that is, ending with 28
 * February) ends with the whole of 28 February a year earlier, not a day short. Any other bound
 * keeps its wall time (a wall time the earlier year's DST change skips resolves as PostgreSQL does).
 */
function boundLastYear(instant: number, zone: string, end: boolean): number {
  if (isStartOfLocalDay(instant, zone)) {
    const date = localDateOf(instant, zone);
    if (!end) return startOfLocalDay(sameDateLastYear(date), zone);
    return startOfLocalDay(addDays(sameDateLastYear(addDays(date, -1)), 1), zone);
  }
  const local = localOf(instant, zone);
  return instantOfLocal({ ...local, ...sameDateLastYear(local) }, zone);
}

function sameIsoWeeksLastYear(from: Date, to: Date, units: CalendarUnits, zone: string): ComparablePeriod | NotComparablePeriod {
  const first = isoWeekOf(localDateOf(from.getTime(), zone));
  const last = isoWeekOf(addDays(localDateOf(to.getTime(), zone), -7));
  const label = (w: { isoYear: number; week: number }) => `${w.isoYear}-W${pad(w.week)}`;
  const notComparable = (reason: string): NotComparablePeriod => ({ ok: true, comparable: false, from: null, to: null, ...units, reason });
  const missing = [first, last].find((w) => w.week === 53 && isoWeeksInYear(w.isoYear - 1) === 52);
  if (missing) {
    return notComparable(`ISO week ${label(missing)} has no counterpart: ISO year ${missing.isoYear - 1} has 52 weeks`);
  }
  const start = mondayOfIsoWeek(first.isoYear - 1, first.week);
  const end = addDays(mondayOfIsoWeek(last.isoYear - 1, last.week), 7);
  const weeks = (dayNumber(end) - dayNumber(start)) / 7;
  if (weeks !== units.count) {
    // The range runs across an ISO year end, and one of the two year ends has a week 53 the other lacks.
    return notComparable(
      `ISO weeks ${label(first)} to ${label(last)} (${units.count}) map to ${weeks} weeks a year earlier: only one of the two year ends has an ISO week 53`,
    );
  }
  return { ok: true, comparable: true, from: new Date(startOfLocalDay(start, zone)), to: new Date(startOfLocalDay(end, zone)), ...units };
}

/**
 * The earlier period that [from, to) is compared with, in the IANA zone `timeZone` (UTC when omitted):
 *
 * - PREVIOUS_PERIOD: the period of equal length just before, in absolute time:
 *   [from - (to - from), from). Any range; the zone plays no part (as the API has always done).
 * - PREVIOUS_CALENDAR_PERIOD: the range must be whole calendar units of one kind in the zone
 *   (see calendarUnitsOf: both bounds at the start of a local day; the largest unit that tiles the
 *   range is taken); it is compared with the same number of units just before: March with
 *   February, Q1 2024 with Q4 2023, ISO week 1 of 2021 with week 53 of 2020, two whole months
 *   with the two months before, 10 whole days with the 10 days before. Because both periods are
 *   whole local units, a DST change makes them differ in hours (a March in Paris is 743 hours, its
 *   February 696 or 672), where PREVIOUS_PERIOD would give a range starting at an odd local time.
 *   A bound that is not the start of a local day: an error on that field (filter.from first).
 * - SAME_PERIOD_LAST_YEAR: both bounds one calendar year back, local wall time kept; 29 February
 *   maps to 28 February (see boundLastYear for the exclusive end). When the range is whole ISO weeks
 *   (and no larger unit), it maps to the same ISO week numbers of the previous ISO year instead
 *   (week 10 of 2021, from Monday 8 March, to week 10 of 2020, from Monday 2 March); a week 53 whose
 *   previous ISO year has no week 53 (which is always the case: a 53-week ISO year starts on a
 *   Thursday, or a Wednesday in a leap year, so the year after starts on a Friday or Saturday and
 *   has 52), or a run of weeks across an ISO year end that would change
 *   length, is NOT_COMPARABLE (comparable: false, with a reason). A non-whole-day range that the
 *   leap day folds onto an empty or inverted period (28 Feb 12:00 to 29 Feb 06:00) is not comparable either.
 *
 * from >= to: an error on filter.to. An unknown zone or an invalid Date throws RangeError: the API
 * validates the zone (resolveTimeZone) and the dates before calling.
 */
export function comparisonPeriod(input: { from: Date; to: Date; compareTo: CompareTo; timeZone?: string | null }): ComparisonPeriodResult {
  const { from, to, compareTo } = input;
  const zone = input.timeZone ?? 'UTC';
  const start = from.getTime();
  const end = to.getTime();
  if (!Number.isFinite(start)) throw new RangeError('from is not a valid date');
  if (!Number.isFinite(end)) throw new RangeError('to is not a valid date');
  localOf(start, zone); // throws RangeError on an unknown zone, whatever compareTo is
  if (start >= end) return { ok: false, field: 'filter.to', message: 'filter.to must be after filter.from' };

  switch (compareTo) {
    case 'PREVIOUS_PERIOD':
      return { ok: true, comparable: true, from: new Date(start - (end - start)), to: new Date(start) };

    case 'PREVIOUS_CALENDAR_PERIOD': {
      const units = calendarUnitsOf(from, to, zone);
      if (units) return previousUnits(from, units, zone);
      const field = isStartOfLocalDay(start, zone) ? 'filter.to' : 'filter.from';
      const instant = field === 'filter.from' ? start : end;
      return {
        ok: false,
        field,
        message:
          `compareTo PREVIOUS_CALENDAR_PERIOD needs a range of whole calendar units (days, ISO weeks, months, quarters or years) in ${zone}: ` +
          `${field} must be the start of a day there (00:00 local time), got ${new Date(instant).toISOString()} (${describeLocal(instant, zone)} local)`,
      };
    }

    case 'SAME_PERIOD_LAST_YEAR': {
      const units = calendarUnitsOf(from, to, zone) ?? undefined;
      if (units?.unit === 'ISO_WEEK') return sameIsoWeeksLastYear(from, to, units, zone);
      const previousFrom = boundLastYear(start, zone, false);
      const previousTo = boundLastYear(end, zone, true);
      if (previousFrom >= previousTo) {
        return {
          ok: true,
          comparable: false,
          from: null,
          to: null,
          reason: `the range folds onto an empty period a year earlier: 29 February has no counterpart and maps to 28 February`,
        };
      }
      return { ok: true, comparable: true, from: new Date(previousFrom), to: new Date(previousTo), ...units };
    }

    default:
      throw new RangeError(`compareTo must be one of ${COMPARE_TO.join(', ')}, got ${String(compareTo)}`);
  }
}
