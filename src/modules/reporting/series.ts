import type { RequestContext } from '../../context';
import { badInput } from '../../common/errors';
import { assertRangeOrder } from '../../common/range-order';
import { TrendInterval } from './reporting.types';
import { assertBucketCount, INTERVALS, IntervalSpec, resolveTimeZone } from './time-buckets';

/** What a bucketed series (npsTrend, closedLoopTrend) covers, checked the same way for both. */
export interface SeriesRange {
  zone: string;
  spec: IntervalSpec;
  /** filter.from, or null: the series starts with the first matching response. */
  from: Date | null;
  /** filter.to, or now. */
  to: Date;
}

/**
 * The one check of a series' interval, time zone and range: the same bad input gets the same
 * answer from every trend. Refuses a range certainly longer than the bucket limit before querying.
 */
export function seriesRange(
  ctx: RequestContext,
  filter: { from?: Date | null; to?: Date | null } | null | undefined,
  interval: TrendInterval,
  timeZone: string | null | undefined,
): SeriesRange {
  const zone = resolveTimeZone(timeZone);
  const spec = INTERVALS[interval];
  if (!spec) throw badInput(`interval must be one of ${Object.keys(INTERVALS).join(', ')}`, 'interval');
  const from = filter?.from ?? null;
  const to = filter?.to ?? ctx.now();
  assertRangeOrder({ field: 'filter.from', value: from }, { field: 'filter.to', value: to, endDefault: filter?.to ? undefined : 'now' });
  if (from) assertBucketCount(from, to, interval);
  return { zone, spec, from, to };
}

/** A zone Node knows but this PostgreSQL does not (SQLSTATE 22023) is still the client's input. */
export function zoneError(err: unknown, timeZone: string | null | undefined): unknown {
  if ((err as { driverError?: { code?: string } }).driverError?.code === '22023') {
    return badInput(`timeZone ${JSON.stringify(timeZone)} is not known to the database`, 'timeZone');
  }
  return err;
}
