import type { SqlParams } from '../../common/sql-params';
import type { FilterPlan } from '../reporting/filter/filter-plan';
import { factsSql, FactRange, piecesSql, RangePiece, rangePieces } from '../reporting/facts/facts-query';
import { NpsCategory } from '../reporting/nps-category';
import { DAY_MS } from '../reporting/facts/time-segments';
import { CL_AGENT_DIMS, CL_DIMS, CL_FOLLOWED_AGENT, CL_ITEMS_AGENT, CL_ITEMS_MONTH, clBin, clBins, clFollowed, ClGrain, clItems, clMinutes } from './closed-loop-counters';

/**
 * Whether the counters can answer a compiled filter (every dimension it reads is held by them);
 * with `agents`, the agent counters (which also hold agent_id, but no medians).
 */
export const countersFit = (plan: FilterPlan, agents = false) =>
  !plan.rawOnly.length && [...plan.dims].every((d) => ((agents ? CL_AGENT_DIMS : CL_DIMS) as readonly string[]).includes(d));

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
  /**
   * Group by the response's agent (g; null for none), reading the agent counters (cl_*_day_agent,
   * whole UTC days; every other piece from the ledger). Counts only: medians must be false.
   */
  byAgent?: boolean;
}

/**
 * How an items counter `t` says an item is closed, has a due date, and the due day that decides
 * overdue; `ledger`: the condition, beside "due today", of the ledger rows read instead of the
 * keys whose due day is today. The day counters key every item by its due day; the month counter
 * (current state) only the open ones, so only open items due today come from the ledger there.
 */
interface ItemState {
  closed: string;
  hasDue: string;
  dueDay: string;
  ledger: string;
}
const DAY_ITEM_STATE: ItemState = { closed: 't.close_day IS NOT NULL', hasDue: 't.due_day IS NOT NULL', dueDay: 't.due_day', ledger: '' };
const MONTH_ITEM_STATE: ItemState = { closed: 't.closed', hasDue: 't.has_due', dueDay: 't.open_due_day', ledger: ' AND l.closed_at IS NULL' };

const LETTER: Record<NpsCategory, string> = { PROMOTER: 'P', PASSIVE: 'N', DETRACTOR: 'D' };

/**
 * CTEs `parts(k, g, detractors, followed_up, action_items, closed, closed_with_due, closed_within_sla, open, overdue)`
 * (additive rows) and `med(k, g, kind, lo_v, hi_v)` (the medians' two middle values; medianCtes)
 * answering the questions from the counters: each range is split into whole UTC days, whole hours
 * and edge fragments; days and hours read the counters (the items of whole UTC months from
 * cl_items_month, their current state), fragments the ledger (one row per item);
 * the medians' bins also split the days into whole UTC months (histogramBranches). Items due on the UTC day of `now` are read
 * from the ledger too, so that overdue (open and due before `now`) is exact at the instant `now`.
 * Closed and open are the items' current state, as the API defines them; the counters are also
 * keyed by close day, so "open at an instant" is a sum of the same shape should the API ask for it.
 * Detractors come from the NPS rollups (fact planner). Returns the CTE text and the plan kind.
 */
export function counterCtes(req: CounterRequest): { ctes: string; kind: 'rollup' | 'hybrid' | 'raw' } {
  const { params } = req;
  // Bound when first used: a parameter no branch refers to (a range inside one hour has no day or
  // hour piece to read today's keys from) is an error on PostgreSQL ("could not determine data type").
  let nowP: string | undefined;
  let todayP: string | undefined;
  const now = () => (nowP ??= params.p(req.now));
  const today = () => (todayP ??= params.p(new Date(Math.floor(req.now.getTime() / DAY_MS) * DAY_MS)));
  const parts: string[] = [];
  const bins: string[] = [];
  const minutes: string[] = [];
  let rolled = false;
  let raw = false;
  const agents = !!req.byAgent;
  if (agents && req.medians !== false) throw new Error('the agent counters hold no medians');
  if (req.byAgent && req.bySubtree) throw new Error('group by agent or by subtree, not both');
  const g = (alias: string) => (req.bySubtree ? `JOIN subtree sb ON sb.department_id = ${alias}.department_id` : '');
  const gCol = req.bySubtree ? 'sb.target_id' : 'NULL::uuid';
  const gOf = (alias: string) => (req.byAgent ? `${alias}.agent_id` : gCol);
  for (const { plan, ranges } of req.questions) {
    const cats = plan.categories ? [...plan.categories].map((c) => LETTER[c]) : undefined;
    const cat = (a: string) => (cats ? (cats.length ? `${a}.category IN (${cats.map((c) => `'${c}'`).join(', ')})` : 'FALSE') : 'TRUE');
    const detr = (a: string) => (cats && !cats.includes('D') ? 'FALSE' : `${a}.category = 'D'`);
    const facts = factsSql({ filter: plan, params, ranges, groupBy: req.bySubtree ? 'department_id' : req.byAgent ? 'agent_id' : undefined });
    parts.push(`SELECT f.k, ${req.bySubtree ? 'sb.target_id' : req.byAgent ? 'f.g' : 'NULL::uuid'} AS g, f.detractors::bigint AS detractors, 0::bigint AS followed_up, 0::bigint AS action_items,
        0::bigint AS closed, 0::bigint AS closed_with_due, 0::bigint AS closed_within_sla, 0::bigint AS open, 0::bigint AS overdue
      FROM (${facts.sql}) f ${req.bySubtree ? 'JOIN subtree sb ON sb.department_id = f.g' : ''} WHERE f.k IS NOT NULL`);
    const pieces = rangePieces(ranges, true, !agents);
    const segs = (list: readonly RangePiece[]) => piecesSql(params, list);
    for (const grain of ['day', 'hour'] as ClGrain[]) {
      const list = pieces[grain];
      if (!list.length) continue;
      rolled = true;
      const on = (a: string) => `${a}.bucket_start >= s.lo AND ${a}.bucket_start < s.hi`;
      // Whole UTC months of whole days read the month counter of the items' current state; the
      // days left at their edges (and the agent counters, day grain only) read the day counters.
      const split = grain === 'day' && !agents ? monthPieces(list) : { month: [], day: list };
      const itemBranches = (spans: readonly RangePiece[], table: string, st: ItemState) => {
        // Keys other than those of the items the ledger gives below: whole due days decide overdue against now.
        parts.push(`SELECT s.k, ${gOf('t')} AS g, 0::bigint, 0::bigint, sum(t.items)::bigint,
            coalesce(sum(t.items) FILTER (WHERE ${st.closed}), 0)::bigint,
            coalesce(sum(t.items) FILTER (WHERE ${st.closed} AND ${st.hasDue}), 0)::bigint,
            sum(t.within_sla)::bigint,
            coalesce(sum(t.items) FILTER (WHERE NOT (${st.closed})), 0)::bigint,
            coalesce(sum(t.items) FILTER (WHERE NOT (${st.closed}) AND ${st.dueDay} < ${today()}::timestamptz), 0)::bigint
          FROM ${segs(spans)} JOIN ${table} t ON ${on('t')} ${g('t')}
          WHERE ${plan.where('t')} AND ${cat('t')} AND ${st.dueDay} IS DISTINCT FROM ${today()}::timestamptz
          GROUP BY 1, 2`);
        // The items of these spans due today that the keys above leave out: exact, from the ledger.
        parts.push(`SELECT s.k, ${gOf('l')} AS g, 0::bigint, 0::bigint, ${ledgerItemCounts(now())}
          FROM ${segs(spans)} JOIN cl_ledger l ON l.resp_at >= s.lo AND l.resp_at < s.hi ${g('l')}
          WHERE l.due_day = ${today()}::timestamptz${st.ledger} AND ${plan.where('l')} AND ${cat('l')}
          GROUP BY 1, 2`);
      };
      if (split.month.length) itemBranches(split.month, CL_ITEMS_MONTH, MONTH_ITEM_STATE);
      if (split.day.length) itemBranches(split.day, agents ? CL_ITEMS_AGENT : clItems(grain), DAY_ITEM_STATE);
      parts.push(`SELECT s.k, ${gOf('t')} AS g, 0::bigint, sum(t.followed_up)::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint
        FROM ${segs(list)} JOIN ${agents ? CL_FOLLOWED_AGENT : clFollowed(grain)} t ON ${on('t')} ${g('t')}
        WHERE ${plan.where('t')} AND ${detr('t')}
        GROUP BY 1, 2`);
    }
    if (pieces.raw.length) {
      raw = true;
      const list = pieces.raw;
      parts.push(`SELECT s.k, ${gOf('l')} AS g, 0::bigint,
          count(DISTINCT l.response_id) FILTER (WHERE l.first_min IS NOT NULL AND ${detr('l')})::bigint, ${ledgerItemCounts(now())}
        FROM ${segs(list)} JOIN cl_ledger l ON l.resp_at >= s.lo AND l.resp_at < s.hi ${g('l')}
        WHERE ${plan.where('l')} AND ${cat('l')}
        GROUP BY 1, 2`);
    }
    if (req.medians !== false) {
      const h = histogramBranches({ pieces, segs, where: (a) => `${plan.where(a)} AND ${cat(a)}`, gCol, g, bySubtree: !!req.bySubtree });
      bins.push(...h.bins);
      minutes.push(...h.minutes);
    }
  }
  const kind = !raw ? 'rollup' : rolled ? 'hybrid' : 'raw';
  return {
    kind,
    ctes: `parts(k, g, detractors, followed_up, action_items, closed, closed_with_due, closed_within_sla, open, overdue) AS (
        ${parts.join('\n        UNION ALL ')}),
      ${req.medians === false || !bins.length ? NO_MEDIANS : medianCtes(bins, minutes)}`,
  };
}

/** Item counts of ledger rows `l`: closed and open by the item's current state, overdue against the instant `now`. */
const ledgerItemCounts = (now: string) => `count(*)::bigint,
          count(*) FILTER (WHERE l.closed_at IS NOT NULL)::bigint,
          count(*) FILTER (WHERE l.closed_at IS NOT NULL AND l.due_at IS NOT NULL)::bigint,
          count(*) FILTER (WHERE l.within_sla)::bigint,
          count(*) FILTER (WHERE l.closed_at IS NULL)::bigint,
          count(*) FILTER (WHERE l.closed_at IS NULL AND l.due_at < ${now}::timestamptz)::bigint`;

const pieceMs = (t: string) => (t === '-infinity' ? -Infinity : t === 'infinity' ? Infinity : Date.parse(t));
const pieceTs = (t: number) => (t === -Infinity ? '-infinity' : t === Infinity ? 'infinity' : new Date(t).toISOString());
const monthFloor = (t: number) => (Number.isFinite(t) ? Date.UTC(new Date(t).getUTCFullYear(), new Date(t).getUTCMonth(), 1) : t);
const monthCeil = (t: number) => {
  const f = monthFloor(t);
  return f === t ? t : Date.UTC(new Date(t).getUTCFullYear(), new Date(t).getUTCMonth() + 1, 1);
};

/** Whole-day pieces split into the whole UTC months they hold and the days left at their edges. */
export function monthPieces(days: readonly RangePiece[]): { month: RangePiece[]; day: RangePiece[] } {
  const out = { month: [] as RangePiece[], day: [] as RangePiece[] };
  for (const p of days) {
    const lo = pieceMs(p.lo);
    const hi = pieceMs(p.hi);
    const a = monthCeil(lo);
    const b = monthFloor(hi);
    if (!(a < b)) {
      out.day.push(p);
      continue;
    }
    if (lo < a) out.day.push({ k: p.k, lo: p.lo, hi: pieceTs(a) });
    out.month.push({ k: p.k, lo: pieceTs(a), hi: pieceTs(b) });
    if (b < hi) out.day.push({ k: p.k, lo: pieceTs(b), hi: p.hi });
  }
  return out;
}

interface HistogramArgs {
  pieces: Record<'day' | 'hour' | 'raw', RangePiece[]>;
  segs: (list: readonly RangePiece[]) => string;
  /** The filter and category condition over a counter or ledger alias. */
  where: (alias: string) => string;
  gCol: string;
  g: (alias: string) => string;
  bySubtree: boolean;
}

/**
 * The two reads of a median, as UNION ALL branches. `bins`: rows (k, g, kind, bin, n) of the
 * binned histograms over the question's pieces: whole months from cl_bins_month, the days at their
 * edges from cl_bins_day, whole hours from cl_minutes_hour and fragments from the ledger (binned as
 * they are read). `minutes`: rows (k, g, kind, bin, minutes, n) of the bins the CTE `tb` names (the
 * one or two holding the middle positions of each k, g, kind) only, over the same items split as
 * whole days (cl_minutes_day through its (kind, bin, bucket_start) index), hours and fragments.
 * Each target bin is a LATERAL read of its own, so that the index, not a scan, finds its minutes.
 */
function histogramBranches(a: HistogramArgs): { bins: string[]; minutes: string[] } {
  const bins: string[] = [];
  const minutes: string[] = [];
  const on = (t: string) => `${t}.bucket_start >= s.lo AND ${t}.bucket_start < s.hi`;
  const { month, day } = monthPieces(a.pieces.day);
  for (const [list, table] of [[month, clBins('month')], [day, clBins('day')]] as const) {
    if (list.length) bins.push(`SELECT s.k, ${a.gCol} AS g, t.kind, t.bin, sum(t.n)::bigint AS n
        FROM ${a.segs(list)} JOIN ${table} t ON ${on('t')} ${a.g('t')}
        WHERE ${a.where('t')} GROUP BY 1, 2, 3, 4`);
  }
  // Inside a target's LATERAL read: the subtree of that target only.
  const sub = (t: string) => (a.bySubtree ? `JOIN subtree sb ON sb.department_id = ${t}.department_id AND sb.target_id = tb.g` : '');
  const perTarget = (inner: string) => `SELECT tb.k, tb.g, tb.kind, tb.bin, x.minutes, x.n FROM tb CROSS JOIN LATERAL (${inner}) x`;
  for (const grain of ['day', 'hour'] as ClGrain[]) {
    const list = a.pieces[grain];
    if (!list.length) continue;
    if (grain === 'hour') bins.push(`SELECT s.k, ${a.gCol} AS g, t.kind, ${clBin('t.minutes')} AS bin, sum(t.n)::bigint AS n
        FROM ${a.segs(list)} JOIN ${clMinutes('hour')} t ON ${on('t')} ${a.g('t')}
        WHERE ${a.where('t')} GROUP BY 1, 2, 3, 4`);
    minutes.push(perTarget(`SELECT t.minutes, sum(t.n)::bigint AS n
        FROM ${a.segs(list)} JOIN ${clMinutes(grain)} t ON ${on('t')} ${sub('t')}
        WHERE s.k = tb.k AND t.kind = tb.kind AND ${clBin('t.minutes')} = tb.bin AND ${a.where('t')} GROUP BY 1`));
  }
  if (a.pieces.raw.length) {
    const ledger = (list: readonly RangePiece[], join: string) => `${a.segs(list)} JOIN cl_ledger l ON l.resp_at >= s.lo AND l.resp_at < s.hi ${join}
          CROSS JOIN LATERAL (VALUES ('F', l.first_min), ('C', l.close_min)) AS m(kind, minutes)`;
    bins.push(`SELECT s.k, ${a.gCol} AS g, m.kind, ${clBin('m.minutes')} AS bin, count(*)::bigint AS n
        FROM ${ledger(a.pieces.raw, a.g('l'))}
        WHERE m.minutes IS NOT NULL AND ${a.where('l')} GROUP BY 1, 2, 3, 4`);
    minutes.push(perTarget(`SELECT m.minutes, count(*)::bigint AS n
        FROM ${ledger(a.pieces.raw, sub('l'))}
        WHERE s.k = tb.k AND m.kind = tb.kind AND m.minutes IS NOT NULL AND ${clBin('m.minutes')} = tb.bin AND ${a.where('l')} GROUP BY 1`));
  }
  return { bins, minutes };
}

/** `med` when no median is asked for (KPI rate targets) or nothing can hold one. */
const NO_MEDIANS = 'med AS (SELECT NULL::int AS k, NULL::uuid AS g, NULL::text AS kind, NULL::float8 AS lo_v, NULL::float8 AS hi_v WHERE FALSE)';

/**
 * `med(k, g, kind, lo_v, hi_v)`: the two middle values (whole minutes) of each histogram, with
 * percentile_cont semantics (the mean of the two middle values when the count is even; the final
 * SELECT turns them into hours with the same float8 arithmetic as percentile_cont(0.5) over the
 * minutes divided by 60, so both paths give identical figures). Positions are 0-based: lo at
 * floor((tot - 1) / 2), hi at ceil((tot - 1) / 2). `hb` sums the bins; `tb` keeps the one or two
 * bins holding those positions, with the count before each (`base`); `hm` holds the minutes of
 * those bins only, whose running count from `base` finds the values.
 */
function medianCtes(bins: readonly string[], minutes: readonly string[]): string {
  return `hb AS (SELECT k, g, kind, bin, sum(n) AS n FROM (${bins.join('\n        UNION ALL ')}) x GROUP BY 1, 2, 3, 4 HAVING sum(n) > 0),
      hbc AS (SELECT hb.*, sum(n) OVER (PARTITION BY k, g, kind ORDER BY bin) AS cum, sum(n) OVER (PARTITION BY k, g, kind) AS tot FROM hb),
      tb AS (SELECT k, g, kind, bin, cum - n AS base, tot FROM hbc WHERE cum > floor((tot - 1) / 2.0) AND cum - n <= ceil((tot - 1) / 2.0)),
      hm AS (${minutes.join('\n        UNION ALL ')}),
      hs AS (SELECT k, g, kind, bin, minutes, sum(n) AS n FROM hm GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) > 0),
      hc AS (SELECT hs.k, hs.g, hs.kind, hs.minutes, tb.tot,
                    tb.base + sum(hs.n) OVER (PARTITION BY hs.k, hs.g, hs.kind, hs.bin ORDER BY hs.minutes) AS cum
             FROM hs JOIN tb ON tb.k = hs.k AND tb.g IS NOT DISTINCT FROM hs.g AND tb.kind = hs.kind AND tb.bin = hs.bin),
      med AS (SELECT k, g, kind,
          (min(minutes) FILTER (WHERE cum > floor((tot - 1) / 2.0)))::float8 AS lo_v,
          (min(minutes) FILTER (WHERE cum > ceil((tot - 1) / 2.0)))::float8 AS hi_v
        FROM hc GROUP BY 1, 2, 3)`;
}

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
