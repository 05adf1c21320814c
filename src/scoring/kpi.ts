export type KpiMetric =
  | 'NPS'
  | 'PROMOTER_SHARE'
  | 'DETRACTOR_SHARE'
  | 'RESPONSE_COUNT'
  | 'FOLLOW_UP_RATE'
  | 'CLOSED_WITHIN_SLA_RATE';

export type KpiStatus = 'ON_TRACK' | 'AT_RISK' | 'OFF_TRACK' | 'NO_DATA';

/** Metrics where a smaller actual is better (the gap's sign is flipped). */
export const LOWER_IS_BETTER: ReadonlySet<KpiMetric> = new Set<KpiMetric>(['DETRACTOR_SHARE']);

/**
 * Metrics that accumulate over the period (a count): while the period runs, their status is judged
 * against the target pro-rated by the elapsed share of the period (on pace), not the full target.
 */
export const CUMULATIVE: ReadonlySet<KpiMetric> = new Set<KpiMetric>(['RESPONSE_COUNT']);

/** NPS, shares and rates: 5 points (they are percents). RESPONSE_COUNT: 10% of |target|. */
export function defaultTolerance(metric: KpiMetric, target: number): number {
  if (!Number.isFinite(target)) throw new RangeError(`target must be a finite number, got ${target}`);
  return metric === 'RESPONSE_COUNT' ? Math.abs(target) * 0.1 : 5;
}

export interface KpiEvaluation {
  actual: number | null;
  /** Positive is always better (flipped for lower-is-better metrics). */
  gap: number | null;
  status: KpiStatus;
}

function assertNonNegative(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a non-negative number, got ${value}`);
}

/**
 * gap >= 0 -> ON_TRACK; gap >= -max(tolerance, marginOfError ?? 0) -> AT_RISK; else OFF_TRACK.
 * A null/undefined tolerance means defaultTolerance(metric, target). actual null -> NO_DATA.
 * For CUMULATIVE metrics with progress < 1 (the elapsed share of the period), the status compares
 * actual with target * progress and tolerance * progress (on pace); gap stays actual - target.
 */
export function evaluateKpi(input: {
  metric: KpiMetric;
  target: number;
  actual: number | null;
  tolerance?: number | null;
  marginOfError?: number | null;
  /** Elapsed share of the period, 0..1; omitted: 1 (judged against the full target). */
  progress?: number | null;
}): KpiEvaluation {
  const { metric, target, actual } = input;
  const tolerance = input.tolerance ?? defaultTolerance(metric, target);
  assertNonNegative('tolerance', tolerance);
  const margin = input.marginOfError ?? 0;
  assertNonNegative('marginOfError', margin);
  if (!Number.isFinite(target)) throw new RangeError(`target must be a finite number, got ${target}`);
  if (actual === null) return { actual: null, gap: null, status: 'NO_DATA' };
  if (!Number.isFinite(actual)) throw new RangeError(`actual must be a finite number or null, got ${actual}`);
  const progress = input.progress ?? 1;
  if (!Number.isFinite(progress) || progress < 0 || progress > 1) throw new RangeError(`progress must be within 0..1, got ${progress}`);
  // Signed so that positive is better: against the full target (gap) and against the pace so far.
  const against = (expected: number) => (LOWER_IS_BETTER.has(metric) ? expected - actual : actual - expected);
  const pace = CUMULATIVE.has(metric) ? progress : 1;
  const gap = against(target);
  const judged = against(target * pace);
  let status: KpiStatus;
  if (judged >= 0) status = 'ON_TRACK';
  else if (judged >= -Math.max(tolerance * pace, margin)) status = 'AT_RISK';
  else status = 'OFF_TRACK';
  return { actual, gap, status };
}
