import type { NpsCounts } from './types';
import { totalOf } from './counts';

/** z for a two-sided 95% interval, as the brief fixes it (1.96, not 1.959964...). */
export const Z_95 = 1.96;

export interface AdjustedWald {
  /** 100 * (p' - d'), in NPS points. */
  centre: number;
  /** SE' = 100 * sqrt(V' / n'), in NPS points. */
  standardError: number;
}

/**
 * Adjusted-Wald estimate (Rocks 2016): n' = n + 3, p' = (P + 0.75)/n', d' = (D + 0.75)/n',
 * V' = p' + d' - (p' - d')^2. Returns null when n = 0 (no responses: nothing to estimate).
 * Counts are assumed valid (callers validate).
 */
export function adjustedWald(counts: NpsCounts): AdjustedWald | null {
  const n = totalOf(counts);
  if (n === 0) return null;
  const nAdj = n + 3;
  const p = (counts.promoters + 0.75) / nAdj;
  const d = (counts.detractors + 0.75) / nAdj;
  const variance = p + d - (p - d) * (p - d);
  return { centre: 100 * (p - d), standardError: 100 * Math.sqrt(variance / nAdj) };
}
