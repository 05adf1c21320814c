import { criticalZ } from './compare';
import { normalCdf } from './normal-cdf';
import type { ScoreVerdict } from './verdict';

/** A share as counts: `part` of `whole` (e.g. detractors mentioning a theme, of all detractors). */
export interface ShareCounts {
  part: number;
  whole: number;
}

export interface ShareChangeFigures {
  /** Percent; null when whole is 0. */
  previous: number | null;
  current: number | null;
  /** current - previous, in percentage points; null when either is null. */
  delta: number | null;
  zScore: number | null;
  pValue: number | null;
  significant: boolean;
  verdict: ScoreVerdict;
}

/** Throws unless `s` is whole numbers with 0 <= part <= whole (`name` in the message). */
export function assertShare(name: string, s: ShareCounts): void {
  if (!Number.isSafeInteger(s.part) || !Number.isSafeInteger(s.whole) || s.part < 0 || s.part > s.whole) {
    throw new RangeError(`${name} must be whole numbers with 0 <= part <= whole, got ${s.part} of ${s.whole}`);
  }
}

/**
 * Whether a share moved between two independent periods: the two-proportion z-test with the pooled
 * proportion, z = (p2 - p1) / sqrt(p (1 - p) (1/n1 + 1/n2)), p = (x1 + x2) / (n1 + n2), two-sided p-value.
 * NOT_COMPARABLE when either period has a whole of 0. When p is 0 or 1 both shares are equal (0% or
 * 100%): z 0, p-value 1. The verdict follows the sign of z, as verdictOf does for scores.
 */
export function compareShares(previous: ShareCounts, current: ShareCounts, options?: { confidence?: number }): ShareChangeFigures {
  assertShare('previous', previous);
  assertShare('current', current);
  const critical = criticalZ(options?.confidence ?? 0.95);
  const pct = (s: ShareCounts) => (s.whole === 0 ? null : (100 * s.part) / s.whole);
  const before = pct(previous);
  const after = pct(current);
  if (before === null || after === null) {
    return { previous: before, current: after, delta: null, zScore: null, pValue: null, significant: false, verdict: 'NOT_COMPARABLE' };
  }
  const pooled = (previous.part + current.part) / (previous.whole + current.whole);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / previous.whole + 1 / current.whole));
  const zScore = se === 0 ? 0 : (current.part / current.whole - previous.part / previous.whole) / se;
  const pValue = Math.min(1, 2 * normalCdf(-Math.abs(zScore)));
  const significant = Math.abs(zScore) >= critical;
  const verdict: ScoreVerdict = !significant ? 'NO_SIGNIFICANT_CHANGE' : zScore > 0 ? 'SIGNIFICANT_UP' : 'SIGNIFICANT_DOWN';
  return { previous: before, current: after, delta: after - before, zScore, pValue, significant, verdict };
}
