import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Per-request statistics of the reporting path: how many SQL statements a request sent and which
 * fact plan (rollup, hybrid, raw) answered each aggregate. Filled through AsyncLocalStorage so no
 * service signature changes; the server exposes them to benchmarks (never by default).
 */
export interface QueryStats {
  statements: number;
  plans: string[];
}

const storage = new AsyncLocalStorage<QueryStats>();

/** Runs `fn` with a fresh stats record; returns what `fn` returns. */
export function withQueryStats<T>(stats: QueryStats, fn: () => T): T {
  return storage.run(stats, fn);
}

export const currentQueryStats = (): QueryStats | undefined => storage.getStore();

/** Notes which plan ('rollup', 'hybrid', 'raw') answered one aggregate of the current request. */
export function recordPlan(plan: string): void {
  storage.getStore()?.plans.push(plan);
}

/** Counts one SQL statement sent for the current request. */
export function recordStatement(): void {
  const s = storage.getStore();
  if (s) s.statements++;
}

let driverHooked = false;

/**
 * Counts every statement sent through the `pg` driver (any pool: TypeORM's, a reporting pool)
 * for the request running it, by wrapping Client.prototype.query once. Outside a request
 * (no stats record) it only passes the call on.
 */
export function countDriverStatements(): void {
  if (driverHooked) return;
  driverHooked = true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Client } = require('pg') as typeof import('pg');
  const query = Client.prototype.query;
  Client.prototype.query = function countedQuery(this: unknown, ...args: unknown[]) {
    recordStatement();
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
}
