import { adjustedWald, Z_95 } from './adjusted-wald';
import { bandOf } from './band';
import { assertValidCounts, totalOf } from './counts';
import type { NpsBand, NpsCounts } from './types';

export const DEFAULT_LOW_SAMPLE_THRESHOLD = 30;

/** Every figure reported for one set of counts. Unrounded; null where n = 0. */
export interface NpsFigures {
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** Plain 100 * (P - D) / n; null when n = 0. */
  nps: number | null;
  /** Percent 0..100; null when n = 0. */
  promoterShare: number | null;
  passiveShare: number | null;
  detractorShare: number | null;
  /** Band of the plain NPS. */
  band: NpsBand | null;
  /** Adjusted-Wald centre 100 * (p' - d'). */
  adjustedNps: number | null;
  /** SE' in NPS points. */
  standardError: number | null;
  /** 1.96 * SE'. */
  marginOfError: number | null;
  /** Adjusted centre - margin, clamped to [-100, 100]. */
  confidenceLow: number | null;
  /** Adjusted centre + margin, clamped to [-100, 100]. */
  confidenceHigh: number | null;
  /** n < threshold (n = 0 included). */
  lowSample: boolean;
}

function percent(part: number, n: number): number | null {
  return n === 0 ? null : (100 * part) / n;
}

export function scoreFromCounts(counts: NpsCounts, options?: { lowSampleThreshold?: number }): NpsFigures {
  assertValidCounts(counts);
  const threshold = options?.lowSampleThreshold ?? DEFAULT_LOW_SAMPLE_THRESHOLD;
  if (!Number.isFinite(threshold) || threshold < 0) {
    throw new RangeError(`lowSampleThreshold must be a non-negative number, got ${threshold}`);
  }
  const { promoters, passives, detractors } = counts;
  const n = totalOf(counts);
  const nps = n === 0 ? null : (100 * (promoters - detractors)) / n;
  const adjusted = adjustedWald(counts);
  const margin = adjusted === null ? null : Z_95 * adjusted.standardError;
  return {
    responses: n,
    promoters,
    passives,
    detractors,
    nps,
    promoterShare: percent(promoters, n),
    passiveShare: percent(passives, n),
    detractorShare: percent(detractors, n),
    band: nps === null ? null : bandOf(nps),
    adjustedNps: adjusted?.centre ?? null,
    standardError: adjusted?.standardError ?? null,
    marginOfError: margin,
    confidenceLow: adjusted === null || margin === null ? null : Math.max(-100, adjusted.centre - margin),
    confidenceHigh: adjusted === null || margin === null ? null : Math.min(100, adjusted.centre + margin),
    lowSample: n < threshold,
  };
}
