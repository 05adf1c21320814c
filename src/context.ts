import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AppConfig } from './common/config';
import type { Logger } from './common/logging';
import type { ChangeFeed } from './db/change-feed';
import { createLoaders, Loaders } from './loaders';
import type { Services } from './services';
import { Viewer } from './modules/auth/viewer';

/** What every service needs for the lifetime of the process. */
export interface AppDeps {
  ds: DataSource;
  config: AppConfig;
  logger: Logger;
  /**
   * Where reporting aggregates run (a bounded pool with a statement timeout on PostgreSQL). Absent:
   * the main DataSource. Read it through reportsOf(deps).
   */
  reports?: Queryable;
  /** Data-change notifications; with them (and REPORT_CACHE_TTL_MS > 0) report answers are cached. */
  changes?: ChangeFeed;
}

/** Anything that runs one parameterised statement. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any>;
}

/** The runner for reporting aggregates: deps.reports, or the main DataSource. */
export const reportsOf = (deps: AppDeps): Queryable => deps.reports ?? deps.ds;

/** The first argument of every service call: who is asking, when, and per-request caches. */
export interface RequestContext {
  requestId: string;
  viewer: Viewer;
  /** The clock; tests replace it. */
  now(): Date;
  loaders: Loaders;
  services: Services;
  logger: Logger;
  /** Count from the raw rows, never the rollups: the reference the equality tests compare with. */
  rawFacts?: boolean;
}

export function createContext(
  services: Services,
  viewer: Viewer,
  opts: { requestId?: string; now?: () => Date; logger?: Logger } = {},
): RequestContext {
  const requestId = opts.requestId ?? randomUUID();
  const logger = (opts.logger ?? services.deps.logger).child({ requestId });
  return {
    requestId,
    viewer,
    now: opts.now ?? (() => new Date()),
    loaders: createLoaders(services.deps.ds),
    services,
    logger,
  };
}
