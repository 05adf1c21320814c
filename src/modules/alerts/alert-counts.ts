import type { RequestContext } from '../../context';
import type { NpsCounts } from '../../scoring';
import type { ShareCounts } from '../../scoring/shares';
import { countTargetRanges, zeroCounts } from '../kpi-targets/kpi-counts';
import type { KpiTarget } from '../kpi-targets/kpi-target.entity';
import type { AlertRule } from './alert-rule.entity';
import { AlertMetric } from './alert-rule.entity';

/** Two windows of one rule: the one judged and the one it is compared with. */
export interface RuleWindows {
  rule: AlertRule;
  current: { from: Date; to: Date };
  previous: { from: Date; to: Date };
}

export interface RuleCounts {
  nps: { previous: NpsCounts; current: NpsCounts };
  /** Detractors followed up of the window's detractors (FOLLOW_UP_RATE rules only). */
  followUp?: { previous: ShareCounts; current: ShareCounts };
}

/**
 * The counts of every rule's two windows, through the KPI targets' counting path: each rule's scope
 * (department subtree, segment, or the company) is compiled by the one filter compiler and counted
 * by the fact planner (the rollups where they cover it), the department-scoped rules sharing a
 * period in one grouped pass (countTargetRanges). FOLLOW_UP_RATE rules add ONE closed-loop
 * statement for all their windows (ClosedLoopService.summaries, its counters where they fit):
 * detractors and those followed up, as they stand at evaluation time.
 */
export async function countRuleWindows(ctx: RequestContext, rules: readonly RuleWindows[]): Promise<RuleCounts[]> {
  const asTarget = (r: RuleWindows): KpiTarget =>
    ({
      periodStart: new Date(Math.min(r.previous.from.getTime(), r.current.from.getTime())),
      periodEnd: new Date(Math.max(r.previous.to.getTime(), r.current.to.getTime())),
      departmentId: r.rule.departmentId,
      segmentId: r.rule.segmentId,
    }) as KpiTarget;
  const { counts, errors } = await countTargetRanges(
    ctx,
    rules.map((r, i) => ({
      i,
      target: asTarget(r),
      ranges: [
        { k: 0, lo: r.current.from, hi: r.current.to },
        { k: 1, lo: r.previous.from, hi: r.previous.to },
      ],
    })),
  );
  const firstError = [...errors.values()][0];
  if (firstError) throw firstError;
  const rates = rules.flatMap((r, i) => (r.rule.metric === AlertMetric.FOLLOW_UP_RATE ? [i] : []));
  const filterOf = (r: RuleWindows, w: { from: Date; to: Date }) => ({
    from: w.from,
    to: w.to,
    departmentIds: r.rule.departmentId ? [r.rule.departmentId] : undefined,
    segmentId: r.rule.segmentId ?? undefined,
  });
  const metrics = rates.length
    ? await ctx.services.closedLoop.summaries(ctx, rates.flatMap((i) => [filterOf(rules[i], rules[i].current), filterOf(rules[i], rules[i].previous)]), { medians: false })
    : [];
  const followUps = new Map<number, RuleCounts['followUp']>();
  rates.forEach((i, n) => {
    const [cur, prev] = [metrics[2 * n], metrics[2 * n + 1]];
    followUps.set(i, { current: { part: cur.followedUp, whole: cur.detractors }, previous: { part: prev.followedUp, whole: prev.detractors } });
  });
  return rules.map((_, i) => ({
    nps: { current: counts.get(i)?.get(0) ?? zeroCounts(), previous: counts.get(i)?.get(1) ?? zeroCounts() },
    followUp: followUps.get(i),
  }));
}
