import type { SqlParams } from '../../common/sql-params';
import type { FilterPlan } from '../reporting/filter/filter-plan';
import { factsSql, FactRange, piecesSql, RangePiece, rangePieces } from '../reporting/facts/facts-query';
import { NpsCategory } from '../reporting/nps-category';
import { DAY_MS } from '../reporting/facts/time-segments';
import { CL_DIMS, clFollowed, ClGrain, clItems, clMinutes } from './closed-loop-counters';

/** Whether the counters can answer a compiled filter (every dimension it reads is held by them). */
export const countersFit = (plan: FilterPlan) => !plan.rawOnly.length && [...plan.dims].every((d) => (CL_DIMS as readonly string[]).includes(d));

/** One filter and the ranges (tagged k) it is counted over. */
export interface CounterQuestion {
  plan: FilterPlan;
  ranges: readonly FactRange[];
}

/** Optional grouping by department subtree: the `subtree(target_id, department_id)` CTE must precede. */
export interface CounterRequest {
  questions: readonly CounterQuestion[];
  params: SqlParams;
  now: Date;
  bySubtree?: boolean;
  /** false: no medians (null); KPI rate targets need only the counts, and the histograms are the costly part. */
  medians?: boolean;
}

const LETTER: Record<NpsCategory, string> = { PROMOTER: 'P', PASSIVE: 'N', DETRACTOR: 'D' };

/**
 * CTEs `parts(k, g, detractors, followed_up, action_items, closed, closed_with_due, closed_within_sla, open, overdue)`
 * (additive rows) and `hist(k, g, kind, minutes, n)` answering the questions from the counters: each
 * range is split into whole UTC days, whole hours and edge fragments; days and hours read the
 * counters, fragments the ledger (one row per item). Items due on the UTC day of `now` are read
 * from the ledger too, so that overdue (open and due before `now`) is exact at the instant `now`.
 * Closed and open are the items' current state, as the API defines them; the counters are also
 * keyed by close day, so "open at an instant" is a sum of the same shape should the API ask for it.
 * Detractors come from the NPS rollups (fact planner). Returns the CTE text and the plan kind.
 */
export function counterCtes(req: CounterRequest): { ctes: string; kind: 'rollup' | 'hybrid' | 'raw' } {
  const { params } = req;
  const now = params.p(req.now);
  const today = params.p(new Date(Math.floor(req.now.getTime() / DAY_MS) * DAY_MS));
  const parts: string[] = [];
  const hist: string[] = [];
  let rolled = false;
  let raw = false;
  const g = (alias: string) => (req.bySubtree ? `JOIN subtree sb ON sb.department_id = ${alias}.department_id` : '');
  const gCol = req.bySubtree ? 'sb.target_id' : 'NULL::uuid';
  for (const { plan, ranges } of req.questions) {
    const cats = plan.categories ? [...plan.categories].map((c) => LETTER[c]) : undefined;
    const cat = (a: string) => (cats ? (cats.length ? `${a}.category IN (${cats.map((c) => `'${c}'`).join(', ')})` : 'FALSE') : 'TRUE');
    const detr = (a: string) => (cats && !cats.includes('D') ? 'FALSE' : `${a}.category = 'D'`);
    const facts = factsSql({ filter: plan, params, ranges, groupBy: req.bySubtree ? 'department_id' : undefined });
    parts.push(`SELECT f.k, ${req.bySubtree ? 'sb.target_id' : 'NULL::uuid'} AS g, f.detractors::bigint AS detractors, 0::bigint AS followed_up, 0::bigint AS action_items,
        0::bigint AS closed, 0::bigint AS closed_with_due, 0::bigint AS closed_within_sla, 0::bigint AS open, 0::bigint AS overdue
      FROM (${facts.sql}) f ${req.bySubtree ? 'JOIN subtree sb ON sb.department_id = f.g' : ''} WHERE f.k IS NOT NULL`);
    const pieces = rangePieces(ranges, true, true);
    const segs = (list: readonly RangePiece[]) => piecesSql(params, list);
    for (const grain of ['day', 'hour'] as ClGrain[]) {
      const list = pieces[grain];
      if (!list.length) continue;
      rolled = true;
      const on = (a: string) => `${a}.bucket_start >= s.lo AND ${a}.bucket_start < s.hi`;
      // Keys not due on today's UTC day: whole due days decide overdue against now.
      parts.push(`SELECT s.k, ${gCol} AS g, 0::bigint, 0::bigint, sum(t.items)::bigint,
          coalesce(sum(t.items) FILTER (WHERE t.close_day IS NOT NULL), 0)::bigint,
          coalesce(sum(t.items) FILTER (WHERE t.close_day IS NOT NULL AND t.due_day IS NOT NULL), 0)::bigint,
          sum(t.within_sla)::bigint,
          coalesce(sum(t.items) FILTER (WHERE t.close_day IS NULL), 0)::bigint,
          coalesce(sum(t.items) FILTER (WHERE t.close_day IS NULL AND t.due_day < ${today}::timestamptz), 0)::bigint
        FROM ${segs(list)} JOIN ${clItems(grain)} t ON ${on('t')} ${g('t')}
        WHERE ${plan.where('t')} AND ${cat('t')} AND t.due_day IS DISTINCT FROM ${today}::timestamptz
        GROUP BY 1, 2`);
      // Items of these pieces due today: exact, from the ledger.
      parts.push(`SELECT s.k, ${gCol} AS g, 0::bigint, 0::bigint, ${ledgerItemCounts(now)}
        FROM ${segs(list)} JOIN cl_ledger l ON l.resp_at >= s.lo AND l.resp_at < s.hi ${g('l')}
        WHERE l.due_day = ${today}::timestamptz AND ${plan.where('l')} AND ${cat('l')}
        GROUP BY 1, 2`);
      parts.push(`SELECT s.k, ${gCol} AS g, 0::bigint, sum(t.followed_up)::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint
        FROM ${segs(list)} JOIN ${clFollowed(grain)} t ON ${on('t')} ${g('t')}
        WHERE ${plan.where('t')} AND ${detr('t')}
        GROUP BY 1, 2`);
      if (req.medians !== false) hist.push(`SELECT s.k, ${gCol} AS g, t.kind, t.minutes, sum(t.n)::bigint AS n
        FROM ${segs(list)} JOIN ${clMinutes(grain)} t ON ${on('t')} ${g('t')}
        WHERE ${plan.where('t')} AND ${cat('t')}
        GROUP BY 1, 2, 3, 4`);
    }
    if (pieces.raw.length) {
      raw = true;
      const list = pieces.raw;
      parts.push(`SELECT s.k, ${gCol} AS g, 0::bigint,
          count(DISTINCT l.response_id) FILTER (WHERE l.first_min IS NOT NULL AND ${detr('l')})::bigint, ${ledgerItemCounts(now)}
        FROM ${segs(list)} JOIN cl_ledger l ON l.resp_at >= s.lo AND l.resp_at < s.hi ${g('l')}
        WHERE ${plan.where('l')} AND ${cat('l')}
        GROUP BY 1, 2`);
      if (req.medians !== false) hist.push(`SELECT s.k, ${gCol} AS g, m.kind, m.minutes, count(*)::bigint AS n
        FROM ${segs(list)} JOIN cl_ledger l ON l.resp_at >= s.lo AND l.resp_at < s.hi ${g('l')}
          CROSS JOIN LATERAL (VALUES ('F', l.first_min), ('C', l.close_min)) AS m(kind, minutes)
        WHERE m.minutes IS NOT NULL AND ${plan.where('l')} AND ${cat('l')}
        GROUP BY 1, 2, 3, 4`);
    }
  }
  if (!hist.length) hist.push('SELECT NULL::int AS k, NULL::uuid AS g, NULL::text AS kind, NULL::int AS minutes, 0::bigint AS n WHERE FALSE');
  const kind = !raw ? 'rollup' : rolled ? 'hybrid' : 'raw';
  return {
    kind,
    ctes: `parts(k, g, detractors, followed_up, action_items, closed, closed_with_due, closed_within_sla, open, overdue) AS (
        ${parts.join('\n        UNION ALL ')}),
      hist AS (${hist.join('\n        UNION ALL ')}),
      ${MEDIAN_CTES}`,
  };
}

/** Item counts of ledger rows `l`: closed and open by the item's current state, overdue against the instant `now`. */
const ledgerItemCounts = (now: string) => `count(*)::bigint,
          count(*) FILTER (WHERE l.closed_at IS NOT NULL)::bigint,
          count(*) FILTER (WHERE l.closed_at IS NOT NULL AND l.due_at IS NOT NULL)::bigint,
          count(*) FILTER (WHERE l.within_sla)::bigint,
          count(*) FILTER (WHERE l.closed_at IS NULL)::bigint,
          count(*) FILTER (WHERE l.closed_at IS NULL AND l.due_at < ${now}::timestamptz)::bigint`;

/**
 * `med(k, g, kind, hours)`: the median of a whole-minute histogram with percentile_cont semantics
 * (the mean of the two middle values when the count is even), in hours: the same float8 arithmetic
 * as percentile_cont(0.5) over the minutes divided by 60, so both paths give identical figures.
 */
const MEDIAN_CTES = `hs AS (SELECT k, g, kind, minutes, sum(n) AS n FROM hist GROUP BY 1, 2, 3, 4 HAVING sum(n) > 0),
      hc AS (SELECT hs.*, sum(n) OVER (PARTITION BY k, g, kind ORDER BY minutes) AS cum, sum(n) OVER (PARTITION BY k, g, kind) AS tot FROM hs),
      med AS (SELECT k, g, kind,
          (min(minutes) FILTER (WHERE cum > floor((tot - 1) / 2.0)))::float8 AS lo_v,
          (min(minutes) FILTER (WHERE cum > ceil((tot - 1) / 2.0)))::float8 AS hi_v
        FROM hc GROUP BY 1, 2, 3)`;

/** The final SELECT over parts and med: one row per (k, g) with the MetricsRow columns. */
export const COUNTER_METRICS_SELECT = `
  SELECT a.k, a.g, a.detractors, a.followed_up, a.action_items, a.closed, a.closed_with_due, a.closed_within_sla, a.open, a.overdue,
         (mf.lo_v + (mf.hi_v - mf.lo_v) * 0.5::float8) / 60::float8 AS median_hours_to_first_action,
         (mc.lo_v + (mc.hi_v - mc.lo_v) * 0.5::float8) / 60::float8 AS median_hours_to_close
  FROM (SELECT k, g, sum(detractors) AS detractors, sum(followed_up) AS followed_up, sum(action_items) AS action_items, sum(closed) AS closed,
               sum(closed_with_due) AS closed_with_due, sum(closed_within_sla) AS closed_within_sla, sum(open) AS open, sum(overdue) AS overdue
        FROM parts GROUP BY k, g) a
  LEFT JOIN med mf ON mf.k = a.k AND mf.g IS NOT DISTINCT FROM a.g AND mf.kind = 'F'
  LEFT JOIN med mc ON mc.k = a.k AND mc.g IS NOT DISTINCT FROM a.g AND mc.kind = 'C'`;
