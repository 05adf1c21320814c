import { assertValidCounts, sumCounts, totalOf } from './counts';
import type { NpsCounts } from './types';

/** One survey kind's counts in both periods (RELATIONSHIP, TRANSACTIONAL...). */
export interface KindCounts {
  kind: string;
  previous: NpsCounts;
  current: NpsCounts;
}

export interface SurveyKindShift {
  kind: string;
  previousResponses: number;
  currentResponses: number;
  /** Percent of the period's responses (0..100); null when the period has none. */
  previousShare: number | null;
  currentShare: number | null;
  /** currentShare - previousShare, in percentage points; null when either is null. */
  shift: number | null;
  previousNps: number | null;
  currentNps: number | null;
}

export interface SurveyMixFigures {
  kinds: SurveyKindShift[];
  /** The largest |shift| over the kinds, in points; null when either period has no responses. */
  maxShift: number | null;
  /** maxShift > the threshold (10 points by default). */
  mixShifted: boolean;
  /** NPS of all kinds together (the summed counts). */
  previousNps: number | null;
  currentNps: number | null;
  /** currentNps - previousNps. */
  rawChange: number | null;
  /** Sum over kinds of previousShare_k x currentNps_k: this period's scores at last period's mix. */
  mixAdjustedNps: number | null;
  /** mixAdjustedNps - previousNps. */
  mixAdjustedChange: number | null;
}

export const DEFAULT_MIX_SHIFT_THRESHOLD = 10;

const nps = (c: NpsCounts): number | null => {
  const n = totalOf(c);
  return n === 0 ? null : (100 * (c.promoters - c.detractors)) / n;
};

/**
 * Whether a change in NPS comes from a change in the survey mix. Relationship surveys typically
 * score differently from transactional ones, so a period with more transactional responses can
 * move the NPS with no customer feeling any different (Simpson's paradox).
 *
 * - Shares: each kind's share of the period's responses, in percent; shift = current - previous share,
 *   in points. mixShifted when some kind's share moved by MORE than `shiftThreshold` points (10).
 * - Mix-adjusted NPS (direct standardisation to the previous period's mix):
 *   NPS_adj = sum_k (n_k,prev / N_prev) x NPS_k,cur, and mixAdjustedChange = NPS_adj - NPS_prev.
 *   As NPS_prev = sum_k (n_k,prev / N_prev) x NPS_k,prev, the mix-adjusted change is
 *   sum_k share_k,prev x (NPS_k,cur - NPS_k,prev): the within-kind changes at fixed weights. Reported
 *   beside rawChange; their difference is the part of the raw change due to the mix.
 *   Null when either period has no responses, or a kind that had responses before has none now
 *   (its current NPS is undefined, so the previous mix cannot be re-weighted).
 *
 * Throws RangeError on invalid counts, a repeated kind or a negative threshold.
 */
export function surveyMix(kinds: readonly KindCounts[], options?: { shiftThreshold?: number }): SurveyMixFigures {
  const threshold = options?.shiftThreshold ?? DEFAULT_MIX_SHIFT_THRESHOLD;
  if (!Number.isFinite(threshold) || threshold < 0) throw new RangeError(`shiftThreshold must be a non-negative number, got ${threshold}`);
  const seen = new Set<string>();
  for (const k of kinds) {
    if (seen.has(k.kind)) throw new RangeError(`survey kind ${JSON.stringify(k.kind)} appears twice`);
    seen.add(k.kind);
    assertValidCounts(k.previous);
    assertValidCounts(k.current);
  }
  const previousAll = sumCounts(kinds.map((k) => k.previous));
  const currentAll = sumCounts(kinds.map((k) => k.current));
  const nPrevious = totalOf(previousAll);
  const nCurrent = totalOf(currentAll);
  const share = (n: number, of: number) => (of === 0 ? null : (100 * n) / of);
  const shifts: SurveyKindShift[] = kinds.map((k) => {
    const previousShare = share(totalOf(k.previous), nPrevious);
    const currentShare = share(totalOf(k.current), nCurrent);
    return {
      kind: k.kind,
      previousResponses: totalOf(k.previous),
      currentResponses: totalOf(k.current),
      previousShare,
      currentShare,
      shift: previousShare === null || currentShare === null ? null : currentShare - previousShare,
      previousNps: nps(k.previous),
      currentNps: nps(k.current),
    };
  });
  const comparable = nPrevious > 0 && nCurrent > 0;
  const maxShift = comparable ? Math.max(0, ...shifts.map((s) => Math.abs(s.shift!))) : null;
  const previousNps = nps(previousAll);
  const currentNps = nps(currentAll);
  let mixAdjustedNps: number | null = null;
  if (comparable && shifts.every((s) => s.previousResponses === 0 || s.currentNps !== null)) {
    mixAdjustedNps = shifts.reduce((sum, s) => (s.previousResponses === 0 ? sum : sum + (s.previousResponses / nPrevious) * s.currentNps!), 0);
  }
  return {
    kinds: shifts,
    maxShift,
    mixShifted: maxShift !== null && maxShift > threshold,
    previousNps,
    currentNps,
    rawChange: comparable ? currentNps! - previousNps! : null,
    mixAdjustedNps,
    mixAdjustedChange: mixAdjustedNps === null ? null : mixAdjustedNps - previousNps!,
  };
}
