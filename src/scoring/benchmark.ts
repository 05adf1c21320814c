import { adjustedWald } from './adjusted-wald';
import { criticalZ } from './compare';
import { assertValidCounts, totalOf } from './counts';
import { normalCdf } from './normal-cdf';
import type { NpsCounts } from './types';

/**
 * How a score stands against a fixed value (an industry benchmark, an internal standard):
 * SIGNIFICANTLY_ABOVE / SIGNIFICANTLY_BELOW when the test rejects "the true NPS is the value" at the
 * confidence level (the direction is the sign of z), NOT_SIGNIFICANT when it does not, NO_DATA for n = 0.
 */
export type BenchmarkOutcome = 'SIGNIFICANTLY_ABOVE' | 'SIGNIFICANTLY_BELOW' | 'NOT_SIGNIFICANT' | 'NO_DATA';

export interface BenchmarkGapFigures {
  /** Plain NPS - value, in NPS points; null when n = 0. */
  gap: number | null;
  /** (adjusted-Wald centre - value) / SE'; null when n = 0. */
  zScore: number | null;
  /** Two-sided p-value 2 * (1 - Phi(|z|)); null when n = 0. */
  pValue: number | null;
  significant: boolean;
  outcome: BenchmarkOutcome;
}

/**
 * One-sample test of an NPS against a fixed value (a benchmark is a published figure, not a sample
 * of ours: it carries no sampling error here). With the adjusted-Wald estimate of the score
 * (adjusted-wald.ts): z = (NPS' - value) / SE', significant when |z| >= the critical z (1.96 at 95%).
 * This is the same as "the value lies outside the score's 95% interval NPS' +/- 1.96 SE'", so a
 * dashboard that draws the interval and the benchmark line agrees with `significant`.
 * The gap is the plain NPS minus the value (what people read); the test uses the adjusted centre,
 * as compareScores does. The value must be an NPS (-100..100); throws RangeError otherwise.
 */
export function compareToBenchmark(counts: NpsCounts, value: number, options?: { confidence?: number }): BenchmarkGapFigures {
  assertValidCounts(counts);
  if (!Number.isFinite(value) || value < -100 || value > 100) {
    throw new RangeError(`benchmark value must be an NPS from -100 to 100, got ${value}`);
  }
  const critical = criticalZ(options?.confidence ?? 0.95);
  const adjusted = adjustedWald(counts);
  if (adjusted === null) return { gap: null, zScore: null, pValue: null, significant: false, outcome: 'NO_DATA' };
  const gap = (100 * (counts.promoters - counts.detractors)) / totalOf(counts) - value;
  // SE' > 0 whenever n > 0: p' and d' are at least 0.75 / n', so V' = p'(1-p') + d'(1-d') + 2p'd' > 0.
  const zScore = (adjusted.centre - value) / adjusted.standardError;
  // 2 * Phi(-|z|) rather than 2 * (1 - Phi(|z|)): the same value without cancellation in the tail.
  const pValue = Math.min(1, 2 * normalCdf(-Math.abs(zScore)));
  const significant = Math.abs(zScore) >= critical;
  const outcome: BenchmarkOutcome = !significant ? 'NOT_SIGNIFICANT' : zScore > 0 ? 'SIGNIFICANTLY_ABOVE' : 'SIGNIFICANTLY_BELOW';
  return { gap, zScore, pValue, significant, outcome };
}
