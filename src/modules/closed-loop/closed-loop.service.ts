import type { RequestContext, ServiceDeps } from '../../context';
import type { Services } from '../../services';
import { badInput } from '../../common/errors';
import { SqlParams } from '../../common/sql-params';
import { rate } from '../../scoring';
import { Permission } from '../auth/permissions';
import type { ResponseFilter } from '../reporting/filter/response-filter.input';
import { departmentRollupCtes, subtreePairsCtes } from '../reporting/department-rollup';
import { CATEGORY_SQL } from '../reporting/nps-category';
import { TrendInterval } from '../reporting/reporting.types';
import { INTERVALS, MAX_TREND_BUCKETS, tooManyBuckets } from '../reporting/time-buckets';
import { seriesRange, zoneError } from '../reporting/series';
import { ClosedLoopMetrics, ClosedLoopTrendPoint, DepartmentClosedLoop } from './closed-loop.types';
import { recordPlan } from '../../common/query-stats';
import { clip } from '../reporting/facts/fact-counts';
import { firstResponseSql } from '../reporting/facts/first-response';
import type { FilterPlan } from '../reporting/filter/filter-plan';
import { wholeMinutes } from './closed-loop-counters';
import { COUNTER_METRICS_SELECT, counterCtes, countersFit } from './closed-loop-read';
import { atInstant, givenBefore, itemsAtCte } from './closed-loop-as-of';
import { resolveAsOf } from '../kpi-targets/kpi-target.rules';

type FilterArg = ResponseFilter | null | undefined;

/**
 * Whether closedLoopTrend reads the counters. Off: at 1M responses the counters' per-bucket medians
 * (whole-minute histograms that barely compress per day) measured 1.5-3x slower than the raw SQL,
 * while their counts were faster. The equality test turns it on to keep that path exact.
 */
export const CLOSED_LOOP_TREND = { fromCounters: false };

/** The department of a filter that names one department and a period and nothing else; otherwise undefined. */
function departmentOnly(f: FilterArg): string | undefined {
  if (!f || f.departmentIds?.length !== 1) return undefined;
  const others = Object.entries(f).filter(([key, v]) => !['from', 'to', 'departmentIds'].includes(key) && v !== null && v !== undefined);
  return others.length ? undefined : f.departmentIds[0].toLowerCase();
}

interface MetricsRow {
  detractors: number;
  followed_up: number;
  action_items: number;
  median_hours_to_first_action: number | null;
  median_hours_to_close: number | null;
  closed: number;
  closed_with_due: number;
  closed_within_sla: number;
  open: number;
  overdue: number;
}

/**
 * CTEs computing the metrics per key `k` of a CTE `resp(k, id, score)` holding the matching
 * responses: `det` counts detractors, `im` aggregates their action items and counts the detractors
 * followed up (distinct responses among those joined to an item with a first action). Followed up
 * is read from the same join of the matching responses to their items, not from an EXISTS per
 * response (a plan whose estimated cost made PostgreSQL JIT-compile a batched statement: 3.7 s of
 * JIT for 0.2 s of work at 200,000 responses) nor from the distinct followed-up ids of every item
 * (a DISTINCT over all 2.2M items at 10M responses, 1.9 s, however few responses matched: KPI rate
 * contributors by agent timed out on it).
 *
 * `now` is the instant overdue is judged at. Without `asOf` the items are action_items as they are;
 * with it (the same parameter as `now`), a CTE `ia` first rebuilds the items of the responses in
 * `resp` as their history left them at that instant (closed-loop-as-of.ts), and the metrics read it.
 */
const metricCtes = (now: string, asOf?: boolean) => {
  const items = asOf ? 'ia' : 'action_items';
  return `${asOf ? `${itemsAtCte(now)},` : ''}
  det AS (
    SELECT resp.k, count(*)::int AS detractors
    FROM resp
    WHERE ${CATEGORY_SQL.DETRACTOR('resp')}
    GROUP BY resp.k),
  im AS (
    SELECT resp.k, count(*)::int AS action_items,
           count(DISTINCT resp.id) FILTER (WHERE a.first_action_at IS NOT NULL AND ${CATEGORY_SQL.DETRACTOR('resp')})::int AS followed_up,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY ${wholeMinutes('a.first_action_at - a.created_at')}::float8)
             FILTER (WHERE a.first_action_at IS NOT NULL) / 60::float8 AS median_hours_to_first_action,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY ${wholeMinutes('a.closed_at - a.created_at')}::float8)
             FILTER (WHERE a.closed_at IS NOT NULL) / 60::float8 AS median_hours_to_close,
           count(*) FILTER (WHERE a.closed_at IS NOT NULL)::int AS closed,
           count(*) FILTER (WHERE a.closed_at IS NOT NULL AND a.due_at IS NOT NULL)::int AS closed_with_due,
           count(*) FILTER (WHERE a.closed_at <= a.due_at)::int AS closed_within_sla,
           count(*) FILTER (WHERE a.closed_at IS NULL)::int AS open,
           count(*) FILTER (WHERE a.closed_at IS NULL AND a.due_at < ${now}::timestamptz)::int AS overdue
    FROM resp JOIN ${items} a ON a.response_id = resp.id
    GROUP BY resp.k)`;
};

/** The metric columns of a key joined to `det` and `im` (LEFT JOIN: missing means zero). */
const METRIC_COLUMNS = `
  coalesce(det.detractors, 0) AS detractors, coalesce(im.followed_up, 0) AS followed_up,
  coalesce(im.action_items, 0) AS action_items, im.median_hours_to_first_action, im.median_hours_to_close,
  coalesce(im.closed, 0) AS closed, coalesce(im.closed_with_due, 0) AS closed_with_due,
  coalesce(im.closed_within_sla, 0) AS closed_within_sla, coalesce(im.open, 0) AS open, coalesce(im.overdue, 0) AS overdue`;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function toMetrics(row: MetricsRow | undefined): ClosedLoopMetrics {
  const r = row ?? ({} as Partial<MetricsRow>);
  const n = (v: unknown) => Number(v ?? 0);
  const detractors = n(r.detractors);
  const followedUp = n(r.followed_up);
  const closedWithDue = n(r.closed_with_due);
  const closedWithinSla = n(r.closed_within_sla);
  return Object.assign(new ClosedLoopMetrics(), {
    detractors,
    followedUp,
    followUpRate: rate(followedUp, detractors),
    actionItems: n(r.action_items),
    medianHoursToFirstAction: num(r.median_hours_to_first_action),
    medianHoursToClose: num(r.median_hours_to_close),
    closed: n(r.closed),
    closedWithinSla,
    closedWithDue,
    closedWithinSlaRate: rate(closedWithinSla, closedWithDue),
    open: n(r.open),
    overdue: n(r.overdue),
  });
}

/**
 * Closed-loop metrics: how many detractors are followed up, how fast, and within the SLA. The
 * responses come from the filter compiler (so a manager sees their subtree only); each question
 * is one SQL statement of counts and percentile_cont medians, run on the reporting runner
 * (ctx.reports: bounded pool and statement timeout; past it REPORT_TIMEOUT).
 */
export class ClosedLoopService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {}

  /**
   * The metrics of the responses matching the filter (as of `asOf` when given; see summaries).
   * medians: false when no caller reads them (null then on the counter path; the histograms are
   * the costly part of a read over all time).
   */
  async summary(ctx: RequestContext, filter: FilterArg, asOf?: Date | null, opts: { medians?: boolean } = {}): Promise<ClosedLoopMetrics> {
    const [metrics] = await this.summaries(ctx, [filter], { asOf, medians: opts.medians });
    return metrics;
  }

  /**
   * The metrics of each filter, in order, in ONE statement whatever their number (KPI targets read
   * followUpRate and closedWithinSlaRate of all their scopes from here): the matching responses of
   * every filter are gathered under the filter's index, then counted per index. Each result equals
   * summary(ctx, filter); a filter the compiler refuses fails the whole call.
   *
   * opts.asOf: the figures as they stood at that instant (the KPI figures' rule, resolveAsOf: more than
   * 5 minutes in the future is BAD_USER_INPUT naming asOf, less is read as now): responses given before it, their items created before it as their history left them,
   * overdue judged at it. An exact path over the raw rows and the items' history (slower than the
   * counters, which hold the current state only); without it, the counters answer.
   */
  async summaries(ctx: RequestContext, filters: readonly FilterArg[], opts: { medians?: boolean; asOf?: Date | null } = {}): Promise<ClosedLoopMetrics[]> {
    this.services.access.require(ctx, Permission.READ_REPORTS);
    const asOf = resolveAsOf(opts.asOf, ctx.now());
    if (!filters.length) return [];
    if (!ctx.rawFacts && !asOf) {
      const params = new SqlParams();
      const plans: FilterPlan[] = [];
      for (const filter of filters) plans.push(await this.services.filters.plan(ctx, filter, params));
      const fit = [...filters.keys()].filter((i) => countersFit(plans[i]));
      if (fit.length === filters.length) return this.summariesFromCounters(ctx, filters, opts.medians);
      if (fit.length) {
        // The filters the counters hold are read there; only the others (an agent, a segment on
        // raw fields...) go over the raw rows: two statements instead of every filter raw.
        const raw = [...filters.keys()].filter((i) => !countersFit(plans[i]));
        const counted = await this.summariesFromCounters(ctx, fit.map((i) => filters[i]), opts.medians);
        const scanned = await this.summariesRaw(ctx, raw.map((i) => filters[i]), null);
        const out: ClosedLoopMetrics[] = new Array(filters.length);
        fit.forEach((i, n) => (out[i] = counted[n]));
        raw.forEach((i, n) => (out[i] = scanned[n]));
        return out;
      }
    }
    return this.summariesRaw(ctx, filters, asOf);
  }

  /**
   * The metrics of each filter's responses split by agent, in ONE statement: from the agent
   * counters (medians null: counts only) when the filters fit them and no asOf is given, else over
   * the raw rows: one branch per filter, grouped by agent, instead of one filter per
   * agent (KPI rate contributors used to send one branch per agent, each scanning the target's whole
   * period: 50 branches of 90 ms at 1M responses). Each map is keyed by agent id (null: responses
   * without an agent) and holds only agents with responses; each entry equals
   * summary({ ...filter, agentIds: [agent] }), and their sum the filter's own. As of `asOf` when given.
   */
  async summariesByAgent(ctx: RequestContext, filters: readonly FilterArg[], opts: { asOf?: Date | null } = {}): Promise<Map<string | null, ClosedLoopMetrics>[]> {
    this.services.access.require(ctx, Permission.READ_REPORTS);
    const asOf = resolveAsOf(opts.asOf, ctx.now());
    if (!filters.length) return [];
    // Rows keyed `${filter index}|${agent id or empty}`, from the agent counters (current state,
    // counts only: one question per filter, grouped by agent) when they hold every filter.
    let keyed: Iterable<[string, MetricsRow]> | undefined;
    if (!ctx.rawFacts && !asOf) {
      const params = new SqlParams();
      const plans: FilterPlan[] = [];
      for (const filter of filters) plans.push(await this.services.filters.plan(ctx, filter, params));
      if (plans.every((plan) => countersFit(plan, true))) {
        const questions = plans.map((plan, k) => ({ plan, ranges: [{ k, ...clip(plan, null, null) }] }));
        keyed = await this.fromCounters(ctx, questions, params, { medians: false, byAgent: true });
      }
    }
    keyed ??= (await this.rawMetricRows(ctx, filters, asOf, (i) => `'${i}|' || coalesce(r.agent_id::text, '')`, 'SELECT DISTINCT k FROM resp')).map(
      (row): [string, MetricsRow] => [row.k, row],
    );
    const out = filters.map(() => new Map<string | null, ClosedLoopMetrics>());
    for (const [key, row] of keyed) {
      const [i, agent] = key.split('|');
      out[Number(i)].set(agent ? agent : null, toMetrics(row));
    }
    return out;
  }

  /** summaries() over the raw rows (as of `asOf` when given): one statement whatever the number of filters. */
  private async summariesRaw(ctx: RequestContext, filters: readonly FilterArg[], asOf: Date | null): Promise<ClosedLoopMetrics[]> {
    const keys = `SELECT g::text AS k FROM generate_series(0, ${filters.length - 1}) g`;
    const byKey = new Map((await this.rawMetricRows(ctx, filters, asOf, (i) => `'${i}'`, keys)).map((row) => [row.k, row]));
    return filters.map((_, i) => toMetrics(byKey.get(String(i))));
  }

  /**
   * The metric rows of the responses matching each filter over the raw rows, in one statement (one
   * UNION ALL branch per filter), keyed by the text `key(i)` gives over the branch's responses `r`
   * (as of `asOf` when given), one row per key that `keys` (a SELECT of column k, which may read
   * the CTE resp) lists.
   */
  private async rawMetricRows(
    ctx: RequestContext,
    filters: readonly FilterArg[],
    asOf: Date | null,
    key: (i: number) => string,
    keys: string,
  ): Promise<(MetricsRow & { k: string })[]> {
    recordPlan(asOf ? 'closed-loop:as-of' : 'closed-loop:raw');
    const params = new SqlParams();
    const at = params.p(asOf ?? ctx.now());
    const branches: string[] = [];
    for (const [i, filter] of filters.entries()) {
      const where = await this.services.filters.compile(ctx, filter, params, 'r');
      branches.push(`SELECT ${key(i)} AS k, r.id, r.score FROM responses r WHERE ${where}${asOf ? ` AND ${givenBefore('r', at)}` : ''}`);
    }
    const sql = `
      WITH resp AS (${branches.join('\n        UNION ALL ')}),
      ${metricCtes(at, !!asOf)}
      SELECT keys.k, ${METRIC_COLUMNS}
      FROM (${keys}) keys LEFT JOIN det ON det.k = keys.k LEFT JOIN im ON im.k = keys.k`;
    return ctx.reports.query(sql, params.values);
  }

  /**
   * Per child of parentId (of the roots when null; for a manager, of their own department), over
   * each child's whole subtree, ordered by code; departments without responses have zeros.
   */
  async byDepartment(ctx: RequestContext, filter: FilterArg, parentId?: string, asOfArg?: Date | null, opts: { medians?: boolean } = {}): Promise<DepartmentClosedLoop[]> {
    this.services.access.require(ctx, Permission.READ_REPORTS);
    const asOf = resolveAsOf(asOfArg, ctx.now());
    const params = new SqlParams();
    const rollup = await departmentRollupCtes(ctx, params, parentId);
    const plan = await this.services.filters.plan(ctx, filter, params);
    if (!ctx.rawFacts && !asOf && countersFit(plan)) {
      const byKey = await this.fromCounters(ctx, [{ plan, ranges: [{ k: 0, ...clip(plan, null, null) }] }], params, { rollup, medians: opts.medians });
      const targets: { id: string }[] = await ctx.em.query(
        `WITH RECURSIVE ${rollup} SELECT t.id FROM targets tg JOIN departments t ON t.id = tg.id ORDER BY t.code`,
        params.values.slice(0, this.rollupParamCount(rollup)),
      );
      return targets.map((t) => Object.assign(new DepartmentClosedLoop(), { departmentId: t.id, metrics: toMetrics(byKey.get(`0|${t.id}`)) }));
    }
    recordPlan(asOf ? 'closed-loop:as-of' : 'closed-loop:raw');
    const at = params.p(asOf ?? ctx.now());
    const where = plan.rawWhere('r') + (asOf ? ` AND ${givenBefore('r', at)}` : '');
    const sql = `
      WITH RECURSIVE ${rollup},
      resp AS (
        SELECT s.target_id AS k, r.id, r.score
        FROM responses r JOIN subtree s ON s.department_id = r.department_id
        WHERE ${where}),
      ${metricCtes(at, !!asOf)}
      SELECT t.id AS department_id, ${METRIC_COLUMNS}
      FROM targets tg JOIN departments t ON t.id = tg.id
      LEFT JOIN det ON det.k = t.id LEFT JOIN im ON im.k = t.id
      ORDER BY t.code`;
    const rows: (MetricsRow & { department_id: string })[] = await ctx.reports.query(sql, params.values);
    return rows.map((row) => Object.assign(new DepartmentClosedLoop(), { departmentId: row.department_id, metrics: toMetrics(row) }));
  }

  /**
   * Per time bucket of respondedAt, oldest first, every bucket included: the same range rules as
   * npsTrend (filter.to defaults to now; filter.from to the first matching response). With asOf:
   * every bucket as of that instant (responses given before it, items as their history left them
   * then); filter.to defaults to asOf, as it defaulted to the clock at that instant.
   */
  async trend(ctx: RequestContext, filter: FilterArg, interval: TrendInterval, timeZone?: string | null, asOfArg?: Date | null): Promise<ClosedLoopTrendPoint[]> {
    this.services.access.require(ctx, Permission.READ_REPORTS);
    const asOf = resolveAsOf(asOfArg, ctx.now());
    const { zone, spec, from, to } = seriesRange(asOf ? atInstant(ctx, asOf) : ctx, filter, interval, timeZone);
    if (!ctx.rawFacts && !asOf && CLOSED_LOOP_TREND.fromCounters) {
      const points = await this.trendFromCounters(ctx, filter, interval, zone, timeZone, from, to);
      if (points) return points;
    }
    recordPlan(asOf ? 'closed-loop:as-of' : 'closed-loop:raw');
    const params = new SqlParams();
    const at = params.p(asOf ?? ctx.now());
    const where = (await this.services.filters.compile(ctx, { ...(filter ?? {}), to }, params, 'r')) + (asOf ? ` AND ${givenBefore('r', at)}` : '');
    const tz = params.p(zone);
    const local = (ts: string) => `(${ts} AT TIME ZONE ${tz}::text)`;
    const sql = `
      WITH bounds AS (
        SELECT date_trunc('${spec.unit}', ${local('b.lo')}) AS first_local,
               date_trunc('${spec.unit}', ${local("(b.hi - interval '1 microsecond')")}) AS last_local
        FROM (SELECT coalesce(${params.p(from)}::timestamptz, (SELECT min(r.responded_at) FROM responses r WHERE ${where})) AS lo,
                     ${params.p(to)}::timestamptz AS hi) b),
      buckets AS (
        SELECT gs AS local_start
        FROM bounds, generate_series(bounds.first_local, bounds.last_local, interval '${spec.step}') gs
        ORDER BY gs LIMIT ${MAX_TREND_BUCKETS + 1}),
      resp AS (
        SELECT date_trunc('${spec.unit}', ${local('r.responded_at')}) AS k, r.id, r.score
        FROM responses r WHERE ${where}),
      ${metricCtes(at, !!asOf)}
      SELECT (b.local_start AT TIME ZONE ${tz}::text) AS period_start,
             ((b.local_start + interval '${spec.step}') AT TIME ZONE ${tz}::text) AS period_end,
             ${METRIC_COLUMNS}
      FROM buckets b LEFT JOIN det ON det.k = b.local_start LEFT JOIN im ON im.k = b.local_start
      ORDER BY b.local_start`;
    let rows: (MetricsRow & { period_start: Date; period_end: Date })[];
    try {
      rows = await ctx.reports.query(sql, params.values);
    } catch (err) {
      throw zoneError(err, timeZone);
    }
    if (rows.length > MAX_TREND_BUCKETS) throw tooManyBuckets(interval);
    return rows.map((row) =>
      Object.assign(new ClosedLoopTrendPoint(), { periodStart: new Date(row.period_start), periodEnd: new Date(row.period_end), metrics: toMetrics(row) }),
    );
  }

  /**
   * summaries() from the counters. Filters naming one department and a period, and nothing else (a
   * KPI target's scope), are counted together per period, per department subtree: one question per
   * period instead of one per target (a statement of a few branches per question took longer to
   * plan than to run with dozens of targets). The others are one question each, in a second statement.
   */
  private async summariesFromCounters(ctx: RequestContext, filters: readonly FilterArg[], medians?: boolean): Promise<ClosedLoopMetrics[]> {
    const out: (ClosedLoopMetrics | undefined)[] = filters.map(() => undefined);
    const periods = new Map<string, { from?: Date | null; to?: Date | null; items: { i: number; dept: string }[] }>();
    filters.forEach((f, i) => {
      const dept = departmentOnly(f);
      if (!dept) return;
      const instant = (d: Date | string | null | undefined) => (d === null || d === undefined ? '' : new Date(d).getTime());
      const key = `${instant(f!.from)}|${instant(f!.to)}`;
      const period = periods.get(key) ?? { from: f!.from, to: f!.to, items: [] };
      period.items.push({ i, dept });
      periods.set(key, period);
    });
    const grouped = [...periods.values()];
    if (grouped.reduce((n, p) => n + p.items.length, 0) > 1) {
      const params = new SqlParams();
      const depts = [...new Set(grouped.flatMap((p) => p.items.map((x) => x.dept)))];
      const rollup = subtreePairsCtes(`SELECT unnest(${params.p(depts)}::uuid[]) AS id`);
      const questions = [];
      for (const [k, p] of grouped.entries()) {
        const plan = await this.services.filters.plan(ctx, { from: p.from, to: p.to }, params);
        questions.push({ plan, ranges: [{ k, ...clip(plan, null, null) }] });
      }
      const byKey = await this.fromCounters(ctx, questions, params, { rollup, medians });
      grouped.forEach((p, k) => p.items.forEach(({ i, dept }) => (out[i] = toMetrics(byKey.get(`${k}|${dept}`)))));
    }
    const rest = filters.map((f, i) => ({ f, i })).filter(({ i }) => !out[i]);
    if (rest.length) {
      const params = new SqlParams();
      const questions = [];
      for (const [k, { f }] of rest.entries()) {
        const plan = await this.services.filters.plan(ctx, f, params);
        questions.push({ plan, ranges: [{ k, ...clip(plan, null, null) }] });
      }
      const byKey = await this.fromCounters(ctx, questions, params, { medians });
      rest.forEach(({ i }, k) => (out[i] = toMetrics(byKey.get(`${k}|`))));
    }
    return out as ClosedLoopMetrics[];
  }

  /**
   * Metrics per `${k}|${g}` from the counters (g: the target department with a subtree rollup, the
   * agent with opts.byAgent, else empty).
   */
  private async fromCounters(
    ctx: RequestContext,
    questions: { plan: FilterPlan; ranges: { k: number; lo: Date | null; hi: Date | null }[] }[],
    params: SqlParams,
    opts: { rollup?: string; medians?: boolean; byAgent?: boolean } = {},
  ): Promise<Map<string, MetricsRow>> {
    const { rollup, medians, byAgent } = opts;
    const { ctes, kind } = counterCtes({ questions, params, now: ctx.now(), bySubtree: !!rollup, medians, byAgent });
    recordPlan(`closed-loop:${kind}`);
    const sql = `WITH ${rollup ? `RECURSIVE ${rollup},` : ''} ${ctes} ${COUNTER_METRICS_SELECT}`;
    const rows: (MetricsRow & { k: number; g: string | null })[] = await ctx.reports.query(sql, params.values);
    return new Map(rows.map((row) => [`${row.k}|${row.g ?? ''}`, row]));
  }

  /** How many parameters the department rollup CTEs bound (they are bound first). */
  private rollupParamCount(rollup: string): number {
    return Math.max(0, ...[...rollup.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
  }

  /** The trend from the counters (null when they cannot answer the filter): buckets first, then one statement of counts. */
  private async trendFromCounters(
    ctx: RequestContext,
    filter: FilterArg,
    interval: TrendInterval,
    zone: string,
    timeZone: string | null | undefined,
    from: Date | null,
    to: Date,
  ): Promise<ClosedLoopTrendPoint[] | null> {
    const spec = INTERVALS[interval];
    const countParams = new SqlParams();
    const countPlan = await this.services.filters.plan(ctx, { ...(filter ?? {}), to }, countParams);
    if (!countersFit(countPlan)) return null;
    // The buckets: a statement of their own (the filter is compiled into it only when it finds the first response).
    const params = new SqlParams();
    const tz = params.p(zone);
    const local = (ts: string) => `(${ts} AT TIME ZONE ${tz}::text)`;
    const lo = from ? `${params.p(from)}::timestamptz` : `(${firstResponseSql(await this.services.filters.plan(ctx, { ...(filter ?? {}), to }, params))})`;
    const bucketSql = `
      WITH b AS (SELECT ${lo} AS lo, ${params.p(to)}::timestamptz AS hi)
      SELECT (gs AT TIME ZONE ${tz}::text) AS period_start, ((gs + interval '${spec.step}') AT TIME ZONE ${tz}::text) AS period_end
      FROM b, generate_series(date_trunc('${spec.unit}', ${local('b.lo')}), date_trunc('${spec.unit}', ${local("(b.hi - interval '1 microsecond')")}), interval '${spec.step}') gs
      ORDER BY gs LIMIT ${MAX_TREND_BUCKETS + 1}`;
    let buckets: { period_start: Date; period_end: Date }[];
    try {
      buckets = await ctx.reports.query(bucketSql, params.values);
    } catch (err) {
      throw zoneError(err, timeZone);
    }
    if (buckets.length > MAX_TREND_BUCKETS) throw tooManyBuckets(interval);
    if (!buckets.length) return [];
    const ranges = buckets.map((b, k) => ({ k, ...clip(countPlan, new Date(b.period_start), new Date(b.period_end)) }));
    const byKey = await this.fromCounters(ctx, [{ plan: countPlan, ranges }], countParams);
    return buckets.map((b, k) =>
      Object.assign(new ClosedLoopTrendPoint(), { periodStart: new Date(b.period_start), periodEnd: new Date(b.period_end), metrics: toMetrics(byKey.get(`${k}|`)) }),
    );
  }
}
