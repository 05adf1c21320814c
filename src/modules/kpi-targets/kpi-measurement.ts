import DataLoader from 'dataloader';
import type { RequestContext, ServiceDeps } from '../../context';
import type { Services } from '../../services';
import { evaluateKpi, NpsCounts } from '../../scoring';
import type { ClosedLoopMetrics } from '../closed-loop/closed-loop.types';
import { NpsScore } from '../reporting/nps-score.type';
import type { ResponseFilter } from '../reporting/filter/response-filter.input';
import { KpiMetric, KpiStatus, KpiTarget } from './kpi-target.entity';
import { perRequest } from '../../common/request-cache';
import { countedUntil, periodProgress } from './kpi-target.rules';
import { countTargetRanges, scopeFilter, zeroCounts } from './kpi-counts';

export { scopeFilter } from './kpi-counts';

/** What a target measures to in one request: computed once per target (and asOf), whatever fields ask. */
export interface KpiMeasurement {
  score: NpsScore;
  actual: number | null;
  gap: number | null;
  status: KpiStatus;
}

/** The instant a target's figures stand at in this request: its requested asOf, else the request's now. */
export const judgedAt = (ctx: RequestContext, target: KpiTarget): Date => target.requestedAsOf ?? ctx.now();

/** Targets with equal keys cover the same responses (as of the same instant). */
const scopeKey = (t: KpiTarget, until: Date) => [t.periodStart.toISOString(), until.toISOString(), t.departmentId ?? '', t.segmentId ?? ''].join('|');

export const isClosedLoopRate = (metric: KpiMetric) => metric === KpiMetric.FOLLOW_UP_RATE || metric === KpiMetric.CLOSED_WITHIN_SLA_RATE;

/**
 * The closed-loop filter of a rate target: its scope's responses given before `until`. Live, their
 * action items are read as they are; as of an instant, ClosedLoopService.summaries is called with that
 * asOf, so the items are read as their history left them then (a follow-up made since does not count).
 */
export const rateFilter = (target: KpiTarget, until: Date): ResponseFilter => ({ ...scopeFilter(target), to: until });

/**
 * Measures KPI targets. All targets resolved in one tick (and asked as of the same instant) are
 * measured together: their scopes are compiled by the filter compiler and counted through the fact
 * planner (the rollups where they cover it) by countTargetRanges: the department-scoped targets
 * sharing a period in one grouped pass per period, each segment-scoped target in a branch of its
 * own, up to 100 branches per statement; then each figure comes from the scoring module.
 * The FOLLOW_UP_RATE and CLOSED_WITHIN_SLA_RATE targets of the batch add ONE closed-loop
 * statement together (ClosedLoopService.summaries), run beside the counts.
 *
 * As of an instant (asOf): only responses given before it count, and progress and pace are judged
 * at it; live (no asOf), a target counts its whole period and is judged at the request's now.
 */
export class KpiMeasurer {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {}

  measure(ctx: RequestContext, target: KpiTarget): Promise<KpiMeasurement> {
    return this.loader(ctx, target.requestedAsOf ?? null).load(target);
  }

  private loader(ctx: RequestContext, asOf: Date | null): DataLoader<KpiTarget, KpiMeasurement, string> {
    return perRequest(
      ctx,
      `kpi-measurement:${asOf ? asOf.toISOString() : 'live'}`,
      () => new DataLoader<KpiTarget, KpiMeasurement, string>((targets) => this.measureBatch(ctx, targets, asOf), { cacheKeyFn: (t) => t.id }),
    );
  }

  private async measureBatch(ctx: RequestContext, targets: readonly KpiTarget[], asOf: Date | null): Promise<(KpiMeasurement | Error)[]> {
    const until = targets.map((t) => countedUntil(t.periodStart, t.periodEnd, asOf));
    // Targets with the same scope (period, department, segment) share one count: `first[i]` is the
    // index of the first target of i's scope, whose counts and closed-loop metrics i reads.
    const firstOfScope = new Map<string, number>();
    const first = targets.map((t, i) => {
      const key = scopeKey(t, until[i]);
      if (!firstOfScope.has(key)) firstOfScope.set(key, i);
      return firstOfScope.get(key)!;
    });
    const leaders = [...targets.keys()].filter((i) => first[i] === i);
    const counting = countTargetRanges(
      ctx,
      leaders.map((i) => ({ i, target: targets[i], ranges: [{ k: 0, lo: targets[i].periodStart, hi: until[i] }] })),
    );
    // Closed-loop metrics of every scope with a rate target and something counted: one statement beside the counts, its failure theirs only.
    const rateScopes = [...new Set(targets.flatMap((t, i) => (isClosedLoopRate(t.metric) && until[i] > t.periodStart ? [first[i]] : [])))];
    const ratesOf = async (): Promise<Map<number, ClosedLoopMetrics | Error>> => {
      const rates = new Map<number, ClosedLoopMetrics | Error>();
      if (!rateScopes.length) return rates;
      try {
        // Rates only: no medians (their histograms are the costly part of the closed-loop statement).
        const metrics = await this.services.closedLoop.summaries(ctx, rateScopes.map((i) => rateFilter(targets[i], until[i])), { medians: false, asOf });
        rateScopes.forEach((i, n) => rates.set(i, metrics[n]));
      } catch (err) {
        for (const i of rateScopes) rates.set(i, err instanceof Error ? err : new Error(String(err)));
      }
      return rates;
    };
    const [{ counts, errors }, rates] = await Promise.all([counting, ratesOf()]);
    const at = asOf ?? ctx.now();
    return targets.map((target, i) => {
      const error = errors.get(first[i]);
      if (error) return error;
      const rate = isClosedLoopRate(target.metric) ? (rates.get(first[i]) ?? null) : undefined;
      if (rate instanceof Error) return rate;
      try {
        return this.evaluate(target, counts.get(first[i])?.get(0) ?? zeroCounts(), rate, at);
      } catch (err) {
        return err instanceof Error ? err : new Error(String(err));
      }
    });
  }

  /** One target's figures from its counts (and closed-loop metrics; null: nothing counted), judged at `at`. */
  evaluate(target: KpiTarget, counts: NpsCounts, closedLoop: ClosedLoopMetrics | null | undefined, at: Date): KpiMeasurement {
    const score = NpsScore.from(counts, this.deps.config.lowSampleThreshold, { filter: scopeFilter(target) });
    const actual = actualOf(target, score, closedLoop ?? null, at);
    const evaluation = evaluateKpi({
      metric: target.metric,
      target: target.target,
      actual,
      tolerance: target.tolerance,
      marginOfError: target.metric === KpiMetric.NPS ? score.marginOfError : null,
      progress: periodProgress(target.periodStart, target.periodEnd, at),
    });
    return { score, actual: evaluation.actual, gap: evaluation.gap, status: evaluation.status as KpiStatus };
  }
}

/**
 * The metric's value over the target's scope; null when there is nothing to measure. Closed-loop
 * rates come from the closed-loop metrics of the same scope: the detractors of the scope followed
 * up, or its closed items closed within SLA (null metrics: nothing counted yet).
 */
function actualOf(target: KpiTarget, score: NpsScore, closedLoop: ClosedLoopMetrics | null, at: Date): number | null {
  switch (target.metric) {
    case KpiMetric.NPS:
      return score.nps;
    case KpiMetric.PROMOTER_SHARE:
      return score.promoterShare;
    case KpiMetric.DETRACTOR_SHARE:
      return score.detractorShare;
    case KpiMetric.RESPONSE_COUNT:
      // Zero responses is a measurement (0) once the period has begun; before that, no data.
      return at.getTime() < target.periodStart.getTime() ? null : score.responses;
    case KpiMetric.FOLLOW_UP_RATE:
      return closedLoop?.followUpRate ?? null;
    case KpiMetric.CLOSED_WITHIN_SLA_RATE:
      return closedLoop?.closedWithinSlaRate ?? null;
  }
}
