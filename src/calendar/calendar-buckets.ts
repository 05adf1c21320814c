import { addDays, CivilDate, firstOfMonthPlus, isoWeekday, localDateOf, startOfLocalDay } from './zoned-time';

/** A calendar unit of a bucketed series (the trend intervals). */
export type BucketUnit = 'day' | 'week' | 'month' | 'quarter';

/** The first day of the unit holding `date`: itself, its ISO week's Monday, the 1st of its month or quarter. */
function unitStart(date: CivilDate, unit: BucketUnit): CivilDate {
  switch (unit) {
    case 'day':
      return date;
    case 'week':
      return addDays(date, 1 - isoWeekday(date));
    case 'month':
      return { year: date.year, month: date.month, day: 1 };
    case 'quarter':
      return { year: date.year, month: date.month - ((date.month - 1) % 3), day: 1 };
  }
}

/** The first day of the unit after the one starting on `start`. */
function nextUnit(start: CivilDate, unit: BucketUnit): CivilDate {
  switch (unit) {
    case 'day':
      return addDays(start, 1);
    case 'week':
      return addDays(start, 7);
    case 'month':
      return firstOfMonthPlus(start, 1);
    case 'quarter':
      return firstOfMonthPlus(start, 3);
  }
}

/**
 * The instants at which a new calendar unit begins in `zone`, strictly after `from` and strictly
 * before `to` (ms since the epoch), ascending: the bucket edges that cut [from, to) into calendar
 * units, the first and last buckets possibly shorter. The same instants as PostgreSQL's
 * `date_trunc(unit, ts AT TIME ZONE zone) AT TIME ZONE zone` (weeks start on Monday; quarters in
 * January, April, July and October). Throws RangeError when there would be more than `limit` edges.
 */
export function unitStartsBetween(from: number, to: number, unit: BucketUnit, zone: string, limit: number): number[] {
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new RangeError(`invalid range ${from}..${to}`);
  const edges: number[] = [];
  let day = unitStart(localDateOf(from, zone), unit);
  for (;;) {
    day = nextUnit(day, unit);
    const instant = startOfLocalDay(day, zone);
    if (instant >= to) return edges;
    if (instant > from) {
      if (edges.length >= limit) throw new RangeError(`more than ${limit} ${unit} edges between ${new Date(from).toISOString()} and ${new Date(to).toISOString()}`);
      edges.push(instant);
    }
  }
}
