import { compareScores, ScoreChangeFigures } from './compare';
import type { NpsCounts } from './types';

/**
 * What a change between two periods amounts to, in one word:
 * NOT_COMPARABLE when either period has no responses (compareScores gives no z);
 * SIGNIFICANT_UP / SIGNIFICANT_DOWN when compareScores finds it significant, by the sign of its z;
 * NO_SIGNIFICANT_CHANGE otherwise.
 */
export type ScoreVerdict = 'SIGNIFICANT_UP' | 'SIGNIFICANT_DOWN' | 'NO_SIGNIFICANT_CHANGE' | 'NOT_COMPARABLE';

export interface ScoreChangeVerdict extends ScoreChangeFigures {
  verdict: ScoreVerdict;
}

/**
 * The verdict of a compareScores result. It agrees with `significant` by construction (a SIGNIFICANT_*
 * verdict exactly when significant is true), and its direction is the sign of z, because z is what
 * the test judged: z compares the adjusted-Wald centres (which pull each NPS towards 0 by n/(n+3)),
 * while `delta` compares the plain NPS. The two signs can differ only when one side is tiny and the
 * other near +/-100: one promoter (NPS 100, adjusted centre 25) against 100,000 responses at NPS
 * 99.9 is SIGNIFICANT_UP with delta -0.1 (see the spec). Such a side is flagged lowSample anyway.
 */
export function verdictOf(change: ScoreChangeFigures): ScoreVerdict {
  if (change.zScore === null) return 'NOT_COMPARABLE';
  if (!change.significant) return 'NO_SIGNIFICANT_CHANGE';
  return change.zScore > 0 ? 'SIGNIFICANT_UP' : 'SIGNIFICANT_DOWN';
}

/** compareScores(previous, current, options) with its verdict. */
export function compareWithVerdict(previous: NpsCounts, current: NpsCounts, options?: { confidence?: number }): ScoreChangeVerdict {
  const change = compareScores(previous, current, options);
  return { ...change, verdict: verdictOf(change) };
}
