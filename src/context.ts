import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { AppConfig } from './common/config';
import { Logger, requestLogger } from './common/logging';
import { currentRequestId } from './common/request-scope';
import type { ChangeFeed } from './db/change-feed';
import { createLoaders, Loaders } from './loaders';
import type { Services } from './services';
import { Viewer } from './modules/auth/viewer';
import type { ReadRouter, ReadTarget } from './db/replicas/read-router';

/** What every service needs for the lifetime of the process. */
export interface AppDeps {
  ds: DataSource;
  config: AppConfig;
  logger: Logger;
  /**
   * Where reporting aggregates run (a bounded pool with a statement timeout on PostgreSQL). Absent:
   * the main DataSource. Services read it as ctx.reports.
   */
  reports?: Queryable;
  /** Data-change notifications; with them (and REPORT_CACHE_TTL_MS > 0) report answers are cached. */
  changes?: ChangeFeed;
  /** Read replicas (DATABASE_REPLICA_URLS): where read-only requests read. Absent: everything on `ds`. */
  router?: ReadRouter;
}

/**
 * What a feature service may hold: configuration and logging, not the database. Every statement
 * goes through the request context (ctx.em, ctx.reports), so none can run outside the caller's
 * transaction.
 */
export type ServiceDeps = Pick<AppDeps, 'config' | 'logger'>;

/** Anything that runs one parameterised statement. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any>;
}

/** The first argument of every service call: who is asking, when, where statements run, and per-request caches. */
export interface RequestContext {
  requestId: string;
  viewer: Viewer;
  /** The clock; tests replace it. */
  now(): Date;
  /** Per-context DataLoaders, reading through `em` (a transaction's context has its own). */
  loaders: Loaders;
  services: Services;
  logger: Logger;
  /** Count from the raw rows, never the rollups: the reference the equality tests compare with. */
  rawFacts?: boolean;
  /**
   * Count only responses given before this instant, whatever the filters say (their periods are
   * still computed from the filters): the "as of" of a reproducible report. The filter compiler
   * applies it as one more upper time bound, so every count through it (fact planner, raw rows,
   * closed-loop counters) stops there. Set on a context derived for the purpose (executiveSummary's
   * asOf), never on the request's own.
   */
  respondedBefore?: Date;
  /**
   * Where this context's statements run: the data source's manager, or, in the context that
   * transaction(ctx, fn) (src/transaction.ts) hands to fn, the transaction's. Services and helpers
   * take ctx and read the manager from it; none takes a manager of its own, so none can be left
   * outside the caller's transaction by a forgotten argument (on the one-connection embedded
   * database that would deadlock; on PostgreSQL it would read outside the transaction).
   */
  readonly em: EntityManager;
  /**
   * Where reporting aggregates run: the reporting runner (deps.reports: a bounded pool with a
   * statement timeout; else the main DataSource) outside a transaction, the transaction's manager
   * inside one (its uncommitted rows, on its connection).
   */
  readonly reports: Queryable;
  /**
   * The read replica this request reads from (its name), set by readFrom() before execution of a
   * read-only operation; absent: the primary. transaction(ctx, fn) runs on the primary either way.
   */
  readonly readsFrom?: string;
}

export function createContext(
  services: Services,
  viewer: Viewer,
  opts: { requestId?: string; now?: () => Date; logger?: Logger } = {},
): RequestContext {
  // An HTTP request's id is its scope's (src/common/request-scope.ts); others get their own.
  const requestId = opts.requestId ?? currentRequestId() ?? randomUUID();
  const logger = requestLogger(opts.logger ?? services.deps.logger, requestId);
  const { ds, reports } = services.deps;
  return {
    requestId,
    viewer,
    now: opts.now ?? (() => new Date()),
    loaders: createLoaders(ds.manager),
    services,
    logger,
    em: ds.manager,
    reports: reports ?? ds,
  };
}

/**
 * Moves a request's reads to a read replica: its manager, reporting runner and loaders become the
 * replica's. Called once per request by the read-routing plugin (src/db/replicas/plugin.ts), after
 * the operation is known to be a query and before any resolver runs; never on a transaction's context.
 */
export function readFrom(ctx: RequestContext, target: ReadTarget): void {
  Object.assign(ctx, { em: target.ds.manager, reports: target.reports, loaders: createLoaders(target.ds.manager), readsFrom: target.name });
}
