import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadConfig } from '../../src/common/config';
import { createLogger } from '../../src/common/logging';
import type { AppDeps } from '../../src/context';
import { openDatabase, Database } from '../../src/db/database';
import { createApp, App } from '../../src/server';
import { databaseUrl } from './pg-urls';
import type { GqlResult } from './test-app';

/**
 * The loopback primary and streaming replica of scripts/pg-cluster.sh: TEST_REPLICA_CLUSTER is
 * "<primary url>,<replica url>" (the script's `up` prints it; .ci/run exports it). Absent: the
 * replica tests skip, saying so.
 */
export const CLUSTER = process.env.TEST_REPLICA_CLUSTER ? process.env.TEST_REPLICA_CLUSTER.split(',').map((u) => u.trim()) : null;

/** describe, or describe.skip with a visible notice when no cluster is configured. */
export function describeWithCluster(name: string, fn: () => void): void {
  if (!CLUSTER) {
    if (process.env.REQUIRE_REPLICA_CLUSTER) throw new Error(`"${name}": REQUIRE_REPLICA_CLUSTER is set but TEST_REPLICA_CLUSTER is not (scripts/pg-cluster.sh up failed?)`);
    console.warn(`SKIPPED "${name}": no loopback replica cluster (scripts/pg-cluster.sh up, then export TEST_REPLICA_CLUSTER as it prints; .ci/run does both)`);
    describe.skip(name, fn);
    return;
  }
  describe(name, fn);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs scripts/pg-cluster.sh with `cmd` (stop-replica, start-replica). */
export function clusterScript(cmd: string): void {
  execFileSync(path.join(__dirname, '../../scripts/pg-cluster.sh'), [cmd], { stdio: 'inherit' });
}

/** A fresh database on the cluster's primary, and its URL on the primary and on the replica. */
export async function createClusterDatabase(): Promise<{ name: string; primaryUrl: string; replicaUrl: string; drop(): Promise<void> }> {
  const [primary, replica] = CLUSTER!;
  const name = `nps_rep_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: primary });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const replicaUrl = databaseUrl(replica, name);
  // The replica has it once it replayed the CREATE DATABASE.
  for (let i = 0; ; i++) {
    const c = new Client({ connectionString: replicaUrl });
    try {
      await c.connect();
      await c.end();
      break;
    } catch (e) {
      if (i > 100) throw e;
      await sleep(100);
    }
  }
  return {
    name,
    primaryUrl: databaseUrl(primary, name),
    replicaUrl,
    async drop() {
      const a = new Client({ connectionString: primary });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** One API instance as main.ts builds it: its own pools on the primary and the replica, its own server. */
export interface Instance {
  db: Database;
  deps: AppDeps;
  app: App;
  url: string;
  post<T = any>(query: string, variables?: Record<string, unknown>, opts?: { key?: string; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: GqlResult<T> }>;
  readyz(): Promise<any>;
  close(): Promise<void>;
}

export async function startInstance(urls: { primaryUrl: string; replicaUrl: string }, env: Record<string, string> = {}): Promise<Instance> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: urls.primaryUrl,
    DATABASE_REPLICA_URLS: urls.replicaUrl,
    REPLICA_RETRY_MS: '500',
    RATE_LIMIT_ENABLED: 'false',
    DB_POOL_MAX: '4',
    ...env,
  });
  const logger = createLogger(config.logLevel);
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    poolMax: config.dbPoolMax,
    reportingPoolMax: config.reportingPoolMax,
    reportStatementTimeoutMs: config.reportStatementTimeoutMs,
    logger,
    replicaUrls: config.replicas.urls,
    replicaRetryMs: config.replicas.retryMs,
    redisUrl: config.rateLimit.redisUrl,
  });
  const deps: AppDeps = { ds: db.dataSource, config, logger, reports: db.reports, router: db.router };
  const app = await createApp(deps);
  const port = await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${port}`;
  return {
    db,
    deps,
    app,
    url: base,
    async post(query, variables, opts = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
      if (opts.key) headers.authorization = `Bearer ${opts.key}`;
      const res = await fetch(`${base}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      return { status: res.status, headers: res.headers, body: (await res.json()) as GqlResult };
    },
    async readyz() {
      const res = await fetch(`${base}/readyz`);
      return { status: res.status, ...((await res.json()) as object) };
    },
    async close() {
      await app.stop();
      await db.close();
    },
  };
}
