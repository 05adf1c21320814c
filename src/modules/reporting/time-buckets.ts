import { badInput } from '../../common/errors';
import { TrendInterval } from './reporting.types';

/** The most buckets one trend may return. */
export const MAX_TREND_BUCKETS = 1000;

export interface IntervalSpec {
  /** date_trunc unit; 'week' truncates to Monday (ISO). */
  unit: string;
  /** generate_series step over local timestamps. */
  step: string;
  /** The longest a bucket can be (with a DST hour), for a cheap check before the query. */
  maxMs: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const INTERVALS: Record<TrendInterval, IntervalSpec> = {
  DAY: { unit: 'day', step: '1 day', maxMs: DAY + HOUR },
  WEEK: { unit: 'week', step: '1 week', maxMs: 7 * DAY + HOUR },
  MONTH: { unit: 'month', step: '1 month', maxMs: 31 * DAY + HOUR },
  QUARTER: { unit: 'quarter', step: '3 months', maxMs: 92 * DAY + HOUR },
};

const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/**
 * Validates an IANA time zone name and returns its canonical spelling; UTC when none is given.
 * Offsets such as "+02:00" and POSIX strings are refused: PostgreSQL reads their sign the other way.
 */
export function resolveTimeZone(zone: string | null | undefined, field = 'timeZone'): string {
  if (zone === null || zone === undefined) return 'UTC';
  const invalid = () => badInput(`${field} must be an IANA time zone name such as "Europe/Paris" or "UTC"; got ${JSON.stringify(zone)}`, field);
  if (zone.length > 64 || !ZONE_NAME.test(zone)) throw invalid();
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw invalid();
  }
}

/** Refuses a range that certainly holds more than MAX_TREND_BUCKETS buckets, before querying. */
export function assertBucketCount(from: Date, to: Date, interval: TrendInterval): void {
  const atLeast = Math.floor((to.getTime() - from.getTime()) / INTERVALS[interval].maxMs);
  if (atLeast > MAX_TREND_BUCKETS) throw tooManyBuckets(interval);
}

export const tooManyBuckets = (interval: TrendInterval) =>
  badInput(
    `The trend would have more than ${MAX_TREND_BUCKETS} ${interval} buckets; narrow filter.from..filter.to or use a longer interval`,
    'interval',
    { maxBuckets: MAX_TREND_BUCKETS },
  );
