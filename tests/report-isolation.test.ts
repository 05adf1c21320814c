import { Client } from 'pg';
import { createEmbeddedReportRunner, createPoolReportRunner, ReportRunner } from '../src/db/report-runner';
import { Role } from '../src/modules/auth/viewer';
import { createApiKey, createTestApp, HttpClient, listenHttp, TestApp } from './support/test-app';

/**
 * Load isolation of reports: reporting aggregates run on deps.reports (a pool of their own with a
 * statement timeout on PostgreSQL; SET LOCAL limits on PGlite's one connection). Runs on PGlite and,
 * with TEST_DATABASE_URL, on PostgreSQL.
 */
const onPostgres = !!process.env.TEST_DATABASE_URL;

// hasComment is answered from the raw rows only (no rollup or counter holds it): a real scan of every response.
const CLOSED_LOOP = '{ closedLoop(filter: { hasComment: false }) { detractors followedUp actionItems } }';

/** Responses enough that the closed-loop aggregate takes well over a few milliseconds. */
async function addManyResponses(t: TestApp, n: number): Promise<void> {
  const [survey] = await t.db.dataSource.query(`INSERT INTO surveys (code, name, kind) VALUES ('LOAD', 'Load', 'TRANSACTIONAL') RETURNING id`);
  await t.db.dataSource.query(
    `INSERT INTO responses (external_ref, score, survey_id, responded_at)
     SELECT 'load-' || g, g % 11, $1, timestamptz '2026-01-01T00:00:00Z' + g * interval '1 minute' FROM generate_series(1, $2::int) g`,
    [survey.id, n],
  );
}

const settingOf = async (q: { query(sql: string): Promise<any> }, name: string): Promise<string> => (await q.query(`SHOW ${name}`))[0][name];

describe('reports past REPORT_STATEMENT_TIMEOUT_MS', () => {
  let t: TestApp;
  let http: HttpClient;
  let key: string;

  beforeAll(async () => {
    t = await createTestApp({ REPORT_STATEMENT_TIMEOUT_MS: '5' });
    http = await listenHttp(t);
    key = await createApiKey(t, { role: Role.ADMIN });
    await addManyResponses(t, 200_000);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('answer REPORT_TIMEOUT with HTTP 503 and Retry-After, without SQL or a stack trace', async () => {
    const res = await http.post(CLOSED_LOOP, undefined, { key });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(res.body.errors).toHaveLength(1);
    const [err] = res.body.errors!;
    expect(err.extensions).toEqual({ code: 'REPORT_TIMEOUT', timeoutMs: 5, requestId: res.headers.get('x-request-id') });
    // The statement itself ran past the deadline (not the wait for a connection).
    expect(err.message).toMatch(/took longer than 5 ms/);
    expect(JSON.stringify(res.body)).not.toMatch(/SELECT|responses r|stacktrace|canceling statement/i);
  });

  it('keep other fields of the same response and other requests working', async () => {
    const res = await http.post('{ viewer { name } }', undefined, { key });
    expect(res.status).toBe(200);
    expect(res.body.data.viewer.name).toMatch(/^test-admin/);
    const mixed = await http.post(`{ viewer { name } ${CLOSED_LOOP.slice(1, -1)} }`, undefined, { key });
    // Only a REPORT_TIMEOUT error: still 503 (closedLoop is non-null, so data is null here).
    expect(mixed.status).toBe(503);
    expect(mixed.body.errors!.map((e) => e.extensions?.code)).toEqual(['REPORT_TIMEOUT']);
  });

  it('do not leave the report limits on the main connection(s)', async () => {
    await http.post(CLOSED_LOOP, undefined, { key });
    expect(await settingOf(t.db.dataSource, 'statement_timeout')).toBe('0');
    // The same report on a runner with a generous deadline answers.
    const generous: ReportRunner = t.db.url
      ? createPoolReportRunner({ url: t.db.url, max: 1, timeoutMs: 60_000 })
      : createEmbeddedReportRunner(t.db.dataSource, { timeoutMs: 60_000 });
    const saved = t.deps.reports;
    try {
      t.deps.reports = generous;
      const ok = await http.post(CLOSED_LOOP, undefined, { key });
      expect(ok.status).toBe(200);
      expect(ok.body.data.closedLoop.detractors).toBeGreaterThan(100_000);
      // Inside the pool the limits hold; outside it they do not. PGlite enforces no statement_timeout,
      // so its runner sets nothing on the shared connection (the deadline is checked on the result).
      expect(await settingOf(generous, 'statement_timeout')).toBe(t.db.url ? '1min' : '0');
      if (t.db.url) expect(await settingOf(generous, 'jit')).toBe('off');
      if (t.db.url) expect(await settingOf(generous, 'max_parallel_workers_per_gather')).toBe('0');
      expect(await settingOf(t.db.dataSource, 'statement_timeout')).toBe('0');
      const slowButUnlimited = await t.db.dataSource.query('SELECT count(*)::int AS n FROM responses r WHERE r.score < 7');
      expect(slowButUnlimited[0].n).toBeGreaterThan(100_000);
    } finally {
      t.deps.reports = saved;
      await generous.close();
    }
  });
});

/** Starts `n` long statements on `q`; `finished()` counts those that have ended. */
function flood(q: { query(sql: string): Promise<any> }, n: number, seconds: number) {
  let done = 0;
  const all = Promise.all(Array.from({ length: n }, () => q.query(`SELECT pg_sleep(${seconds})`).finally(() => done++)));
  return { all, finished: () => done };
}

/**
 * Waits until `n` sessions of the database run pg_sleep (the flood holds its connections); asks on
 * a connection of its own, since the flood may hold every pooled one.
 */
async function untilSleeping(t: TestApp, n: number, appName?: string): Promise<void> {
  const client = new Client({ connectionString: t.db.url });
  await client.connect();
  try {
    await pollSleeping(client, n, appName);
  } finally {
    await client.end();
  }
}

async function pollSleeping(client: Client, n: number, appName?: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const {
      rows: [{ k }],
    } = await client.query(
      `SELECT count(*)::int AS k FROM pg_stat_activity
       WHERE datname = current_database() AND state = 'active' AND query LIKE 'SELECT pg_sleep%' AND ($1::text IS NULL OR application_name = $1)`,
      [appName ?? null],
    );
    if (k >= n) return;
    if (Date.now() > deadline) throw new Error(`only ${k} of ${n} sleeping sessions`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a flood of reports (PostgreSQL; skipped on PGlite: one embedded connection, nothing to isolate)', () => {
  let t: TestApp;
  let http: HttpClient;
  let key: string;

  beforeAll(async () => {
    if (!onPostgres) return;
    t = await createTestApp({ REPORTING_POOL_MAX: '2', REPORT_STATEMENT_TIMEOUT_MS: '20000' });
    http = await listenHttp(t);
    key = await createApiKey(t, { role: Role.ADMIN });
  });
  afterAll(async () => {
    await t?.close();
  });

  (onPostgres ? it : it.skip)('leaves authentication, small reads and writes answering while every reporting connection is busy', async () => {
    const sleeps = flood(t.reports, 2, 4);
    await untilSleeping(t, 2, 'nps-api-reports');
    // Real reports queue behind them for a reporting connection.
    let reportsDone = 0;
    const queued = Promise.all([1, 2, 3].map(() => http.post(CLOSED_LOOP, undefined, { key }).finally(() => reportsDone++)));

    const started = Date.now();
    const viewer = await http.post('{ viewer { name } }', undefined, { key });
    const viewerMs = Date.now() - started;
    const write = await http.post('mutation($i: DepartmentInput!) { upsertDepartment(input: $i) { code } }', { i: { code: 'FLOOD', name: 'During the flood' } }, { key });
    const bothMs = Date.now() - started;
    // Both answered while every report was still running or waiting.
    expect(sleeps.finished()).toBe(0);
    expect(reportsDone).toBe(0);
    expect(viewer.status).toBe(200);
    expect(viewer.body.data.viewer.name).toMatch(/^test-admin/);
    expect(write.status).toBe(200);
    expect(write.body.data.upsertDepartment.code).toBe('FLOOD');
    process.stdout.write(`flood: viewer ${viewerMs} ms, viewer + write ${bothMs} ms while the reporting pool was saturated\n`);

    await sleeps.all;
    // The queued reports then answer normally (they waited less than the 20 s limit).
    for (const r of await queued) {
      expect(r.status).toBe(200);
      expect(r.body.data.closedLoop).toEqual({ detractors: 0, followedUp: 0, actionItems: 0 });
    }
  }, 60_000);

  (onPostgres ? it : it.skip)('control: the same flood on the main pool (no reporting runner) starves a write', async () => {
    const mainPool = 5; // openTestDatabase's pool size
    const sleeps = flood(t.db.dataSource, mainPool, 3);
    await untilSleeping(t, mainPool);
    const write = await http.post('mutation($i: DepartmentInput!) { upsertDepartment(input: $i) { code } }', { i: { code: 'STARVED', name: 'Waited' } }, { key });
    // It could only run once a flooding statement gave its connection back.
    expect(sleeps.finished()).toBeGreaterThan(0);
    expect(write.status).toBe(200);
    await sleeps.all;
  }, 60_000);
});
