import { badInput } from '../../common/errors';
import { assertRangeOrder } from '../../common/range-order';
import { KpiMetric } from './kpi-target.entity';

/** The range a target value may take, per metric (inclusive bounds). */
export const TARGET_RANGE: Record<KpiMetric, { min: number; max: number; unit: string }> = {
  [KpiMetric.NPS]: { min: -100, max: 100, unit: 'NPS points' },
  [KpiMetric.PROMOTER_SHARE]: { min: 0, max: 100, unit: 'percent' },
  [KpiMetric.DETRACTOR_SHARE]: { min: 0, max: 100, unit: 'percent' },
  [KpiMetric.RESPONSE_COUNT]: { min: 0, max: Number.MAX_SAFE_INTEGER, unit: 'responses' },
  [KpiMetric.FOLLOW_UP_RATE]: { min: 0, max: 100, unit: 'percent' },
  [KpiMetric.CLOSED_WITHIN_SLA_RATE]: { min: 0, max: 100, unit: 'percent' },
};

/** BAD_USER_INPUT unless the target value is finite and within the metric's range. */
export function validateTargetValue(metric: KpiMetric, target: number, field = 'target'): void {
  const range = TARGET_RANGE[metric];
  if (typeof target !== 'number' || !Number.isFinite(target) || target < range.min || target > range.max) {
    const bounds = range.max === Number.MAX_SAFE_INTEGER ? `at least ${range.min}` : `from ${range.min} to ${range.max}`;
    throw badInput(`target for ${metric} must be ${bounds} (${range.unit}), got ${target}`, field);
  }
}

/** BAD_USER_INPUT unless both are valid dates and start < end. */
export function validatePeriod(periodStart: Date, periodEnd: Date): void {
  for (const [field, d] of [['periodStart', periodStart], ['periodEnd', periodEnd]] as const) {
    if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw badInput(`${field} is not a valid date-time`, field);
  }
  assertRangeOrder({ field: 'periodStart', value: periodStart }, { field: 'periodEnd', value: periodEnd });
}

/** Fraction of [start, end) elapsed at `now`, clamped to 0..1. */
export function periodProgress(start: Date, end: Date, now: Date): number {
  const span = end.getTime() - start.getTime();
  const done = now.getTime() - start.getTime();
  return Math.min(1, Math.max(0, done / span));
}

/** The instant the figures run up to: now, held within [start, end]. */
export function measuredUntil(start: Date, end: Date, now: Date): Date {
  return new Date(Math.min(end.getTime(), Math.max(start.getTime(), now.getTime())));
}

/** How far past the server clock an asOf may lie and still be read as now (clocks disagree a little, as for respondedAt). */
export const AS_OF_SKEW_MS = 5 * 60_000;

/**
 * The instant figures are asked as of: null when none is given (live: the request's now). An
 * instant more than AS_OF_SKEW_MS past `now` is BAD_USER_INPUT naming `field` (a figure "as it
 * stood" then does not exist yet); a later instant within the skew is read as now.
 */
export function resolveAsOf(asOf: Date | null | undefined, now: Date, field = 'asOf'): Date | null {
  if (asOf === null || asOf === undefined) return null;
  if (!(asOf instanceof Date) || Number.isNaN(asOf.getTime())) throw badInput(`${field} is not a valid date-time`, field);
  if (asOf.getTime() > now.getTime() + AS_OF_SKEW_MS) {
    throw badInput(
      `${field} ${asOf.toISOString()} is in the future (server time ${now.toISOString()}; 5 minutes of clock skew allowed): figures exist only as they stood at a past instant`,
      field,
    );
  }
  return asOf.getTime() > now.getTime() ? now : asOf;
}

/**
 * The end of the responses a target counts: its period's end, or asOf when that is earlier (held
 * within [start, end]: an asOf before the period counts nothing). Live (asOf null): the period's end.
 */
export function countedUntil(start: Date, end: Date, asOf: Date | null): Date {
  if (!asOf) return end;
  return new Date(Math.min(end.getTime(), Math.max(start.getTime(), asOf.getTime())));
}
