import { addDays, CivilDate, firstOfMonthPlus, isoWeekday, localDateOf, startOfLocalDay } from './zoned-time';

/** An alert window: an ISO week (Monday 00:00 to Monday 00:00) or a calendar month, in local time. */
export type WindowUnit = 'WEEK' | 'MONTH';

/** The first day of the window holding `date`. */
function windowStart(date: CivilDate, unit: WindowUnit): CivilDate {
  return unit === 'WEEK' ? addDays(date, 1 - isoWeekday(date)) : { year: date.year, month: date.month, day: 1 };
}

function shift(start: CivilDate, unit: WindowUnit, n: number): CivilDate {
  return unit === 'WEEK' ? addDays(start, 7 * n) : firstOfMonthPlus(start, n);
}

/**
 * The last complete window at `now` in `zone`: the week or month that ended at the latest window
 * start at or before now (a window ending exactly at now is complete). [from, to) as instants;
 * 23- or 25-hour days across a DST change included. Throws RangeError on an unknown zone.
 */
export function lastCompleteWindow(now: Date, unit: WindowUnit, zone: string): { from: Date; to: Date } {
  const current = windowStart(localDateOf(now.getTime(), zone), unit);
  return { from: new Date(startOfLocalDay(shift(current, unit, -1), zone)), to: new Date(startOfLocalDay(current, zone)) };
}
