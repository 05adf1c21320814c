import type { RequestContext } from '../../context';
import { SqlParams } from '../../common/sql-params';
import type { NpsCounts } from '../../scoring';
import { clip, countsOf } from '../reporting/facts/fact-counts';
import { factsSql } from '../reporting/facts/facts-query';
import { mergeInto } from '../reporting/sql-merge';
import type { ResponseFilter } from '../reporting/filter/response-filter.input';
import { DepartmentScope, periodCountsSql, TaggedRange } from './period-counts';
import type { KpiTarget } from './kpi-target.entity';

/** Branches (a period's department-scoped targets, or one segment-scoped target) per counting statement. */
const MAX_BRANCHES = 100;

/** The responses a target covers, as a ResponseFilter for the one filter compiler: its scope over its whole period. */
export function scopeFilter(target: KpiTarget): ResponseFilter {
  return {
    from: target.periodStart,
    to: target.periodEnd,
    departmentIds: target.departmentId ? [target.departmentId] : undefined,
    segmentId: target.segmentId ?? undefined,
  };
}

/** What to count for one target: ranges within its period, tagged k (an empty range counts nothing). */
export interface TargetRanges {
  /** The caller's index, unique within a call. */
  i: number;
  target: KpiTarget;
  ranges: readonly TaggedRange[];
}

export interface TargetCounts {
  /** Counts per index, then per range tag; a missing entry is zero. */
  counts: Map<number, Map<number, NpsCounts>>;
  /** Indexes whose scope the compiler refused (a department out of the caller's scope...), with why. */
  errors: Map<number, Error>;
}

export const zeroCounts = (): NpsCounts => ({ promoters: 0, passives: 0, detractors: 0 });

const toError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/** The agents of a segment that names agents and nothing else (the demo's one segment per frontline agent); else undefined. */
function agentsOnly(filter: Record<string, unknown> | null | undefined): string[] | undefined {
  if (!filter) return undefined;
  const set = Object.entries(filter).filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && !v.length));
  if (set.length !== 1 || set[0][0] !== 'agentIds' || !Array.isArray(set[0][1])) return undefined;
  return (set[0][1] as unknown[]).map(String);
}

/**
 * The counts of many targets' scopes over ranges of their periods, through the fact planner (the
 * rollups where they cover it), in as few statements as the batch allows: the department-scoped
 * targets sharing a period and ranges are counted in one grouped pass (periodCountsSql), so are
 * the targets of segments naming agents only (one per frontline agent in the demo: per department
 * and agent, through the agent rollup), each other segment-scoped target in a branch of its own;
 * up to 100 branches per statement, so a batch of department-scoped targets takes one statement
 * per 100 distinct periods, whatever its size. Every
 * scope is compiled (the compiler checks the department exists and lies in the caller's scope).
 */
export async function countTargetRanges(ctx: RequestContext, requests: readonly TargetRanges[]): Promise<TargetCounts> {
  // Prime the loaders the compiler uses, so compiling N scopes costs one lookup per table.
  await Promise.all([
    ...requests.map((r) => (r.target.segmentId ? ctx.loaders.segment.load(r.target.segmentId) : null)),
    ...requests.map((r) => (r.target.departmentId ? ctx.loaders.department.load(r.target.departmentId) : null)),
  ]);
  const errors = new Map<number, Error>();
  const branches: { key: number; sql: string; values: unknown[] }[] = [];
  const groups = new Map<string, { period: { from: Date; to: Date }; ranges: readonly TaggedRange[]; scopes: DepartmentScope[] }>();
  for (const { i, target, ranges } of requests) {
    try {
      const params = new SqlParams();
      const plan = await ctx.services.filters.plan(ctx, scopeFilter(target), params);
      const agentIds = target.segmentId ? agentsOnly((await ctx.loaders.segment.load(target.segmentId))?.filter) : undefined;
      if (!target.segmentId || agentIds) {
        // Department scopes sharing a period (and agent segments apart, per department and agent): one grouped pass.
        const key = JSON.stringify([target.periodStart, target.periodEnd, ranges, !!agentIds]);
        const group = groups.get(key) ?? { period: { from: target.periodStart, to: target.periodEnd }, ranges, scopes: [] };
        group.scopes.push({ i, departmentId: target.departmentId ?? null, agentIds });
        groups.set(key, group);
        continue;
      }
      const { sql } = factsSql({ filter: plan, params, ranges: ranges.map((r) => ({ k: r.k, ...clip(plan, r.lo, r.hi) })), rawOnly: ctx.rawFacts });
      branches.push({ key: i, sql: `SELECT ${i}::int AS idx, * FROM (${sql}) f${i}`, values: params.values });
    } catch (err) {
      errors.set(i, toError(err));
    }
  }
  for (const group of groups.values()) {
    try {
      const { sql, values } = await periodCountsSql(ctx, group.period, group.scopes, group.ranges);
      branches.push({ key: group.scopes[0].i, sql, values });
    } catch (err) {
      for (const s of group.scopes) errors.set(s.i, toError(err));
    }
  }
  const counts = new Map<number, Map<number, NpsCounts>>();
  const statements: (typeof branches)[] = [];
  for (let n = 0; n < branches.length; n += MAX_BRANCHES) statements.push(branches.slice(n, n + MAX_BRANCHES));
  await Promise.all(
    statements.map(async (list) => {
      const params = new SqlParams();
      const sql = list.map((b) => `SELECT * FROM (${mergeInto(params, b.sql, b.values)}) b${b.key}`).join('\nUNION ALL\n');
      const rows: Record<string, unknown>[] = await ctx.reports.query(sql, params.values);
      for (const row of rows) {
        if (row.k === null || row.k === undefined) continue;
        const i = Number(row.idx);
        if (!counts.has(i)) counts.set(i, new Map());
        counts.get(i)!.set(Number(row.k), countsOf(row));
      }
    }),
  );
  return { counts, errors };
}
