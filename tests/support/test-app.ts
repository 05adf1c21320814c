import 'reflect-metadata';
import assert from 'node:assert';
import { loadConfig } from '../../src/common/config';
import { createLogger } from '../../src/common/logging';
import { createContext, AppDeps, RequestContext } from '../../src/context';
import { createApp, App } from '../../src/server';
import { createChangeFeed } from '../../src/db/change-feed';
import { createEmbeddedReportRunner, createPoolReportRunner, ReportRunner } from '../../src/db/report-runner';
import { Role, SYSTEM_VIEWER, Viewer } from '../../src/modules/auth/viewer';
import { openTestDatabase, TestDatabase } from './test-db';

export interface GqlResult<T = any> {
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

export interface TestApp {
  db: TestDatabase;
  /** The runner reports go through (deps.reports): a pool of its own on PostgreSQL, as in production. */
  reports: ReportRunner;
  deps: AppDeps;
  app: App;
  /** A request context as the given viewer (default: system admin). */
  ctx(viewer?: Viewer, now?: () => Date): RequestContext;
  /** Runs an operation through Apollo (executeOperation), as the given viewer. */
  exec<T = any>(query: string, variables?: Record<string, unknown>, opts?: { viewer?: Viewer; now?: () => Date }): Promise<GqlResult<T>>;
  /** Like exec, but fails the test on any error and returns data. */
  ok<T = any>(query: string, variables?: Record<string, unknown>, opts?: { viewer?: Viewer; now?: () => Date }): Promise<T>;
  close(): Promise<void>;
}

export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const db = await openTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ...env });
  const logger = createLogger(config.logLevel);
  const reports = db.url
    ? createPoolReportRunner({ url: db.url, max: config.reportingPoolMax, timeoutMs: config.reportStatementTimeoutMs, logger, queryLogger: db.dataSource.logger })
    : createEmbeddedReportRunner(db.dataSource, { timeoutMs: config.reportStatementTimeoutMs });
  // The report cache only when a test asks for it (REPORT_CACHE_TTL_MS): tests replace the clock.
  const changes = env.REPORT_CACHE_TTL_MS ? await createChangeFeed(db.dataSource, { url: db.url }) : undefined;
  const deps: AppDeps = { ds: db.dataSource, config, logger, reports, changes };
  const app = await createApp(deps);
  const ctx = (viewer: Viewer = SYSTEM_VIEWER, now?: () => Date) => createContext(app.services, viewer, { now });
  const exec = async (query: string, variables?: Record<string, unknown>, opts: { viewer?: Viewer; now?: () => Date } = {}) => {
    const res = await app.apollo.executeOperation({ query, variables }, { contextValue: ctx(opts.viewer, opts.now) });
    assert(res.body.kind === 'single');
    return res.body.singleResult as GqlResult;
  };
  return {
    db,
    reports,
    deps,
    app,
    ctx,
    exec,
    async ok(query, variables, opts) {
      const res = await exec(query, variables, opts);
      if (res.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors, null, 2)}`);
      return res.data as any;
    },
    async close() {
      await app.stop();
      await changes?.close();
      await reports.close();
      await db.close();
    },
  };
}

/** The extensions.code of each error, for compact assertions. */
export const codes = (res: GqlResult) => (res.errors ?? []).map((e) => e.extensions?.code);

/** A viewer of each role, for access tests run through exec/ok (a MANAGER is confined to a subtree). */
export const viewers = {
  admin: SYSTEM_VIEWER,
  executive: Object.freeze({ keyId: null, name: 'test-executive', role: Role.EXECUTIVE, departmentId: null }) as Viewer,
  integration: Object.freeze({ keyId: null, name: 'test-integration', role: Role.INTEGRATION, departmentId: null }) as Viewer,
  manager: (departmentId: string): Viewer => Object.freeze({ keyId: null, name: 'test-manager', role: Role.MANAGER, departmentId }),
};

/** Creates a real API key (bypassing HTTP, as the system) and returns the key itself. */
export async function createApiKey(t: TestApp, opts: { role: Role; name?: string; departmentCode?: string }): Promise<string> {
  const name = opts.name ?? `test-${opts.role.toLowerCase()}-${Math.random().toString(36).slice(2, 10)}`;
  const { key } = await t.app.services.apiKeys.create(t.ctx(), { name, role: opts.role, departmentCode: opts.departmentCode ?? null });
  return key;
}

export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: GqlResult<T>;
}

export interface HttpClient {
  url: string;
  /** POSTs a GraphQL operation; `key` becomes `Authorization: Bearer <key>`, `authorization` is sent as is. */
  post<T = any>(query: string, variables?: Record<string, unknown>, auth?: { key?: string; authorization?: string }): Promise<HttpResult<T>>;
}

/** Serves the test app over HTTP on 127.0.0.1 (a free port); t.close() stops it. */
export async function listenHttp(t: TestApp): Promise<HttpClient> {
  const port = await t.app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}/graphql`;
  return {
    url,
    async post(query, variables, auth = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const authorization = auth.authorization ?? (auth.key !== undefined ? `Bearer ${auth.key}` : undefined);
      if (authorization !== undefined) headers.authorization = authorization;
      const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      return { status: res.status, headers: res.headers, body: (await res.json()) as GqlResult };
    },
  };
}
