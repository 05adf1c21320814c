import 'reflect-metadata';
import assert from 'node:assert';
import { loadConfig } from '../../src/common/config';
import { createLogger } from '../../src/common/logging';
import { createContext, AppDeps, RequestContext } from '../../src/context';
import { createApp, App } from '../../src/server';
import { SYSTEM_VIEWER, Viewer } from '../../src/modules/auth/viewer';
import { openTestDatabase, TestDatabase } from './test-db';

export interface GqlResult<T = any> {
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

export interface TestApp {
  db: TestDatabase;
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
  const deps: AppDeps = { ds: db.dataSource, config, logger: createLogger(config.logLevel) };
  const app = await createApp(deps);
  const ctx = (viewer: Viewer = SYSTEM_VIEWER, now?: () => Date) => createContext(app.services, viewer, { now });
  const exec = async (query: string, variables?: Record<string, unknown>, opts: { viewer?: Viewer; now?: () => Date } = {}) => {
    const res = await app.apollo.executeOperation({ query, variables }, { contextValue: ctx(opts.viewer, opts.now) });
    assert(res.body.kind === 'single');
    return res.body.singleResult as GqlResult;
  };
  return {
    db,
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
      await db.close();
    },
  };
}

/** The extensions.code of each error, for compact assertions. */
export const codes = (res: GqlResult) => (res.errors ?? []).map((e) => e.extensions?.code);
