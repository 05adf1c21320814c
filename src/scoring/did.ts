import { adjustedWald } from './adjusted-wald';
import { criticalZ } from './compare';
import { assertValidCounts } from './counts';
import { normalCdf } from './normal-cdf';
import { scoreFromCounts } from './score';
import type { NpsCounts } from './types';
import { compareWithVerdict, ScoreChangeVerdict, ScoreVerdict } from './verdict';

/** The four groups of a before/after comparison with a comparison group. */
export interface DidGroups {
  /** The treated scope (e.g. an initiative's departments) before and after the start. */
  scopeBefore: NpsCounts;
  scopeAfter: NpsCounts;
  /** Everything else (the comparison group) in the same two windows. */
  outsideBefore: NpsCounts;
  outsideAfter: NpsCounts;
}

export interface DidFigures {
  /** compareWithVerdict(scopeBefore, scopeAfter): the scope's own change and its test. */
  scopeChange: ScoreChangeVerdict;
  /** The same for the comparison group: what happened anyway (seasons, company-wide changes). */
  outsideChange: ScoreChangeVerdict;
  /** Plain: (NPS scope after - before) - (NPS outside after - before); null when a group is empty. */
  estimate: number | null;
  /** The same on the adjusted-Wald centres: what the test judges. */
  adjustedEstimate: number | null;
  /** sqrt(SE'1^2 + SE'2^2 + SE'3^2 + SE'4^2) of the four independent groups, in NPS points. */
  standardError: number | null;
  zScore: number | null;
  pValue: number | null;
  significant: boolean;
  verdict: ScoreVerdict;
  /** Some group has fewer responses than the low-sample threshold (30 by default). */
  lowSample: boolean;
}

/**
 * Difference in differences of NPS: the scope's change between two windows minus the comparison
 * group's change in the same windows, so a swing that moved everyone (a season, a price change) is
 * not taken for the scope's own effect. The four groups are independent samples (different
 * responses), so the variance of the adjusted difference is the sum of the four adjusted-Wald
 * variances; z = adjustedEstimate / SE, two-sided p-value. Where the same customers answer in
 * several groups the samples are correlated and the test is an approximation (as compareScores).
 * Assumes parallel trends: without the initiative the scope would have moved like the rest.
 */
export function differenceInDifferences(g: DidGroups, options?: { confidence?: number; lowSampleThreshold?: number }): DidFigures {
  const groups = [g.scopeBefore, g.scopeAfter, g.outsideBefore, g.outsideAfter];
  groups.forEach(assertValidCounts);
  const critical = criticalZ(options?.confidence ?? 0.95);
  const scopeChange = compareWithVerdict(g.scopeBefore, g.scopeAfter, options);
  const outsideChange = compareWithVerdict(g.outsideBefore, g.outsideAfter, options);
  const lowSample = groups.some((c) => scoreFromCounts(c, { lowSampleThreshold: options?.lowSampleThreshold }).lowSample);
  const aw = groups.map(adjustedWald);
  if (aw.some((a) => a === null) || scopeChange.delta === null || outsideChange.delta === null) {
    return {
      scopeChange, outsideChange, estimate: null, adjustedEstimate: null, standardError: null,
      zScore: null, pValue: null, significant: false, verdict: 'NOT_COMPARABLE', lowSample,
    };
  }
  const [sb, sa, ob, oa] = aw as NonNullable<(typeof aw)[number]>[];
  const estimate = scopeChange.delta - outsideChange.delta;
  const adjustedEstimate = sa.centre - sb.centre - (oa.centre - ob.centre);
  const standardError = Math.sqrt(aw.reduce((s, a) => s + a!.standardError * a!.standardError, 0));
  const zScore = adjustedEstimate / standardError;
  const pValue = Math.min(1, 2 * normalCdf(-Math.abs(zScore)));
  const significant = Math.abs(zScore) >= critical;
  const verdict: ScoreVerdict = !significant ? 'NO_SIGNIFICANT_CHANGE' : zScore > 0 ? 'SIGNIFICANT_UP' : 'SIGNIFICANT_DOWN';
  return { scopeChange, outsideChange, estimate, adjustedEstimate, standardError, zScore, pValue, significant, verdict, lowSample };
}
