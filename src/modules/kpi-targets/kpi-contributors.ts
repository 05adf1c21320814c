import DataLoader from 'dataloader';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { RequestContext, ServiceDeps } from '../../context';
import { SqlParams } from '../../common/sql-params';
import { perRequest } from '../../common/request-cache';
import { kpiContributions, NpsCounts } from '../../scoring';
import { Department } from '../departments/department.entity';
import { Person } from '../people/person.entity';
import { clip, countsOf } from '../reporting/facts/fact-counts';
import { factsSql } from '../reporting/facts/facts-query';
import { subtreePairsCtes } from '../reporting/department-rollup';
import { mergeInto } from '../reporting/sql-merge';
import { NpsScore } from '../reporting/nps-score.type';
import { KpiMetric, KpiTarget } from './kpi-target.entity';
import { scopeFilter } from './kpi-measurement';

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

  @Field(() => NpsScore, { description: 'Counts and NPS of this part.' })
  score: NpsScore;

  @Field(() => Float, { nullable: true, description: "This part's value of the target's metric (NPS, or the share in percent); null without responses." })
  actual: number | null;

  @Field(() => Float, {
    description:
      "Points of the target's gap this part accounts for, signed like the gap (positive helps): share of the target's responses x (its actual - target), negated for DETRACTOR_SHARE. Adds up over the parts to the gap.",
  })
  contribution: number;
}

/** Metrics whose actual is a response-weighted mean of its parts' values. */
const SPLITTABLE: ReadonlySet<KpiMetric> = new Set([KpiMetric.NPS, KpiMetric.PROMOTER_SHARE, KpiMetric.DETRACTOR_SHARE]);

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
 * Null for RESPONSE_COUNT and the closed-loop rates.
 */
export class KpiContributorsLoader {
  constructor(private readonly deps: ServiceDeps) {}

  load(ctx: RequestContext, target: KpiTarget): Promise<KpiContributor[] | null> {
    if (!SPLITTABLE.has(target.metric)) return Promise.resolve(null);
    return perRequest(
      ctx,
      'kpi-contributors',
      () => new DataLoader<KpiTarget, KpiContributor[], string>((targets) => this.batch(ctx, targets), { cacheKeyFn: (t) => t.id, maxBatchSize: MAX_BATCH }),
    ).load(target);
  }

  private async batch(ctx: RequestContext, targets: readonly KpiTarget[]): Promise<(KpiContributor[] | Error)[]> {
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
    for (const [i, target] of targets.entries()) {
      try {
        const params = new SqlParams();
        // Checks the department exists and lies in the caller's scope, and applies that scope.
        const plan = await ctx.services.filters.plan(ctx, scopeFilter(target), params);
        const ranges = [{ k: 0, ...clip(plan, null, null) }];
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
    const rows = new Map<number, { child: string | null; counts: NpsCounts }[]>();
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

  private async contributors(ctx: RequestContext, target: KpiTarget, mode: Mode, parts: { child: string | null; counts: NpsCounts }[]): Promise<KpiContributor[]> {
    if (!parts.length) return [];
    const figures = kpiContributions({ metric: target.metric, target: target.target, children: parts.map((p, n) => ({ id: String(n), counts: p.counts })) });
    const threshold = this.deps.config.lowSampleThreshold;
    const list = await Promise.all(
      parts.map(async (part, n): Promise<KpiContributor> => {
        const fig = figures.children[n];
        const c = Object.assign(new KpiContributor(), {
          department: null,
          agent: null,
          responses: fig.base,
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
    return list.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || b.responses - a.responses || a.label.localeCompare(b.label));
  }
}
