import { assertValidCounts, totalOf } from './counts';
import { KpiMetric, LOWER_IS_BETTER } from './kpi';
import type { NpsCounts } from './types';

/** A child scope (department, team, agent, segment...) of a KPI's scope: counts for NPS and shares, a ratio for rates. */
export type KpiChildInput = { id: string; counts: NpsCounts } | { id: string; numerator: number; denominator: number };

export interface KpiChildContribution {
  id: string;
  /** Its weight's base: responses (NPS, shares) or the rate's denominator (detractors to follow up...). */
  base: number;
  /** Percent of the total base; null when the total base is 0. */
  weight: number | null;
  /** The child's own value of the metric; null when its base is 0. */
  actual: number | null;
  /** actual - target (not weighted); null when its base is 0. */
  differenceFromTarget: number | null;
  /** Points of the gap this child accounts for, signed like the gap (positive helps); null when the total base is 0. */
  contribution: number | null;
}

export interface KpiContributionFigures {
  metric: KpiMetric;
  target: number;
  /** The metric over all children together (from summed counts); null when the total base is 0. */
  actual: number | null;
  /** As evaluateKpi: actual - target, or target - actual for lower-is-better metrics; positive is better. */
  gap: number | null;
  /** In input order. */
  children: KpiChildContribution[];
}

const COUNT_METRICS: ReadonlySet<KpiMetric> = new Set<KpiMetric>(['NPS', 'PROMOTER_SHARE', 'DETRACTOR_SHARE']);
const RATE_METRICS: ReadonlySet<KpiMetric> = new Set<KpiMetric>(['FOLLOW_UP_RATE', 'CLOSED_WITHIN_SLA_RATE']);

/** The metric as 100 x numerator / base: NPS has numerator P - D, promoter share P, detractor share D. */
function ratioOf(metric: KpiMetric, child: KpiChildInput): { numerator: number; base: number } {
  if (COUNT_METRICS.has(metric)) {
    if (!('counts' in child)) throw new RangeError(`${metric} needs counts for child ${JSON.stringify(child.id)}`);
    const c = child.counts;
    assertValidCounts(c);
    const numerator = metric === 'NPS' ? c.promoters - c.detractors : metric === 'PROMOTER_SHARE' ? c.promoters : c.detractors;
    return { numerator, base: totalOf(c) };
  }
  if (!('numerator' in child)) throw new RangeError(`${metric} needs numerator and denominator for child ${JSON.stringify(child.id)}`);
  const { numerator, denominator } = child;
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || numerator < 0 || numerator > denominator) {
    throw new RangeError(`child ${JSON.stringify(child.id)} needs integers 0 <= numerator <= denominator, got ${numerator}/${denominator}`);
  }
  return { numerator, base: denominator };
}

/**
 * How many points each child scope pulls a KPI's actual away from its target, such that the
 * children's contributions add up exactly to the gap.
 *
 * The metrics here are ratios: NPS = 100 (P - D) / n, promoter share 100 P / n, detractor share
 * 100 D / n, follow-up and closed-within-SLA rates 100 x done / due. Over children that partition
 * the scope, the actual is the base-weighted mean of the children's values:
 *   actual = sum_i w_i x actual_i,   w_i = base_i / base (its share of responses, or of the rate's denominator).
 * So with
 *   contribution_i = s x w_i x (actual_i - target),   s = -1 for lower-is-better metrics (detractor share), else +1,
 * sum_i contribution_i = s x (sum_i w_i actual_i - target x sum_i w_i) = s x (actual - target) = gap,
 * the same gap evaluateKpi reports (positive is better). A child on target contributes 0 whatever its
 * size; a child below target contributes in proportion to its weight and its distance from target.
 * Computed as s x (100 numerator_i - target x base_i) / base; a child with no base contributes 0.
 *
 * RESPONSE_COUNT is a sum, not a mean: there is no such split (throws RangeError). The children must
 * partition the scope (the caller's job: sibling departments, not a department and its subtree).
 * Throws RangeError on a non-finite target, invalid counts, or a child of the wrong shape for the metric.
 */
export function kpiContributions(input: { metric: KpiMetric; target: number; children: readonly KpiChildInput[] }): KpiContributionFigures {
  const { metric, target } = input;
  if (!COUNT_METRICS.has(metric) && !RATE_METRICS.has(metric)) {
    throw new RangeError(`${metric} is not an average of its children; contributions are defined for ${[...COUNT_METRICS, ...RATE_METRICS].join(', ')}`);
  }
  if (!Number.isFinite(target)) throw new RangeError(`target must be a finite number, got ${target}`);
  const sign = LOWER_IS_BETTER.has(metric) ? -1 : 1;
  const ratios = input.children.map((child) => ({ id: child.id, ...ratioOf(metric, child) }));
  const base = ratios.reduce((s, r) => s + r.base, 0);
  const numerator = ratios.reduce((s, r) => s + r.numerator, 0);
  const actual = base === 0 ? null : (100 * numerator) / base;
  return {
    metric,
    target,
    actual,
    gap: actual === null ? null : sign * (actual - target) + 0, // + 0 turns -0 into 0
    children: ratios.map((r) => {
      const childActual = r.base === 0 ? null : (100 * r.numerator) / r.base;
      return {
        id: r.id,
        base: r.base,
        weight: base === 0 ? null : (100 * r.base) / base,
        actual: childActual,
        differenceFromTarget: childActual === null ? null : childActual - target,
        contribution: base === 0 ? null : (sign * (100 * r.numerator - target * r.base)) / base + 0,
      };
    }),
  };
}
