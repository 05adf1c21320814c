import { Pool } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import type { Queryable } from '../context';
import { isQueryCanceled, reportTimeout } from '../common/errors';
import type { Logger } from '../common/logging';

/**
 * Where reporting aggregates run (AppDeps.reports), so that a flood of heavy reports cannot take
 * the connections that authentication, small reads and writes need.
 *
 * - PostgreSQL: a pg Pool of its own, of `max` connections, each opened with `statement_timeout`
 *   and `jit = off` (JIT compiled one aggregate for 4 s of a 9.4 s statement; see STACK-NOTES), and
 *   no parallel workers: a rollup aggregate reads a few thousand rows, and starting two workers
 *   cost ~50 ms of a trend's 63 ms at 1M responses (the planner guessed far more rows behind the
 *   unnest joins); on 2 cores under concurrent dashboards parallelism buys no throughput either.
 *   A report waiting for a free reporting connection longer than the timeout (at least 1 s) gives
 *   up too, with REPORT_TIMEOUT saying so.
 * - Embedded PGlite (one connection): no second connection; the statement runs on the main
 *   DataSource. PGlite runs in this process's thread and does not enforce statement_timeout
 *   (measured with 0.5.14: SET LOCAL statement_timeout = 50 and pg_sleep(1) sleeps 1 s; its timers
 *   cannot fire mid-statement) and has no JIT, so SET LOCAL in a transaction of its own would cost
 *   three more round trips on the only connection for no effect. Instead nothing is set (so nothing
 *   can leak to other requests) and a statement that ran past the deadline has its result refused:
 *   the API answers as PostgreSQL would, but the wait is not shortened.
 *
 * Either way a statement past the deadline fails with REPORT_TIMEOUT (a DomainError); other
 * failures are TypeORM QueryFailedErrors as from DataSource.query, so callers that look at
 * `driverError.code` work unchanged. Rows come back as from DataSource.query: the same pg module
 * and type parsers (ints cast ::int are numbers, timestamptz are Dates, bigint/numeric strings).
 */
export interface ReportRunner extends Queryable {
  readonly kind: 'pool' | 'embedded';
  readonly timeoutMs: number;
  query<T = any>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Its pool's connections (PostgreSQL); undefined on the embedded database, whose reports use the main pool. */
  poolStats?(): PoolStats;
  /** Ends the pool (PostgreSQL); nothing to do on the embedded database. */
  close(): Promise<void>;
}

/** A pg Pool's connections: for the metrics. */
export interface PoolStats {
  /** Connections open (in use or idle). */
  total: number;
  idle: number;
  /** Callers waiting for a connection. */
  waiting: number;
  max: number;
}

/** The stats of a pg Pool (its public counters). */
export const statsOf = (pool: Pick<Pool, 'totalCount' | 'idleCount' | 'waitingCount'> & { options?: { max?: number } }): PoolStats => ({
  total: pool.totalCount,
  idle: pool.idleCount,
  waiting: pool.waitingCount,
  max: pool.options?.max ?? 0,
});

/** A separate pg Pool for reports on PostgreSQL. */
export function createPoolReportRunner(opts: {
  url: string;
  max: number;
  timeoutMs: number;
  /** search_path, as the main DataSource's ConnectionTarget.schema. */
  schema?: string;
  logger?: Logger;
  /** The main DataSource's query logger: reports are logged (and counted in tests) like its own statements. */
  queryLogger?: { logQuery(query: string, parameters?: unknown[]): unknown };
}): ReportRunner {
  const settings = [`-c statement_timeout=${opts.timeoutMs}`, '-c jit=off', '-c max_parallel_workers_per_gather=0', ...(opts.schema ? [`-c search_path=${opts.schema}`] : [])];
  const pool = new Pool({
    connectionString: opts.url,
    max: opts.max,
    options: settings.join(' '),
    application_name: 'nps-api-reports',
    // Waiting for a free reporting connection (or opening one) is bounded too; at least 1 s, so a
    // tiny statement timeout does not fail the connection handshake itself.
    connectionTimeoutMillis: Math.max(opts.timeoutMs, 1000),
  });
  // An idle client whose connection dies (server restart, DROP DATABASE ... FORCE) must not crash the process.
  pool.on('error', (err) => opts.logger?.warn({ err }, 'reporting pool: idle connection failed'));
  // A client whose connection dies while checked out (a replica stopped mid-report) also emits
  // 'error', which the pool only listens to while the client is idle: the statement fails (and is
  // retried on the primary where that applies); the event must not crash the process.
  const guarded = new WeakSet<object>();
  const guard = (client: { on(event: 'error', fn: (err: Error) => void): unknown }) => {
    if (guarded.has(client)) return;
    guarded.add(client);
    client.on('error', (err) => opts.logger?.warn({ err }, 'reporting pool: connection failed'));
  };
  let ended = false;
  return {
    kind: 'pool',
    timeoutMs: opts.timeoutMs,
    poolStats: () => statsOf(pool),
    async query(sql, params = []) {
      let client;
      try {
        client = await pool.connect();
        guard(client);
      } catch (err) {
        if (/timeout exceeded when trying to connect/i.test((err as Error).message)) throw reportTimeout(Math.max(opts.timeoutMs, 1000), 'queued');
        throw err;
      }
      try {
        opts.queryLogger?.logQuery(sql, params);
        const res = await client.query(sql, params as unknown[]);
        return res.rows;
      } catch (err) {
        if (isQueryCanceled(err)) throw reportTimeout(opts.timeoutMs);
        throw new QueryFailedError(sql, params, err as Error);
      } finally {
        client.release();
      }
    },
    async close() {
      if (ended) return;
      ended = true;
      await pool.end();
    },
  };
}

/** Reports on the embedded database's one connection, under a deadline checked when they end. */
export function createEmbeddedReportRunner(ds: DataSource, opts: { timeoutMs: number }): ReportRunner {
  return {
    kind: 'embedded',
    timeoutMs: opts.timeoutMs,
    async query(sql, params = []) {
      // Only the statement counts against the deadline, not the wait for the one connection.
      const runner = ds.createQueryRunner();
      try {
        await runner.connect();
        const started = Date.now();
        const rows = await runner.query(sql, params as unknown[]);
        if (Date.now() - started > opts.timeoutMs) throw reportTimeout(opts.timeoutMs);
        return rows;
      } catch (err) {
        if (isQueryCanceled(err)) throw reportTimeout(opts.timeoutMs);
        throw err;
      } finally {
        await runner.release();
      }
    },
    async close() {},
  };
}
