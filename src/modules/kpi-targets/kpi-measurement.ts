import DataLoader from 'dataloader';
import type { RequestContext, ServiceDeps } from '../../context';
import { SqlParams } from '../../common/sql-params';
import type { Services } from '../../services';
import { evaluateKpi, NpsCounts } from '../../scoring';
import type { ClosedLoopMetrics } from '../closed-loop/closed-loop.types';
import { clip, countsOf as factCounts } from '../reporting/facts/fact-counts';
import { factsSql } from '../reporting/facts/facts-query';
import { mergeInto } from '../reporting/sql-merge';
import { DepartmentScope, periodCountsSql } from './period-counts';
import { NpsScore } from '../reporting/nps-score.type';
import type { ResponseFilter } from '../reporting/filter/response-filter.input';
import { KpiMetric, KpiStatus, KpiTarget } from './kpi-target.entity';
import { perRequest } from '../../common/request-cache';
import { periodProgress } from './kpi-target.rules';

/** What a target measures to in one request: computed once per target, whatever fields ask. */
export interface KpiMeasurement {
  score: NpsScore;
  actual: number | null;
  gap: number | null;
  status: KpiStatus;
}

/** Targets measured per counts statement (one UNION ALL branch each). */
const MAX_BATCH = 100;

/** Targets with equal keys cover the same responses. */
const scopeKey = (t: KpiTarget) => [t.periodStart.toISOString(), t.periodEnd.toISOString(), t.departmentId ?? '', t.segmentId ?? ''].join('|');

/** The responses a target covers, as a ResponseFilter for the one filter compiler. */
export function scopeFilter(target: KpiTarget): ResponseFilter {
  return {
    from: target.periodStart,
    to: target.periodEnd,
    departmentIds: target.departmentId ? [target.departmentId] : undefined,
    segmentId: target.segmentId ?? undefined,
  };
}

/**
 * Measures KPI targets. All targets resolved in one tick are measured together: their scopes are
 * compiled by the filter compiler and counted in ONE statement, read through the fact planner (the
 * rollups where they cover it): the department-scoped targets sharing a period in one grouped pass
 * per period, each segment-scoped target in a branch of its own (up to 100 targets per
 * statement); then each figure comes from the scoring module.
 * The FOLLOW_UP_RATE and CLOSED_WITHIN_SLA_RATE targets of the batch add ONE closed-loop
 * statement together (ClosedLoopService.summaries), run beside the counts.
 */
export class KpiMeasurer {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {}

  measure(ctx: RequestContext, target: KpiTarget): Promise<KpiMeasurement> {
    return this.loader(ctx).load(target);
  }

  private loader(ctx: RequestContext): DataLoader<KpiTarget, KpiMeasurement, string> {
    return perRequest(
      ctx,
      'kpi-measurement',
      () => new DataLoader<KpiTarget, KpiMeasurement, string>((targets) => this.measureBatch(ctx, targets), { cacheKeyFn: (t) => t.id, maxBatchSize: MAX_BATCH }),
    );
  }

  private async measureBatch(ctx: RequestContext, targets: readonly KpiTarget[]): Promise<(KpiMeasurement | Error)[]> {
    // Prime the loaders the compiler uses, so compiling N scopes costs one lookup per table.
    await Promise.all([
      ...targets.map((t) => (t.segmentId ? ctx.loaders.segment.load(t.segmentId) : null)),
      ...targets.map((t) => (t.departmentId ? ctx.loaders.department.load(t.departmentId) : null)),
    ]);
    const branches: { i: number; sql: string; values: unknown[] }[] = [];
    const results: (KpiMeasurement | Error | undefined)[] = targets.map(() => undefined);
    // Targets with the same scope (period, department, segment) share one branch: `first[i]` is the
    // index of the first target of i's scope, whose branch and closed-loop metrics i reads.
    const firstOfScope = new Map<string, number>();
    const first = targets.map((t, i) => {
      const key = scopeKey(t);
      if (!firstOfScope.has(key)) firstOfScope.set(key, i);
      return firstOfScope.get(key)!;
    });
    // Department-scoped targets sharing a period are counted in one grouped pass per period.
    const byPeriod = new Map<string, DepartmentScope[]>();
    for (const [i, target] of targets.entries()) {
      if (first[i] !== i) continue;
      const params = new SqlParams();
      try {
        // Compiled for every target: it checks the department exists and lies in the caller's scope.
        const plan = await this.services.filters.plan(ctx, scopeFilter(target), params);
        if (!target.segmentId) {
          const key = `${target.periodStart.toISOString()}|${target.periodEnd.toISOString()}`;
          byPeriod.set(key, [...(byPeriod.get(key) ?? []), { i, departmentId: target.departmentId ?? null }]);
          continue;
        }
        const { sql } = factsSql({ filter: plan, params, ranges: [{ k: 0, ...clip(plan, null, null) }], rawOnly: ctx.rawFacts });
        branches.push({ i, sql: `SELECT ${i}::int AS idx, * FROM (${sql}) f${i}`, values: params.values });
      } catch (err) {
        results[i] = toError(err);
      }
    }
    for (const scopes of byPeriod.values()) {
      const t = targets[scopes[0].i];
      try {
        const { sql, values } = await periodCountsSql(ctx, { from: t.periodStart, to: t.periodEnd }, scopes);
        branches.push({ i: scopes[0].i, sql, values });
      } catch (err) {
        for (const s of scopes) results[s.i] = toError(err);
      }
    }
    for (const i of targets.keys()) results[i] = results[first[i]];
    const rateScopes = [...new Set(targets.flatMap((t, i) => (!results[i] && isClosedLoopRate(t.metric) ? [first[i]] : [])))];
    const countsOf = async (): Promise<Map<number, NpsCounts>> => {
      const counts = new Map<number, NpsCounts>();
      if (!branches.length) return counts;
      const params = new SqlParams();
      const sql = branches.map((b) => `SELECT * FROM (${mergeInto(params, b.sql, b.values)}) b${b.i}`).join('\nUNION ALL\n');
      const rows: Record<string, unknown>[] = await ctx.reports.query(sql, params.values);
      for (const row of rows) counts.set(Number(row.idx), factCounts(row));
      return counts;
    };
    // Closed-loop metrics of every scope with a rate target: one statement beside the counts, its failure theirs only.
    const ratesOf = async (): Promise<Map<number, ClosedLoopMetrics | Error>> => {
      const rates = new Map<number, ClosedLoopMetrics | Error>();
      if (!rateScopes.length) return rates;
      try {
        // Rates only: no medians (their histograms are the costly part of the closed-loop statement).
        const metrics = await this.services.closedLoop.summaries(ctx, rateScopes.map((i) => scopeFilter(targets[i])), { medians: false });
        rateScopes.forEach((i, n) => rates.set(i, metrics[n]));
      } catch (err) {
        for (const i of rateScopes) rates.set(i, toError(err));
      }
      return rates;
    };
    const [counts, rates] = await Promise.all([countsOf(), ratesOf()]);
    const now = ctx.now();
    return targets.map((target, i) => {
      if (results[i]) return results[i]!;
      const rate = isClosedLoopRate(target.metric) ? rates.get(first[i]) : undefined;
      if (rate instanceof Error) return rate;
      try {
        return this.evaluate(target, counts.get(first[i]) ?? { promoters: 0, passives: 0, detractors: 0 }, rate, now);
      } catch (err) {
        return toError(err);
      }
    });
  }

  private evaluate(target: KpiTarget, counts: NpsCounts, closedLoop: ClosedLoopMetrics | undefined, now: Date): KpiMeasurement {
    const score = NpsScore.from(counts, this.deps.config.lowSampleThreshold, { filter: scopeFilter(target) });
    const actual = actualOf(target, score, closedLoop, now);
    const evaluation = evaluateKpi({
      metric: target.metric,
      target: target.target,
      actual,
      tolerance: target.tolerance,
      marginOfError: target.metric === KpiMetric.NPS ? score.marginOfError : null,
      progress: periodProgress(target.periodStart, target.periodEnd, now),
    });
    return { score, actual: evaluation.actual, gap: evaluation.gap, status: evaluation.status as KpiStatus };
  }
}

const toError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

const isClosedLoopRate = (metric: KpiMetric) => metric === KpiMetric.FOLLOW_UP_RATE || metric === KpiMetric.CLOSED_WITHIN_SLA_RATE;

/**
 * The metric's value over the target's scope; null when there is nothing to measure. Closed-loop
 * rates come from the closed-loop metrics of the same scope: the detractors of the scope followed
 * up, or its closed items closed within SLA.
 */
function actualOf(target: KpiTarget, score: NpsScore, closedLoop: ClosedLoopMetrics | undefined, now: Date): number | null {
  switch (target.metric) {
    case KpiMetric.NPS:
      return score.nps;
    case KpiMetric.PROMOTER_SHARE:
      return score.promoterShare;
    case KpiMetric.DETRACTOR_SHARE:
      return score.detractorShare;
    case KpiMetric.RESPONSE_COUNT:
      // Zero responses is a measurement (0) once the period has begun; before that, no data.
      return now.getTime() < target.periodStart.getTime() ? null : score.responses;
    case KpiMetric.FOLLOW_UP_RATE:
      return closedLoop!.followUpRate;
    case KpiMetric.CLOSED_WITHIN_SLA_RATE:
      return closedLoop!.closedWithinSlaRate;
  }
}
