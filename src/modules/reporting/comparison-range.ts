import { badInput } from '../../common/errors';
import { assertRangeOrder } from '../../common/range-order';
import { comparisonPeriod, type ComparablePeriod, type NotComparablePeriod } from '../../scoring';
import type { ResponseFilter } from './filter/response-filter.input';
import { CalendarUnit, CompareTo, NpsComparison } from './reporting.types';
import { resolveTimeZone } from './time-buckets';

/** filter.from..filter.to and the earlier period compareTo names, checked. */
export interface ComparisonRange {
  mode: CompareTo;
  /** Canonical IANA name. */
  zone: string;
  from: Date;
  to: Date;
  period: ComparablePeriod | NotComparablePeriod;
}

/**
 * The one check of a comparison's arguments (npsComparison, movers, and the change of
 * departmentScores and npsBreakdown): the time zone (BAD_USER_INPUT naming timeZone), filter.from
 * and filter.to both present and in order, and the earlier period compareTo names
 * (src/calendar: comparisonPeriod; a range that is not whole calendar units for
 * PREVIOUS_CALENDAR_PERIOD is BAD_USER_INPUT naming filter.from or filter.to).
 *
 * `required: false` (a change beside a score): without filter.from or filter.to there is nothing to
 * compare and the answer is null, unless compareTo was asked for explicitly, which then needs both.
 */
export function comparisonRange(
  filter: ResponseFilter | null | undefined,
  compareTo: CompareTo | null | undefined,
  timeZone: string | null | undefined,
  opts: { required: boolean },
): ComparisonRange | null {
  const zone = resolveTimeZone(timeZone);
  const mode = compareTo ?? CompareTo.PREVIOUS_PERIOD;
  const from = filter?.from;
  const to = filter?.to;
  const needed = opts.required || (compareTo !== null && compareTo !== undefined);
  if (!from || !to) {
    if (!needed) return null;
    const field = !from ? 'filter.from' : 'filter.to';
    throw badInput(`${field} is required to compare periods${opts.required ? '' : ' (compareTo was given)'}`, field);
  }
  assertRangeOrder({ field: 'filter.from', value: from }, { field: 'filter.to', value: to });
  const period = comparisonPeriod({ from, to, compareTo: mode, timeZone: zone });
  if (!period.ok) throw badInput(period.message, period.field, { compareTo: mode, timeZone: zone });
  return { mode, zone, from, to, period };
}

/** The earlier of the two periods' starts: what a plan counting both must start from. */
export const earliestFrom = (r: ComparisonRange): Date =>
  r.period.comparable && r.period.from.getTime() < r.from.getTime() ? r.period.from : r.from;

/** The NpsComparison fields that describe the periods (not the scores). */
export function periodFields(r: ComparisonRange): Pick<
  NpsComparison,
  'currentFrom' | 'currentTo' | 'previousFrom' | 'previousTo' | 'compareTo' | 'timeZone' | 'unit' | 'unitCount' | 'comparable' | 'notComparableReason'
> {
  const p = r.period;
  return {
    currentFrom: r.from,
    currentTo: r.to,
    previousFrom: p.comparable ? p.from : r.from,
    previousTo: p.comparable ? p.to : r.from,
    compareTo: r.mode,
    timeZone: r.zone,
    unit: (p.unit as CalendarUnit | undefined) ?? null,
    unitCount: p.count ?? null,
    comparable: p.comparable,
    notComparableReason: p.comparable ? null : p.reason,
  };
}
