import type { RequestContext } from '../../context';
import { SqlParams } from '../../common/sql-params';
import { clip } from '../reporting/facts/fact-counts';
import { factsSql } from '../reporting/facts/facts-query';
import { subtreePairsCtes } from '../reporting/department-rollup';

/**
 * A target scoped to a department subtree (or the whole company: null), by its index in the batch;
 * with agentIds, only those agents' responses (a segment naming agents and nothing else).
 */
export interface DepartmentScope {
  i: number;
  departmentId: string | null;
  agentIds?: readonly string[];
}

/** A time range counted for every scope, tagged `k`; null bounds: the period's. */
export interface TaggedRange {
  k: number;
  lo: Date | null;
  hi: Date | null;
}

/**
 * The counts of several department-scoped targets sharing one period, in one grouped pass: each
 * range of the period (the whole period by default; a KPI history's buckets) is counted once per
 * department (through the fact planner, the caller's scope applied), then each target sums the
 * departments of its subtree (all of them, and responses without a department, for a company-wide
 * target). Yields idx, k, promoters, passives, detractors, like a per-target branch; a target
 * with no responses at all yields one row with k NULL.
 */
export async function periodCountsSql(
  ctx: RequestContext,
  period: { from: Date; to: Date },
  scopes: readonly DepartmentScope[],
  ranges: readonly TaggedRange[] = [{ k: 0, lo: null, hi: null }],
): Promise<{ sql: string; values: unknown[] }> {
  const params = new SqlParams();
  // Agent scopes (all of a group have agents, or none): counted per department and agent, for the agents named only.
  const agents = [...new Set(scopes.flatMap((sc) => sc.agentIds ?? []))];
  const byAgent = scopes.some((sc) => sc.agentIds);
  const plan = await ctx.services.filters.plan(ctx, { from: period.from, to: period.to, ...(byAgent ? { agentIds: agents } : {}) }, params);
  const facts = factsSql({
    filter: plan,
    params,
    ranges: ranges.map((r) => ({ k: r.k, ...clip(plan, r.lo, r.hi) })),
    groupBy: byAgent ? ['department_id', 'agent_id'] : 'department_id',
    rawOnly: ctx.rawFacts,
  });
  const list = params.p(JSON.stringify(scopes.map((sc) => ({ idx: sc.i, root: sc.departmentId, agents: sc.agentIds ?? null }))));
  const sql = `
    WITH RECURSIVE counts AS (${facts.sql}),
    scopes AS (SELECT * FROM jsonb_to_recordset(${list}::jsonb) AS x(idx int, root uuid, agents uuid[])),
    ${subtreePairsCtes('SELECT DISTINCT root AS id FROM scopes WHERE root IS NOT NULL')}
    SELECT sc.idx, c.k, coalesce(sum(c.promoters), 0) AS promoters, coalesce(sum(c.passives), 0) AS passives,
           coalesce(sum(c.detractors), 0) AS detractors
    FROM scopes sc
    LEFT JOIN subtree st ON st.target_id = sc.root
    LEFT JOIN counts c ON (sc.root IS NULL OR c.g = st.department_id)${byAgent ? ' AND c.g2 = ANY(sc.agents)' : ''}
    GROUP BY sc.idx, c.k`;
  return { sql, values: params.values };
}
