import { Client } from 'pg';
import { createApiKey, createTestApp, TestApp } from './support/test-app';
import { Role } from '../src/modules/auth/viewer';
import { CACHE_HEADER } from '../src/common/report-cache/plugin';
import { rebuildRollups } from '../src/modules/reporting/facts/rollup-rebuild';

/**
 * The report cache over HTTP, with real keys: a repeated report is answered from the cache until
 * any committed write (through the API, plain SQL in this process, or another connection) could
 * change it; per key; never for errors, mutations or operational lists; Cache-Control: no-cache
 * computes afresh; identical concurrent requests compute once.
 */
let t: TestApp;
let base: string;
let admin: string;
let executive: string;

beforeAll(async () => {
  t = await createTestApp({ REPORT_CACHE_TTL_MS: '60000' });
  const port = await t.app.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${port}`;
  admin = await createApiKey(t, { role: Role.ADMIN });
  executive = await createApiKey(t, { role: Role.EXECUTIVE });
  await t.ok(`mutation { upsertDepartment(input: { code: "CO", name: "Company" }) { id } }`);
  await t.ok(`mutation { upsertSurvey(input: { code: "TX", name: "Support call", kind: TRANSACTIONAL }) { id } }`);
  await submit(admin, [row('r-1', 10), row('r-2', 3)]);
});
afterAll(() => t.close());

const row = (ref: string, score: number) => ({ externalRef: ref, surveyCode: 'TX', departmentCode: 'CO', score, respondedAt: '2026-06-01T10:00:00.000Z' });

async function post(key: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] };
  return { status: res.status, cache: res.headers.get(CACHE_HEADER), body };
}

async function submit(key: string, rows: unknown[]) {
  const res = await post(key, `mutation($rows: [ResponseInput!]!) { submitResponses(responses: $rows) { accepted } }`, { rows });
  expect(res.body.errors).toBeUndefined();
  return res;
}

const SUMMARY = `query($f: ResponseFilter) { npsSummary(filter: $f) { responses promoters detractors nps } }`;
/** The figure from the rows themselves. */
const rawSummary = async () => {
  const [r] = await t.deps.ds.query(`SELECT count(*)::int AS responses, count(*) FILTER (WHERE score >= 9)::int AS promoters, count(*) FILTER (WHERE score <= 6)::int AS detractors FROM responses`);
  return r;
};

describe('report cache', () => {
  it('answers a repeated report from the cache, and says so', async () => {
    const first = await post(admin, SUMMARY, { f: { hasComment: false } });
    const again = await post(admin, SUMMARY, { f: { hasComment: false } });
    expect([first.cache, again.cache]).toEqual(['miss', 'hit']);
    expect(again.body).toEqual(first.body);
  });

  it('keeps answers per key and per variables', async () => {
    await post(admin, SUMMARY);
    expect((await post(admin, SUMMARY)).cache).toBe('hit');
    expect((await post(executive, SUMMARY)).cache).toBe('miss');
    expect((await post(admin, SUMMARY, { f: { minScore: 0 } })).cache).toBe('miss');
  });

  it('a write through the API retires the answers at once: the next one counts it', async () => {
    await post(admin, SUMMARY);
    expect((await post(admin, SUMMARY)).cache).toBe('hit');
    await submit(admin, [row('r-3', 9)]);
    const after = await post(admin, SUMMARY);
    expect(after.cache).toBe('miss');
    expect(after.body.data.npsSummary).toMatchObject(await rawSummary());
  });

  it('a write in plain SQL on the server\'s own connections retires them before it returns', async () => {
    await post(admin, SUMMARY);
    await t.deps.ds.query(`UPDATE responses SET score = 0 WHERE external_ref = 'r-3'`);
    const after = await post(admin, SUMMARY);
    expect(after.cache).toBe('miss');
    expect(after.body.data.npsSummary).toMatchObject(await rawSummary());
  });

  it('a rolled-back write changes nothing, so the answer stays', async () => {
    await post(admin, SUMMARY);
    await t.deps.ds.transaction(async (em) => {
      await em.query(`DELETE FROM responses WHERE external_ref = 'r-1'`);
      await em.query(`SELECT 1/0`).catch(() => {});
      throw new Error('roll back');
    }).catch(() => {});
    expect((await post(admin, SUMMARY)).cache).toBe('hit');
  });

  (t_pg() ? it : it.skip)('a commit on another connection (another instance, psql) retires them as soon as it is notified (PostgreSQL)', async () => {
    await post(admin, SUMMARY);
    const before = t.app.reportCache!['feed'].version();
    const other = new Client({ connectionString: t.db.url });
    await other.connect();
    try {
      await other.query(`UPDATE responses SET score = 10 WHERE external_ref = 'r-3'`);
    } finally {
      await other.end();
    }
    for (let i = 0; i < 200 && t.app.reportCache!['feed'].version() === before; i++) await new Promise((r) => setTimeout(r, 10));
    const after = await post(admin, SUMMARY);
    expect(after.cache).toBe('miss');
    expect(after.body.data.npsSummary).toMatchObject(await rawSummary());
  });

  it('a rollup repaired by the rebuild command retires the answers', async () => {
    await t.deps.ds.query(`UPDATE nps_rollup_hour SET promoters = promoters + 5 WHERE promoters > 0`);
    await t.deps.ds.query(`UPDATE nps_rollup_day SET promoters = promoters + 5 WHERE promoters > 0`);
    await post(admin, SUMMARY, {}, { 'cache-control': 'no-cache' });
    expect((await post(admin, SUMMARY)).cache).toBe('hit');
    expect((await rebuildRollups(t.deps.ds)).length).toBeGreaterThan(0);
    const after = await post(admin, SUMMARY);
    expect(after.cache).toBe('miss');
    expect(after.body.data.npsSummary).toMatchObject(await rawSummary());
  });

  it('every table either notifies data_changed or is known not to be shown by a cached report', async () => {
    // Written only by triggers on responses/action_items in the same statements, or never shown
    // by a cached field (keys, webhooks, the outbox). A new table must be added to one list.
    const notShown = new Set(['migrations', 'api_keys', 'outbox_events', 'webhook_endpoints', 'webhook_deliveries', 'webhook_delivery_attempts', 'customer_erasures',
      // Alerts are not a cached report (alerts, alertRules read afresh); the job slots are the workers'.
      'alert_rules', 'alerts', 'alert_events', 'alert_evaluations', 'scheduled_jobs',
      // Written in the transaction of the responses change it records (whose trigger notifies).
      'response_history']);
    const maintained = (name: string) => name.startsWith('nps_rollup_') || name.startsWith('cl_');
    const rows: { table: string; notifies: boolean }[] = await t.deps.ds.query(
      `SELECT c.relname AS table, EXISTS (SELECT 1 FROM pg_trigger tg JOIN pg_proc p ON p.oid = tg.tgfoid
                                         WHERE tg.tgrelid = c.oid AND p.proname = 'notify_data_changed') AS notifies
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`,
    );
    const silent = rows.filter((r) => !r.notifies && !notShown.has(r.table) && !maintained(r.table)).map((r) => r.table);
    expect(silent).toEqual([]);
  });

  it('Cache-Control: no-cache computes afresh', async () => {
    await post(admin, SUMMARY);
    expect((await post(admin, SUMMARY, {}, { 'cache-control': 'no-cache' })).cache).toBe('bypass');
    expect((await post(admin, SUMMARY)).cache).toBe('hit');
  });

  it('never keeps errors, mutations or operational lists', async () => {
    const bad = `query { npsTrend(interval: WEEK, timeZone: "Mars/Olympus") { periodStart } }`;
    const e1 = await post(admin, bad);
    const e2 = await post(admin, bad);
    expect(e1.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect([e1.cache, e2.cache]).toEqual(['miss', 'miss']);
    const list = `query { responses(first: 1) { totalCount } }`;
    await post(admin, list);
    expect((await post(admin, list)).cache).toBeNull();
    const mixed = `query { npsSummary { nps } viewer { name } }`;
    await post(admin, mixed);
    expect((await post(admin, mixed)).cache).toBeNull();
    const m = await submit(admin, []);
    expect(m.cache).toBeNull();
  });

  it('identical concurrent requests compute once', async () => {
    const q = `query { departmentScores { department { code } score { responses nps } } }`;
    await submit(admin, [row('r-4', 8)]); // a fresh version: nothing kept for q
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(admin, q)));
    expect(answers.filter((a) => a.cache === 'miss')).toHaveLength(1);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
  });
});

function t_pg() {
  return !!process.env.TEST_DATABASE_URL;
}
