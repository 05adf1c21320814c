import DataLoader from 'dataloader';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { RequestContext, ServiceDeps } from '../../context';
import { SqlParams } from '../../common/sql-params';
import { perRequest } from '../../common/request-cache';
import { KpiChildInput, kpiContributions, NpsCounts } from '../../scoring';
import { Department } from '../departments/department.entity';
import { Person } from '../people/person.entity';
import { clip, countsOf } from '../reporting/facts/fact-counts';
import { factsSql } from '../reporting/facts/facts-query';
import { subtreePairsCtes } from '../reporting/department-rollup';
import { mergeInto } from '../reporting/sql-merge';
import { NpsScore } from '../reporting/nps-score.type';
import { KpiMetric, KpiTarget } from './kpi-target.entity';
import { isClosedLoopRate, rateFilter, scopeFilter } from './kpi-measurement';
import { countedUntil } from './kpi-target.rules';
import type { ClosedLoopMetrics } from '../closed-loop/closed-loop.types';
import type { ResponseFilter } from '../reporting/filter/response-filter.input';

export enum KpiContributorKind {
  CHILD_DEPARTMENT = 'CHILD_DEPARTMENT',
  OWN_DEPARTMENT = 'OWN_DEPARTMENT',
  NO_DEPARTMENT = 'NO_DEPARTMENT',
  AGENT = 'AGENT',
  NO_AGENT = 'NO_AGENT',
}
registerEnumType(KpiContributorKind, {
  name: 'KpiContributorKind',
  description:
    "CHILD_DEPARTMENT: a direct child department with its whole subtree. OWN_DEPARTMENT: the responses of the target's department itself (not of its children). NO_DEPARTMENT: responses with no department (organisation-wide targets). AGENT: one agent's responses (targets on a department without children). NO_AGENT: that department's responses with no agent.",
});

@ObjectType({
  description:
    "One part of a KPI target's scope and how many points it pulls the actual away from the target. The parts partition the target's responses, so their contributions add up to the target's gap (up to floating-point rounding).",
})
export class KpiContributor {
  @Field(() => KpiContributorKind)
  kind: KpiContributorKind;

  @Field(() => Department, { nullable: true, description: 'The child department (CHILD_DEPARTMENT) or the target\'s own department (OWN_DEPARTMENT); else null.' })
  department: Department | null;

  @Field(() => Person, { nullable: true, description: 'The agent (AGENT); else null.' })
  agent: Person | null;

  @Field({ description: 'The department\'s or agent\'s name; "(this department itself)", "(no department)" or "(no agent)" for the other kinds.' })
  label: string;

  @Field(() => Int, { description: 'Responses of this part in the target\'s scope and period.' })
  responses: number;

  @Field(() => Int, {
    description:
      "What this part's value is a share of, and its weight in the actual: its responses for NPS and shares; its detractors for FOLLOW_UP_RATE; its closed action items that have a due date for CLOSED_WITHIN_SLA_RATE.",
  })
  base: number;

  @Field(() => NpsScore, { description: 'Counts and NPS of this part.' })
  score: NpsScore;

  @Field(() => Float, { nullable: true, description: "This part's value of the target's metric (NPS, or the share or rate in percent); null when its base is 0." })
  actual: number | null;

  @Field(() => Float, {
    description:
      "Points of the target's gap this part accounts for, signed like the gap (positive helps): its share of the target's base (responses; detractors or closed items with a due date for the rates) x (its actual - target), negated for DETRACTOR_SHARE. Adds up over the parts to the gap.",
  })
  contribution: number;
}

/** Metrics whose actual is a weighted mean of its parts' values (by responses; the rates by their denominators). */
const SPLITTABLE: ReadonlySet<KpiMetric> = new Set([
  KpiMetric.NPS,
  KpiMetric.PROMOTER_SHARE,
  KpiMetric.DETRACTOR_SHARE,
  KpiMetric.FOLLOW_UP_RATE,
  KpiMetric.CLOSED_WITHIN_SLA_RATE,
]);

/** A part's counts, and for a rate target its rate's numerator and denominator. */
interface Part {
  child: string | null;
  counts: NpsCounts;
  ratio?: { numerator: number; denominator: number };
}

/** A rate's numerator and denominator from closed-loop metrics. */
function ratioOf(metric: KpiMetric, m: ClosedLoopMetrics): { numerator: number; denominator: number } {
  return metric === KpiMetric.FOLLOW_UP_RATE ? { numerator: m.followedUp, denominator: m.detractors } : { numerator: m.closedWithinSla, denominator: m.closedWithDue };
}

type Mode = 'organisation' | 'departments' | 'agents';

/** Targets counted per statement (one UNION ALL branch each). */
const MAX_BATCH = 100;

/**
 * KpiTarget.contributors: splits each target's responses into parts that partition them (the
 * direct child department subtrees plus the department's own responses; for a department without
 * children, its agents plus "no agent"; for an organisation-wide target, the root subtrees plus
 * responses without department), counts them through the fact planner (one branch per target,
 * grouped by department or agent, all the targets resolved together in ONE statement), and
 * computes each part's contribution to the gap with the scoring module (kpiContributions).
 * FOLLOW_UP_RATE and CLOSED_WITHIN_SLA_RATE targets split the same parts by their rate's
 * denominator: for a department split, the closed-loop metrics of the target and of each child come
 * from ClosedLoopService.summaries (the counters) and the unnamed part ("own department", "no
 * department") is the target's minus the named parts'; for an agent split, every part ("no agent"
 * included) comes from ClosedLoopService.summariesByAgent (the closed-loop counters by agent, or
 * the raw rows as of a past instant; one question per target grouped by agent): at most two calls
 * for the whole batch. Null for RESPONSE_COUNT.
 * Figures as of the target's requested asOf (responses given before it), like the target's own.
 */
export class KpiContributorsLoader {
  constructor(private readonly deps: ServiceDeps) {}

  load(ctx: RequestContext, target: KpiTarget): Promise<KpiContributor[] | null> {
    if (!SPLITTABLE.has(target.metric)) return Promise.resolve(null);
    const asOf = target.requestedAsOf ?? null;
    return perRequest(
      ctx,
      `kpi-contributors:${asOf ? asOf.toISOString() : 'live'}`,
      () =>
        new DataLoader<KpiTarget, KpiContributor[], string>((targets) => this.batch(ctx, targets, asOf), {
          cacheKeyFn: (t) => t.id,
          maxBatchSize: MAX_BATCH,
        }),
    ).load(target);
  }

  private async batch(ctx: RequestContext, targets: readonly KpiTarget[], asOf: Date | null): Promise<(KpiContributor[] | Error)[]> {
    await Promise.all([
      ...targets.map((t) => (t.segmentId ? ctx.loaders.segment.load(t.segmentId) : null)),
      ...targets.map((t) => (t.departmentId ? ctx.loaders.department.load(t.departmentId) : null)),
    ]);
    const children = await Promise.all(targets.map((t) => (t.departmentId ? ctx.loaders.departmentChildren.load(t.departmentId) : null)));
    // The child departments are the parts: known now, so reading them later costs no statement.
    for (const d of children.flatMap((c) => c ?? [])) ctx.loaders.department.prime(d.id, d);
    const modes: Mode[] = targets.map((t, i) => (!t.departmentId ? 'organisation' : children[i]!.length ? 'departments' : 'agents'));
    const results: (KpiContributor[] | Error | undefined)[] = targets.map(() => undefined);
    const branches: { i: number; sql: string; values: unknown[] }[] = [];
    const until = targets.map((t) => countedUntil(t.periodStart, t.periodEnd, asOf));
    for (const [i, target] of targets.entries()) {
      try {
        const params = new SqlParams();
        // Checks the department exists and lies in the caller's scope, and applies that scope.
        const plan = await ctx.services.filters.plan(ctx, scopeFilter(target), params);
        const ranges = [{ k: 0, ...clip(plan, null, until[i]) }];
        if (modes[i] === 'agents') {
          const facts = factsSql({ filter: plan, params, ranges, groupBy: 'agent_id', rawOnly: ctx.rawFacts });
          branches.push({ i, values: params.values, sql: `SELECT ${i}::int AS idx, f.g::uuid AS child, f.promoters, f.passives, f.detractors FROM (${facts.sql}) f` });
        } else {
          const facts = factsSql({ filter: plan, params, ranges, groupBy: 'department_id', rawOnly: ctx.rawFacts });
          const parts =
            modes[i] === 'organisation'
              ? 'SELECT id FROM departments WHERE parent_id IS NULL'
              : `SELECT id FROM departments WHERE parent_id = ${params.p(target.departmentId)}::uuid`;
          // A department in a part's subtree counts for that part; the rest (the department itself,
          // or no department for an organisation-wide target) keeps its own department id (or null).
          branches.push({
            i,
            values: params.values,
            sql: `WITH RECURSIVE counts AS (${facts.sql}), ${subtreePairsCtes(parts)}
              SELECT ${i}::int AS idx, coalesce(st.target_id, c.g::uuid) AS child,
                     sum(c.promoters) AS promoters, sum(c.passives) AS passives, sum(c.detractors) AS detractors
              FROM counts c LEFT JOIN subtree st ON st.department_id = c.g::uuid
              GROUP BY 2`,
          });
        }
      } catch (err) {
        results[i] = err instanceof Error ? err : new Error(String(err));
      }
    }
    const rows = new Map<number, Part[]>();
    if (branches.length) {
      const params = new SqlParams();
      const sql = branches.map((b) => `SELECT * FROM (${mergeInto(params, b.sql, b.values)}) b${b.i}`).join('\nUNION ALL\n');
      for (const row of (await ctx.reports.query(sql, params.values)) as Record<string, unknown>[]) {
        const i = Number(row.idx);
        const counts = countsOf(row);
        if (counts.promoters + counts.passives + counts.detractors === 0) continue;
        rows.set(i, [...(rows.get(i) ?? []), { child: (row.child as string | null) ?? null, counts }]);
      }
    }
    await this.addRates(ctx, targets, modes, until, rows, results, asOf);
    return Promise.all(
      targets.map(async (target, i) => {
        if (results[i]) return results[i]!;
        try {
          return await this.contributors(ctx, target, modes[i], rows.get(i) ?? []);
        } catch (err) {
          return err instanceof Error ? err : new Error(String(err));
        }
      }),
    );
  }

  /**
   * The rate targets' numerators and denominators per part (see the class comment): one summaries
   * call for the department and organisation splits, holding every target's own filter beside its
   * parts' so that the unnamed part is a difference within one call, and one summariesByAgent call
   * for the agent splits, running beside it.
   */
  private async addRates(
    ctx: RequestContext,
    targets: readonly KpiTarget[],
    modes: readonly Mode[],
    until: readonly Date[],
    rows: Map<number, Part[]>,
    results: (KpiContributor[] | Error | undefined)[],
    asOf: Date | null,
  ): Promise<void> {
    const unnamed = (i: number) => (modes[i] === 'departments' ? targets[i].departmentId : null);
    const rated = [...targets.keys()].filter((i) => !results[i] && isClosedLoopRate(targets[i].metric) && rows.get(i)?.length);
    // The agents are shown later: load them in one batch now.
    const agents = rated.filter((i) => modes[i] === 'agents').flatMap((i) => rows.get(i)!.flatMap((p) => (p.child ? [p.child] : [])));
    if (agents.length) await ctx.loaders.person.loadMany(agents);
    const byAgent = rated.filter((i) => modes[i] === 'agents');
    const agentCall = (async () => {
      if (!byAgent.length) return;
      // Split by agent in one statement (one question per target, grouped by agent; the agent
      // counters, or the raw rows as of a past instant): every part, "no agent" included, read directly.
      let split: Map<string | null, ClosedLoopMetrics>[];
      try {
        split = await ctx.services.closedLoop.summariesByAgent(ctx, byAgent.map((i) => rateFilter(targets[i], until[i])), { asOf });
      } catch (err) {
        for (const i of byAgent) results[i] = err instanceof Error ? err : new Error(String(err));
        return;
      }
      byAgent.forEach((i, n) => {
        for (const p of rows.get(i)!) {
          const m = split[n].get(p.child);
          p.ratio = m ? ratioOf(targets[i].metric, m) : { numerator: 0, denominator: 0 };
        }
      });
    })();
    const calls = [rated.filter((i) => modes[i] !== 'agents')].map(async (list) => {
      const filters: ResponseFilter[] = [];
      const slots = list.map((i) => {
        const total = rateFilter(targets[i], until[i]);
        const first = filters.length;
        filters.push(total);
        const named = rows.get(i)!.filter((p) => p.child !== unnamed(i));
        for (const p of named) filters.push(modes[i] === 'agents' ? { ...total, agentIds: [p.child!] } : { ...total, departmentIds: [p.child!] });
        return { i, first, named };
      });
      if (!filters.length) return;
      let metrics: ClosedLoopMetrics[];
      try {
        metrics = await ctx.services.closedLoop.summaries(ctx, filters, { medians: false, asOf });
      } catch (err) {
        for (const i of list) results[i] = err instanceof Error ? err : new Error(String(err));
        return;
      }
      for (const { i, first, named } of slots) {
        const metric = targets[i].metric;
        const rest = ratioOf(metric, metrics[first]);
        named.forEach((p, n) => {
          p.ratio = ratioOf(metric, metrics[first + 1 + n]);
          rest.numerator -= p.ratio.numerator;
          rest.denominator -= p.ratio.denominator;
        });
        // The unnamed part: the target's minus the named parts' (held consistent should a write fall between two statements).
        const numerator = Math.max(0, rest.numerator);
        const own = rows.get(i)!.find((p) => p.child === unnamed(i));
        if (own) own.ratio = { numerator, denominator: Math.max(numerator, rest.denominator) };
      }
    });
    await Promise.all([...calls, agentCall]);
  }

  private async contributors(ctx: RequestContext, target: KpiTarget, mode: Mode, all: Part[]): Promise<KpiContributor[]> {
    const rate = isClosedLoopRate(target.metric);
    // Parts with nothing to weigh are left out: no responses; for a rate, nothing in its denominator.
    const parts = rate ? all.filter((p) => p.ratio && p.ratio.denominator > 0) : all;
    if (!parts.length) return [];
    const children: KpiChildInput[] = parts.map((p, n) => (rate ? { id: String(n), ...p.ratio! } : { id: String(n), counts: p.counts }));
    const figures = kpiContributions({ metric: target.metric, target: target.target, children });
    const threshold = this.deps.config.lowSampleThreshold;
    const list = await Promise.all(
      parts.map(async (part, n): Promise<KpiContributor> => {
        const fig = figures.children[n];
        const c = Object.assign(new KpiContributor(), {
          department: null,
          agent: null,
          responses: part.counts.promoters + part.counts.passives + part.counts.detractors,
          base: fig.base,
          actual: fig.actual,
          contribution: fig.contribution ?? 0,
        });
        if (mode === 'agents') {
          const agent = part.child ? await ctx.loaders.person.load(part.child) : null;
          Object.assign(c, part.child
            ? { kind: KpiContributorKind.AGENT, agent, label: agent?.name ?? '(unknown agent)' }
            : { kind: KpiContributorKind.NO_AGENT, label: '(no agent)' });
          c.score = NpsScore.from(part.counts, threshold);
        } else if (part.child === null) {
          Object.assign(c, { kind: KpiContributorKind.NO_DEPARTMENT, label: '(no department)' });
          c.score = NpsScore.from(part.counts, threshold);
        } else {
          const department = await ctx.loaders.department.load(part.child);
          const own = part.child === target.departmentId;
          Object.assign(c, own
            ? { kind: KpiContributorKind.OWN_DEPARTMENT, department, label: '(this department itself)' }
            : { kind: KpiContributorKind.CHILD_DEPARTMENT, department, label: department?.name ?? '(unknown department)' });
          c.score = own
            ? NpsScore.from(part.counts, threshold)
            : NpsScore.from(part.counts, threshold, { filter: { ...scopeFilter(target), departmentIds: [part.child] }, departmentId: part.child });
        }
        return c;
      }),
    );
    return list.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || b.base - a.base || b.responses - a.responses || a.label.localeCompare(b.label));
  }
}
