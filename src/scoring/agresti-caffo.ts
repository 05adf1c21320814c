import { criticalZ } from './compare';
import { normalCdf } from './normal-cdf';
import { assertShare, ShareCounts } from './shares';
import type { ScoreVerdict } from './verdict';

export interface AdjustedShareChangeFigures {
  /** Plain shares in percent (part / whole); null when whole is 0. */
  previous: number | null;
  current: number | null;
  /** current - previous, plain, in percentage points; null when either is null. */
  delta: number | null;
  /** The Agresti-Caffo adjusted shares (x + 1) / (n + 2), in percent; null when whole is 0. */
  previousAdjusted: number | null;
  currentAdjusted: number | null;
  zScore: number | null;
  /** Two-sided: 2 * Phi(-|z|). */
  pValue: number | null;
  significant: boolean;
  verdict: ScoreVerdict;
}

/**
 * Whether a share or rate moved between two INDEPENDENT windows: the two-proportion z-test on
 * Agresti-Caffo (2000) adjusted proportions. Add one success and one failure to each side,
 * p~ = (x + 1) / (n + 2), and use the unpooled standard error of the difference,
 *   SE = sqrt(p~1 (1 - p~1) / (n1 + 2) + p~2 (1 - p~2) / (n2 + 2)),  z = (p~2 - p~1) / SE,
 * two-sided p-value 2 Phi(-|z|). The adjustment keeps the test honest for small windows and for
 * shares at 0% or 100% (where the plain Wald SE is 0): p~ is never 0 or 1, so SE > 0 always.
 * NOT_COMPARABLE (every figure null but the plain shares) when either whole is 0: nothing to test.
 * The verdict follows the sign of z (as verdictOf does for scores).
 */
export function compareSharesAdjusted(previous: ShareCounts, current: ShareCounts, options?: { confidence?: number }): AdjustedShareChangeFigures {
  assertShare('previous', previous);
  assertShare('current', current);
  const critical = criticalZ(options?.confidence ?? 0.95);
  const pct = (s: ShareCounts) => (s.whole === 0 ? null : (100 * s.part) / s.whole);
  const before = pct(previous);
  const after = pct(current);
  if (before === null || after === null) {
    return { previous: before, current: after, delta: null, previousAdjusted: null, currentAdjusted: null, zScore: null, pValue: null, significant: false, verdict: 'NOT_COMPARABLE' };
  }
  const adj = (s: ShareCounts) => (s.part + 1) / (s.whole + 2);
  const p1 = adj(previous);
  const p2 = adj(current);
  const se = Math.sqrt((p1 * (1 - p1)) / (previous.whole + 2) + (p2 * (1 - p2)) / (current.whole + 2));
  const zScore = (p2 - p1) / se;
  const pValue = Math.min(1, 2 * normalCdf(-Math.abs(zScore)));
  const significant = Math.abs(zScore) >= critical;
  const verdict: ScoreVerdict = !significant ? 'NO_SIGNIFICANT_CHANGE' : zScore > 0 ? 'SIGNIFICANT_UP' : 'SIGNIFICANT_DOWN';
  return { previous: before, current: after, delta: after - before, previousAdjusted: 100 * p1, currentAdjusted: 100 * p2, zScore, pValue, significant, verdict };
}
