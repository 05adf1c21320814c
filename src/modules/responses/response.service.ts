import type { RequestContext, ServiceDeps } from '../../context';
import { notFound } from '../../common/errors';
import { Connection, decodeCursor, pageSize, toConnection } from '../../common/pagination';
import { SqlParams } from '../../common/sql-params';
import type { Services } from '../../services';
import { Permission } from '../auth/permissions';
import type { ResponseFilter } from '../reporting/filter/response-filter.input';
import { clip } from '../reporting/facts/fact-counts';
import { factsSql } from '../reporting/facts/facts-query';
import { Response } from './response.entity';
import { responseFromRow } from './response-row';

/** Reading responses: every question goes through the filter compiler, which also applies a MANAGER's scope. */
export class ResponseService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {}

  /** Newest first (respondedAt desc, id desc), keyset-paginated; totalCount counts the whole filter. */
  async list(ctx: RequestContext, filter: ResponseFilter | null | undefined, first?: number | null, after?: string | null): Promise<Connection<Response>> {
    this.services.access.require(ctx, Permission.READ_RESPONSES);
    const size = pageSize(first);
    const cursor = decodeCursor(after);
    const params = new SqlParams();
    const where = await this.services.filters.compile(ctx, filter, params, 'r');
    // totalCount through the fact planner (rollups where they cover the filter), on its own parameters.
    const countParams = new SqlParams();
    const plan = await this.services.filters.plan(ctx, filter, countParams);
    const facts = factsSql({ filter: plan, params: countParams, ranges: [{ k: 0, ...clip(plan, null, null) }], rawOnly: ctx.rawFacts });
    const keyset = cursor ? ` AND (r.responded_at, r.id) < (${params.p(cursor.at)}::timestamptz, ${params.p(cursor.id)}::uuid)` : '';
    const limit = params.p(size + 1);
    const [rows, [count]] = await Promise.all([
      ctx.em.query(
        `SELECT r.* FROM responses r WHERE ${where}${keyset} ORDER BY r.responded_at DESC, r.id DESC LIMIT ${limit}`,
        params.values,
      ) as Promise<Record<string, unknown>[]>,
      // The count is an aggregate over every matching response: the reporting runner's (bounded, timed).
      ctx.reports.query(`SELECT coalesce(sum(promoters + passives + detractors), 0)::int AS n FROM (${facts.sql}) f`, countParams.values) as Promise<{ n: number }[]>,
    ]);
    const responses = rows.map(responseFromRow);
    for (const r of responses) ctx.loaders.response.prime(r.id, r);
    return toConnection(responses, size, (r) => ({ at: r.respondedAt, id: r.id }), count.n);
  }

  /** One response; NOT_FOUND when unknown or, for a MANAGER, outside their subtree. */
  async byId(ctx: RequestContext, id: string): Promise<Response> {
    this.services.access.require(ctx, Permission.READ_RESPONSES);
    const params = new SqlParams();
    const idParam = params.p(id);
    const where = await this.services.filters.compile(ctx, null, params, 'r');
    const [row] = await ctx.em.query(`SELECT r.* FROM responses r WHERE r.id = ${idParam} AND ${where}`, params.values);
    if (!row) throw notFound('Response', id, 'id');
    return responseFromRow(row);
  }
}
