import { adjustedWald, Z_95 } from './adjusted-wald';
import { assertValidCounts, totalOf } from './counts';
import { normalCdf, normalQuantile } from './normal-cdf';
import type { NpsCounts } from './types';

export interface ScoreChangeFigures {
  /** Plain NPS(current) - plain NPS(previous). */
  delta: number | null;
  /** (adj2 - adj1) / sqrt(SE1'^2 + SE2'^2). */
  zScore: number | null;
  /** Two-sided p-value 2 * (1 - Phi(|z|)). */
  pValue: number | null;
  significant: boolean;
}

/** Two-sided critical z. 0.95 uses the brief's 1.96 exactly; other levels use the normal quantile. */
export function criticalZ(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must be strictly between 0 and 1, got ${confidence}`);
  }
  return confidence === 0.95 ? Z_95 : normalQuantile((1 + confidence) / 2);
}

/**
 * Change between two INDEPENDENT periods (different respondents). Where the same customers answer
 * in both periods the samples are correlated and this test is only an approximation.
 * If either side has no responses, every figure is null and significant is false.
 */
export function compareScores(
  previous: NpsCounts,
  current: NpsCounts,
  options?: { confidence?: number },
): ScoreChangeFigures {
  assertValidCounts(previous);
  assertValidCounts(current);
  const critical = criticalZ(options?.confidence ?? 0.95);
  const before = adjustedWald(previous);
  const after = adjustedWald(current);
  if (before === null || after === null) {
    return { delta: null, zScore: null, pValue: null, significant: false };
  }
  const plain = (c: NpsCounts): number => (100 * (c.promoters - c.detractors)) / totalOf(c);
  const delta = plain(current) - plain(previous);
  const zScore =
    (after.centre - before.centre) /
    Math.sqrt(before.standardError * before.standardError + after.standardError * after.standardError);
  // 2 * (1 - Phi(|z|)) written as 2 * Phi(-|z|): same value, no cancellation in the tail.
  const pValue = Math.min(1, 2 * normalCdf(-Math.abs(zScore)));
  return { delta, zScore, pValue, significant: Math.abs(zScore) >= critical };
}
