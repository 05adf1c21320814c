import DataLoader from 'dataloader';
import type { AppDeps, RequestContext } from '../../context';
import { badInput } from '../../common/errors';
import { perRequest } from '../../common/request-cache';
import { SqlParams } from '../../common/sql-params';
import type { NpsCounts } from '../../scoring';
import type { Services } from '../../services';
import { Permission } from '../auth/permissions';
import { BREAKDOWN_SQL, DEFAULT_BREAKDOWN_LIMIT, ID_DIMENSIONS, MAX_BREAKDOWN_LIMIT } from './breakdown';
import type { ResponseFilter } from './filter/response-filter.input';
import { departmentRollupCtes } from './department-rollup';
import { countsSelect, countsSelectWhen } from './nps-category';
import { NpsScore, ScoreChange } from './nps-score.type';
import { BreakdownDimension, DepartmentScore, NpsBreakdownItem, NpsComparison, TrendInterval, TrendPoint } from './reporting.types';
import { mergeInto } from './sql-merge';
import { assertBucketCount, INTERVALS, MAX_TREND_BUCKETS, resolveTimeZone, tooManyBuckets } from './time-buckets';

type FilterArg = ResponseFilter | null | undefined;
type CountRow = { promoters: number; passives: number; detractors: number };

const countsOf = (row: CountRow | undefined, prefix = ''): NpsCounts => {
  const r = (row ?? {}) as Record<string, unknown>;
  return {
    promoters: Number(r[`${prefix}promoters`] ?? 0),
    passives: Number(r[`${prefix}passives`] ?? 0),
    detractors: Number(r[`${prefix}detractors`] ?? 0),
  };
};

/**
 * Aggregates over responses: summary, trend, department rollups, breakdowns, period comparison.
 * Each question is one SQL statement of counts; every figure comes from the scoring module.
 */
export class ReportingService {
  constructor(
    private readonly deps: AppDeps,
    private readonly services: Services,
  ) {}

  private score(counts: NpsCounts): NpsScore {
    return NpsScore.from(counts, this.deps.config.lowSampleThreshold);
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
          const where = await this.services.filters.compile(ctx, filter, params, 'r');
          return { where, values: params.values };
        } catch (err) {
          return err instanceof Error ? err : new Error(String(err));
        }
      }),
    );
    const params = new SqlParams();
    const branches: string[] = [];
    compiled.forEach((c, i) => {
      if (c instanceof Error) return;
      branches.push(`SELECT ${i} AS k, ${countsSelect('r')} FROM responses r WHERE ${mergeInto(params, c.where, c.values)}`);
    });
    const rows: (CountRow & { k: number })[] = branches.length ? await this.deps.ds.query(branches.join('\nUNION ALL\n'), params.values) : [];
    const byKey = new Map(rows.map((row) => [Number(row.k), row]));
    return compiled.map((c, i) => (c instanceof Error ? c : this.score(countsOf(byKey.get(i)))));
  }

  /**
   * Every bucket from the one holding `from` to the one holding the last instant before `to`,
   * empty ones included. Defaults: to = now; from = the first matching response (no response: []).
   */
  async trend(ctx: RequestContext, filter: FilterArg, interval: TrendInterval, timeZone?: string | null): Promise<TrendPoint[]> {
    this.services.access.require(ctx, Permission.READ_REPORTS);
    const zone = resolveTimeZone(timeZone);
    const spec = INTERVALS[interval];
    if (!spec) throw badInput(`interval must be one of ${Object.keys(INTERVALS).join(', ')}`, 'interval');
    const from = filter?.from ?? null;
    const to = filter?.to ?? ctx.now();
    if (from && !filter?.to && from.getTime() >= to.getTime()) {
      throw badInput('filter.from must be before filter.to, which defaults to now', 'filter.from');
    }
    if (from) assertBucketCount(from, to, interval);
    const params = new SqlParams();
    const where = await this.services.filters.compile(ctx, { ...(filter ?? {}), to }, params, 'r');
    const tz = params.p(zone);
    const local = (ts: string) => `(${ts} AT TIME ZONE ${tz}::text)`;
    const sql = `
      WITH bounds AS (
        SELECT date_trunc('${spec.unit}', ${local('b.lo')}) AS first_local,
               date_trunc('${spec.unit}', ${local("(b.hi - interval '1 microsecond')")}) AS last_local
        FROM (SELECT COALESCE(${params.p(from)}::timestamptz, (SELECT min(r.responded_at) FROM responses r WHERE ${where})) AS lo,
                     ${params.p(to)}::timestamptz AS hi) b
      ),
      buckets AS (
        SELECT gs AS local_start
        FROM bounds, generate_series(bounds.first_local, bounds.last_local, interval '${spec.step}') gs
        ORDER BY gs LIMIT ${MAX_TREND_BUCKETS + 1}
      ),
      counts AS (
        SELECT date_trunc('${spec.unit}', ${local('r.responded_at')}) AS local_start, ${countsSelect('r')}
        FROM responses r WHERE ${where}
        GROUP BY 1
      )
      SELECT (b.local_start AT TIME ZONE ${tz}::text) AS period_start,
             ((b.local_start + interval '${spec.step}') AT TIME ZONE ${tz}::text) AS period_end,
             COALESCE(c.promoters, 0)::int AS promoters, COALESCE(c.passives, 0)::int AS passives,
             COALESCE(c.detractors, 0)::int AS detractors
      FROM buckets b LEFT JOIN counts c ON c.local_start = b.local_start
      ORDER BY b.local_start`;
    let rows: (CountRow & { period_start: Date; period_end: Date })[];
    try {
      rows = await this.deps.ds.query(sql, params.values);
    } catch (err) {
      // A zone Node knows but this PostgreSQL does not: still the client's input.
      if ((err as { driverError?: { code?: string } }).driverError?.code === '22023') {
        throw badInput(`timeZone ${JSON.stringify(timeZone)} is not known to the database`, 'timeZone');
      }
      throw err;
    }
    if (rows.length > MAX_TREND_BUCKETS) throw tooManyBuckets(interval);
    const points: TrendPoint[] = [];
    for (const row of rows) {
      const score = this.score(countsOf(row));
      const previous = points[points.length - 1];
      points.push(
        Object.assign(new TrendPoint(), {
          periodStart: new Date(row.period_start),
          periodEnd: new Date(row.period_end),
          score,
          change: previous ? ScoreChange.between(previous.score, score) : null,
        }),
      );
    }
    return points;
  }

  /**
   * Scores of the children of parentId (of the roots when null; of a manager's own root), each
   * over its whole subtree: per-department counts summed up the tree in one statement.
   */
  async departmentScores(ctx: RequestContext, filter: FilterArg, parentId?: string): Promise<DepartmentScore[]> {
    this.services.access.require(ctx, Permission.READ_REPORTS);
    const params = new SqlParams();
    const rollup = await departmentRollupCtes(ctx, this.deps.ds.manager, params, parentId);
    const where = await this.services.filters.compile(ctx, filter, params, 'r');
    const sql = `
      WITH RECURSIVE ${rollup},
      counts AS (
        SELECT r.department_id, ${countsSelect('r')}
        FROM responses r WHERE ${where}
        GROUP BY r.department_id
      )
      SELECT t.id AS department_id,
             COALESCE(sum(c.promoters), 0)::int AS promoters,
             COALESCE(sum(c.passives), 0)::int AS passives,
             COALESCE(sum(c.detractors), 0)::int AS detractors
      FROM subtree s
      JOIN departments t ON t.id = s.target_id
      LEFT JOIN counts c ON c.department_id = s.department_id
      GROUP BY t.id, t.code
      ORDER BY t.code`;
    const rows: (CountRow & { department_id: string })[] = await this.deps.ds.query(sql, params.values);
    return rows.map((row) => Object.assign(new DepartmentScore(), { departmentId: row.department_id, score: this.score(countsOf(row)) }));
  }

  /** The score per value of one dimension, most responses first. */
  async breakdown(ctx: RequestContext, by: BreakdownDimension, filter: FilterArg, limit?: number | null): Promise<NpsBreakdownItem[]> {
    this.services.access.require(ctx, Permission.READ_REPORTS);
    const dim = BREAKDOWN_SQL[by];
    if (!dim) throw badInput(`by must be one of ${Object.keys(BREAKDOWN_SQL).join(', ')}`, 'by');
    const max = limit ?? DEFAULT_BREAKDOWN_LIMIT;
    if (!Number.isInteger(max) || max < 1 || max > MAX_BREAKDOWN_LIMIT) {
      throw badInput(`limit must be between 1 and ${MAX_BREAKDOWN_LIMIT}`, 'limit');
    }
    const params = new SqlParams();
    const where = await this.services.filters.compile(ctx, filter, params, 'r');
    const sql = `
      SELECT ${dim.value} AS value, ${countsSelect('r')}
      FROM responses r ${dim.join}
      WHERE ${where}
      GROUP BY 1
      ORDER BY count(*) DESC, 1 ASC NULLS LAST
      LIMIT ${params.p(max)}::int`;
    const rows: (CountRow & { value: string | null })[] = await this.deps.ds.query(sql, params.values);
    return rows.map((row) =>
      Object.assign(new NpsBreakdownItem(), {
        value: row.value,
        id: ID_DIMENSIONS.has(by) ? row.value : null,
        dimension: by,
        score: this.score(countsOf(row)),
      }),
    );
  }

  /** filter.from..filter.to against the period of equal length just before it, in one statement. */
  async comparison(ctx: RequestContext, filter: ResponseFilter): Promise<NpsComparison> {
    this.services.access.require(ctx, Permission.READ_REPORTS);
    const from = filter?.from;
    const to = filter?.to;
    if (!from) throw badInput('filter.from is required to compare periods', 'filter.from');
    if (!to) throw badInput('filter.to is required to compare periods', 'filter.to');
    if (from.getTime() >= to.getTime()) throw badInput('filter.to must be after filter.from', 'filter.to');
    const previousFrom = new Date(from.getTime() - (to.getTime() - from.getTime()));
    const params = new SqlParams();
    const where = await this.services.filters.compile(ctx, { ...filter, from: previousFrom, to }, params, 'r');
    const split = params.p(from);
    const sql = `
      SELECT ${countsSelectWhen('r', `r.responded_at >= ${split}::timestamptz`, 'cur_')},
             ${countsSelectWhen('r', `r.responded_at < ${split}::timestamptz`, 'prev_')}
      FROM responses r WHERE ${where}`;
    const [row] = await this.deps.ds.query(sql, params.values);
    const current = this.score(countsOf(row, 'cur_'));
    const previous = this.score(countsOf(row, 'prev_'));
    return Object.assign(new NpsComparison(), {
      currentFrom: from,
      currentTo: to,
      previousFrom,
      previousTo: from,
      current,
      previous,
      change: ScoreChange.between(previous, current),
    });
  }
}
