import DataLoader from 'dataloader';
import type { RequestContext, ServiceDeps } from '../../context';
import { badInput } from '../../common/errors';
import { perRequest } from '../../common/request-cache';
import { SqlParams } from '../../common/sql-params';
import type { Services } from '../../services';
import { Permission } from '../auth/permissions';
import {
  BREAKDOWN_SQL,
  DEFAULT_BREAKDOWN_LIMIT,
  DEFAULT_FOLLOW_UP_QUESTION,
  followUpAnswerGroup,
  ID_DIMENSIONS,
  MAX_BREAKDOWN_LIMIT,
  MAX_QUESTION_LENGTH,
  VERBATIM_DIMENSIONS,
} from './breakdown';
import { comparisonPeriod, type NpsCounts } from '../../scoring';
import type { ResponseFilter } from './filter/response-filter.input';
import { departmentTreeCtes, MAX_DEPARTMENT_LEVELS } from './department-rollup';
import { comparisonRange, ComparisonRange, earliestFrom, periodFields } from './comparison-range';
import { clip, countsOf } from './facts/fact-counts';
import { factsSql, FactRange } from './facts/facts-query';
import type { FilterPlan } from './filter/filter-plan';
import { NpsScore, ScoreChange, ScoreScope } from './nps-score.type';
import { BreakdownDimension, CompareTo, DepartmentScore, NpsBreakdownItem, NpsComparison, TrendInterval, TrendPoint } from './reporting.types';
import { mergeInto } from './sql-merge';
import { MAX_TREND_BUCKETS, tooManyBuckets } from './time-buckets';
import { seriesRange, zoneError } from './series';
import { firstResponseSql } from './facts/first-response';

type Row = Record<string, any>;

type FilterArg = ResponseFilter | null | undefined;

/**
 * Aggregates over responses: summary, trend, department rollups, breakdowns, period comparison.
 * Each question is counted by the fact planner (rollups where they cover it, raw rows for the rest)
 * on the reporting runner; every figure comes from the scoring module.
 */
export class ReportingService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {}

  /** `scope`: what was counted, for the benchmarks that apply to the score (NpsScore.benchmarks). */
  private score(counts: NpsCounts, scope: ScoreScope): NpsScore {
    return NpsScore.from(counts, this.deps.config.lowSampleThreshold, scope);
  }

  /** The score of the responses matching the filter. */
  async summary(ctx: RequestContext, filter: FilterArg): Promise<NpsScore> {
    this.services.access.require(ctx, Permission.READ_REPORTS);
    return this.scoreLoader(ctx).load({ filter });
  }

  /**
   * Per-request batching of plain scores (summary, segment scores): one statement per tick. A
   * per-request cache (keyed on the filter, e.g. {segmentId}), so every write drops it (forgetDerived).
   */
  private scoreLoader(ctx: RequestContext): DataLoader<{ filter: FilterArg }, NpsScore, string> {
    return perRequest(
      ctx,
      'reporting-scores',
      () =>
        new DataLoader<{ filter: FilterArg }, NpsScore, string>((keys) => this.scoreBatch(ctx, keys.map((k) => k.filter)), {
          cacheKeyFn: (k) => JSON.stringify(k.filter ?? null),
          maxBatchSize: 100,
        }),
    );
  }

  /** Scores several filters in one statement (UNION ALL, one branch per filter); a filter that fails to compile fails alone. */
  private async scoreBatch(ctx: RequestContext, filters: readonly FilterArg[]): Promise<(NpsScore | Error)[]> {
    const compiled = await Promise.all(
      filters.map(async (filter) => {
        try {
          const params = new SqlParams();
          const plan = await this.services.filters.plan(ctx, filter, params);
          const { sql } = factsSql({ filter: plan, params, ranges: [{ k: 0, ...clip(plan, null, null) }], rawOnly: ctx.rawFacts });
          return { sql, values: params.values };
        } catch (err) {
          return err instanceof Error ? err : new Error(String(err));
        }
      }),
    );
    const params = new SqlParams();
    const branches: string[] = [];
    compiled.forEach((c, i) => {
      if (c instanceof Error) return;
      branches.push(`SELECT ${i} AS i, * FROM (${mergeInto(params, c.sql, c.values)}) f${i}`);
    });
    const rows: Row[] = branches.length ? await this.query(ctx, branches.join('\nUNION ALL\n'), params.values) : [];
    const byKey = new Map(rows.map((row) => [Number(row.i), row]));
    return compiled.map((c, i) => (c instanceof Error ? c : this.score(countsOf(byKey.get(i)), { filter: filters[i] })));
  }

  /** Aggregates run on ctx.reports: the reporting runner (bounded, timed), or the caller's transaction. */
  private query(ctx: RequestContext, sql: string, values: unknown[]): Promise<Row[]> {
    return ctx.reports.query(sql, values);
  }

  /** The counts per range tag `k`, from the fact planner. */
  private async countsByRange(ctx: RequestContext, plan: FilterPlan, params: SqlParams, ranges: FactRange[]): Promise<Map<number, Row>> {
    const { sql } = factsSql({ filter: plan, params, ranges, rawOnly: ctx.rawFacts });
    const rows = await this.query(ctx, sql, params.values);
    return new Map(rows.map((row) => [Number(row.k), row]));
  }

  /**
   * Every bucket from the one holding `from` to the one holding the last instant before `to`,
   * empty ones included. Defaults: to = now; from = the first matching response (no response: []).
   * Each point's change: against the point before (PREVIOUS_PERIOD, PREVIOUS_CALENDAR_PERIOD: the
   * buckets are calendar units already), or against the same part of its bucket a year earlier
   * (SAME_PERIOD_LAST_YEAR, counted in the same statement as the buckets).
   */
  async trend(ctx: RequestContext, filter: FilterArg, interval: TrendInterval, timeZone?: string | null, compareTo?: CompareTo | null): Promise<TrendPoint[]> {
    this.services.access.require(ctx, Permission.READ_REPORTS);
    const { zone, spec, from, to } = seriesRange(ctx, filter, interval, timeZone);
    const params = new SqlParams();
    const tz = params.p(zone);
    const local = (ts: string) => `(${ts} AT TIME ZONE ${tz}::text)`;
    // Without filter.from the trend starts with the first matching response.
    const lo = from ? `${params.p(from)}::timestamptz` : `(${firstResponseSql(await this.services.filters.plan(ctx, { ...(filter ?? {}), to }, params), ctx.rawFacts)})`;
    // The buckets (in the zone, as instants) from the one holding lo to the one holding the last instant before `to`.
    const sql = `
      WITH b AS (SELECT ${lo} AS lo, ${params.p(to)}::timestamptz AS hi)
      SELECT (gs AT TIME ZONE ${tz}::text) AS period_start, ((gs + interval '${spec.step}') AT TIME ZONE ${tz}::text) AS period_end
      FROM b, generate_series(date_trunc('${spec.unit}', ${local('b.lo')}), date_trunc('${spec.unit}', ${local("(b.hi - interval '1 microsecond')")}), interval '${spec.step}') gs
      ORDER BY gs LIMIT ${MAX_TREND_BUCKETS + 1}`;
    let rows: Row[];
    try {
      rows = await this.query(ctx, sql, params.values);
    } catch (err) {
      throw zoneError(err, timeZone);
    }
    if (rows.length > MAX_TREND_BUCKETS) throw tooManyBuckets(interval);
    // The part of each bucket inside the requested range (what its score counts, before the filter's own bounds).
    const buckets = rows.map((row) => {
      const periodStart = new Date(row.period_start);
      const periodEnd = new Date(row.period_end);
      const partial = (from !== null && periodStart.getTime() < from.getTime()) || periodEnd.getTime() > to.getTime();
      const lo = from && from.getTime() > periodStart.getTime() ? from : periodStart;
      const hi = periodEnd.getTime() > to.getTime() ? to : periodEnd;
      return { periodStart, periodEnd, partial, lo, hi };
    });
    // SAME_PERIOD_LAST_YEAR: each bucket's part a year earlier (null: none like-for-like, e.g. ISO week 53).
    const lastYear =
      compareTo === CompareTo.SAME_PERIOD_LAST_YEAR
        ? buckets.map((b) => {
            const period = comparisonPeriod({ from: b.lo, to: b.hi, compareTo: 'SAME_PERIOD_LAST_YEAR', timeZone: zone });
            return period.ok && period.comparable ? { lo: period.from, hi: period.to } : null;
          })
        : null;
    // The counts: a second statement with the filter compiled again (its parameters are its own),
    // from the earliest instant counted (a year-earlier range, when there is one).
    let countFrom = from;
    for (const r of lastYear ?? []) if (r && countFrom && r.lo.getTime() < countFrom.getTime()) countFrom = r.lo;
    const countParams = new SqlParams();
    const countPlan = await this.services.filters.plan(ctx, { ...(filter ?? {}), from: countFrom, to }, countParams);
    const ranges: FactRange[] = buckets.map((b, k) => ({ k, ...clip(countPlan, b.lo, b.hi) }));
    lastYear?.forEach((r, k) => {
      if (r) ranges.push({ k: buckets.length + k, ...clip(countPlan, r.lo, r.hi) });
    });
    const counts = ranges.length ? await this.countsByRange(ctx, countPlan, countParams, ranges) : new Map<number, Row>();
    const points: TrendPoint[] = [];
    for (const [k, b] of buckets.entries()) {
      const score = this.score(countsOf(counts.get(k)), { filter });
      const previous = lastYear ? this.score(countsOf(counts.get(buckets.length + k)), { filter }) : points[points.length - 1]?.score;
      points.push(
        Object.assign(new TrendPoint(), {
          periodStart: b.periodStart,
          periodEnd: b.periodEnd,
          partial: b.partial,
          score,
          change: previous ? ScoreChange.between(previous, score) : null,
        }),
      );
    }
    return points;
  }

  /**
   * Scores of the children of parentId (of the roots when null; of a manager's own root) and, with
   * `levels` > 1, of the departments below them down to that depth, each over its whole subtree:
   * per-department counts summed up the tree in one statement, depth first by code. With from and
   * to in the filter, each row's change (DepartmentScore.change) is counted when first asked for,
   * for every row at once, in one more statement.
   */
  async departmentScores(
    ctx: RequestContext,
    filter: FilterArg,
    parentId?: string,
    opts: { levels?: number | null; compareTo?: CompareTo | null; timeZone?: string | null } = {},
  ): Promise<DepartmentScore[]> {
    this.services.access.require(ctx, Permission.READ_REPORTS);
    const levels = opts.levels ?? 1;
    if (!Number.isInteger(levels) || levels < 1 || levels > MAX_DEPARTMENT_LEVELS) {
      throw badInput(`levels must be between 1 and ${MAX_DEPARTMENT_LEVELS}`, 'levels');
    }
    const range = comparisonRange(filter, opts.compareTo, opts.timeZone, { required: false });
    const rows = await this.departmentCounts(ctx, filter, parentId, levels);
    const previous =
      range &&
      once(async () => new Map((range.period.comparable ? await this.departmentCounts(ctx, previousFilter(filter, range), parentId, levels) : []).map((r) => [r.department_id, r])));
    return rows.map((row) => {
      const scope: ScoreScope = { filter, departmentId: row.department_id };
      const counts = previous && once(async () => countsOf((await previous()).get(row.department_id)));
      return Object.assign(new DepartmentScore(), {
        departmentId: row.department_id,
        parentId: row.parent_id ?? null,
        depth: Number(row.depth),
        score: this.score(countsOf(row), scope),
        previousScore: counts && (async () => this.score(await counts(), scope)),
      });
    });
  }

  /** The counts of departmentScores' rows (department_id, parent_id, depth, promoters, passives, detractors), depth first by code. */
  private async departmentCounts(ctx: RequestContext, filter: FilterArg, parentId: string | undefined, levels: number): Promise<Row[]> {
    const params = new SqlParams();
    const tree = await departmentTreeCtes(ctx, params, parentId, levels);
    const plan = await this.services.filters.plan(ctx, filter, params);
    const facts = factsSql({ filter: plan, params, ranges: [{ k: 0, ...clip(plan, null, null) }], groupBy: 'department_id', rawOnly: ctx.rawFacts });
    const sql = `
      WITH RECURSIVE ${tree},
      counts AS (${facts.sql})
      SELECT t.id AS department_id, t.parent_id, t.depth,
             COALESCE(sum(c.promoters), 0)::int AS promoters,
             COALESCE(sum(c.passives), 0)::int AS passives,
             COALESCE(sum(c.detractors), 0)::int AS detractors
      FROM tree t
      JOIN subtree s ON s.target_id = t.id
      LEFT JOIN counts c ON c.g = s.department_id
      GROUP BY t.id, t.parent_id, t.depth, t.path
      ORDER BY t.path`;
    return this.query(ctx, sql, params.values);
  }

  /**
   * The score per value of one dimension, most responses first. With from and to in the filter,
   * each item's change (NpsBreakdownItem.change) is counted when first asked for, for every item
   * at once, in one more statement.
   */
  async breakdown(
    ctx: RequestContext,
    by: BreakdownDimension,
    filter: FilterArg,
    limit?: number | null,
    opts: { compareTo?: CompareTo | null; timeZone?: string | null; question?: string | null } = {},
  ): Promise<NpsBreakdownItem[]> {
    this.services.access.require(ctx, Permission.READ_REPORTS);
    if (!BREAKDOWN_SQL[by]) throw badInput(`by must be one of ${Object.keys(BREAKDOWN_SQL).join(', ')}`, 'by');
    if (VERBATIM_DIMENSIONS.has(by)) this.services.access.require(ctx, Permission.READ_RESPONSES);
    const max = limit ?? DEFAULT_BREAKDOWN_LIMIT;
    if (!Number.isInteger(max) || max < 1 || max > MAX_BREAKDOWN_LIMIT) {
      throw badInput(`limit must be between 1 and ${MAX_BREAKDOWN_LIMIT}`, 'limit');
    }
    const question = opts.question;
    const asked = (question ?? DEFAULT_FOLLOW_UP_QUESTION).trim();
    if (!asked || asked.length > MAX_QUESTION_LENGTH) throw badInput(`question must be 1-${MAX_QUESTION_LENGTH} characters (not blank)`, 'question');
    if (question != null && by !== BreakdownDimension.FOLLOW_UP_ANSWER) throw badInput('question applies to by: FOLLOW_UP_ANSWER only', 'question');
    const range = comparisonRange(filter, opts.compareTo, opts.timeZone, { required: false });
    const rows = await this.breakdownCounts(ctx, by, filter, asked, { limit: max });
    const values = rows.map((row) => row.value as string | null);
    const previous =
      range && once(async () => new Map((range.period.comparable ? await this.breakdownCounts(ctx, by, previousFilter(filter, range), asked, { values }) : []).map((r) => [r.value, r])));
    return rows.map((row) => {
      const scope: ScoreScope = { filter: itemFilter(filter, by, row.value) };
      const counts = previous && once(async () => countsOf((await previous()).get(row.value)));
      return Object.assign(new NpsBreakdownItem(), {
        value: row.value,
        id: ID_DIMENSIONS.has(by) ? row.value : null,
        dimension: by,
        score: this.score(countsOf(row), scope),
        previousScore: counts && (async () => this.score(await counts(), scope)),
      });
    });
  }

  /** Counts per value (value, promoters, passives, detractors): the `limit` largest, or those of `values` (null included). */
  private async breakdownCounts(
    ctx: RequestContext,
    by: BreakdownDimension,
    filter: FilterArg,
    question: string,
    only: { limit?: number; values?: (string | null)[] },
  ): Promise<Row[]> {
    const dim = BREAKDOWN_SQL[by];
    const params = new SqlParams();
    const plan = await this.services.filters.plan(ctx, filter, params);
    const groupBy = dim.groupBy === 'follow_up_answer' ? followUpAnswerGroup(params.p(question)) : dim.groupBy;
    const facts = factsSql({ filter: plan, params, ranges: [{ k: 0, ...clip(plan, null, null) }], groupBy, rawOnly: ctx.rawFacts });
    const values = only.values;
    const among = values
      ? ` AND ((${dim.value})::text = ANY(${params.p(values.filter((v) => v !== null))}::text[]) OR (${dim.value} IS NULL AND ${params.p(values.includes(null))}::boolean))`
      : '';
    const sql = `
      SELECT ${dim.value} AS value, sum(f.promoters)::int AS promoters, sum(f.passives)::int AS passives, sum(f.detractors)::int AS detractors
      FROM (${facts.sql}) f ${dim.join}
      GROUP BY 1
      HAVING sum(f.promoters + f.passives + f.detractors) > 0${among}
      ORDER BY sum(f.promoters + f.passives + f.detractors) DESC, 1 ASC NULLS LAST
      ${only.limit === undefined ? '' : `LIMIT ${params.p(only.limit)}::int`}`;
    return this.query(ctx, sql, params.values);
  }

  /**
   * filter.from..filter.to against the earlier period compareTo names (src/calendar: comparisonPeriod,
   * in timeZone), both counted in one statement. No like-for-like earlier period (ISO week 53 last
   * year): only the current period is counted, previous is empty and the verdict NOT_COMPARABLE.
   */
  async comparison(ctx: RequestContext, filter: ResponseFilter, compareTo?: CompareTo | null, timeZone?: string | null): Promise<NpsComparison> {
    this.services.access.require(ctx, Permission.READ_REPORTS);
    const range = comparisonRange(filter, compareTo, timeZone, { required: true })!;
    const { from, to, period } = range;
    const params = new SqlParams();
    const plan = await this.services.filters.plan(ctx, { ...filter, from: earliestFrom(range), to }, params);
    const ranges: FactRange[] = [{ k: 1, ...clip(plan, from, to) }];
    if (period.comparable) ranges.unshift({ k: 0, ...clip(plan, period.from, period.to) });
    const counts = await this.countsByRange(ctx, plan, params, ranges);
    const current = this.score(countsOf(counts.get(1)), { filter });
    const previous = this.score(countsOf(counts.get(0)), { filter });
    return Object.assign(new NpsComparison(), periodFields(range), { current, previous, change: ScoreChange.between(previous, current) });
  }
}

/**
 * The filter a breakdown item's responses match, for the benchmarks that apply to its score: a
 * SURVEY_KIND or SURVEY item pins the kind of survey even when the filter does not.
 */
export function itemFilter(filter: FilterArg, by: BreakdownDimension, value: string | null): FilterArg {
  if (value === null) return filter;
  if (by === BreakdownDimension.SURVEY_KIND) return { ...(filter ?? {}), surveyKind: value as ResponseFilter['surveyKind'] };
  if (by === BreakdownDimension.SURVEY) return { ...(filter ?? {}), surveyIds: [value] };
  return filter;
}

/** The filter narrowed to the comparison's earlier period (its other fields, and a segment's own bounds, kept). */
const previousFilter = (filter: FilterArg, range: ComparisonRange): ResponseFilter =>
  range.period.comparable ? { ...(filter ?? {}), from: range.period.from, to: range.period.to } : { ...(filter ?? {}) };

/** fn, run on the first call only; later calls share its promise. */
function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= fn());
}
