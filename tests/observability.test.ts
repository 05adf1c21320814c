import { randomUUID } from 'node:crypto';
import { loadConfig } from '../src/common/config';
import { createLogger } from '../src/common/logging';
import { createApp, App } from '../src/server';
import { DeliveryQueue } from '../src/modules/webhooks/delivery-queue';
import { Role } from '../src/modules/auth/viewer';
import { createTestApp, GqlResult, TestApp } from './support/test-app';

/**
 * Metrics, request ids and /readyz over real HTTP: apps built on one test database, with the
 * machine's Redis (127.0.0.1:6379) for the rate limits where a test says so.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const TOKEN = `metrics-${randomUUID()}`;

let t: TestApp;
const opened: App[] = [];

beforeAll(async () => {
  t = await createTestApp();
  const dept = `mutation($input: DepartmentInput!) { upsertDepartment(input: $input) { id } }`;
  await t.ok(dept, { input: { code: 'CO', name: 'Company' } });
  await t.ok(`mutation($input: SurveyInput!) { upsertSurvey(input: $input) { id } }`, { input: { code: 'TX', name: 'Support call', kind: 'TRANSACTIONAL' } });
});
afterAll(async () => {
  for (const a of opened) await a.stop();
  await t.close();
});

interface Served {
  app: App;
  base: string;
  logs: Record<string, any>[];
}

/** An app on the test database with this configuration, listening on a free port, logging into `logs`. */
async function serve(env: Record<string, string> = {}): Promise<Served> {
  const logs: Record<string, any>[] = [];
  const logger = createLogger('info', { write: (line: string) => void logs.push(JSON.parse(line)) });
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info', RATE_LIMIT_REDIS_PREFIX: `nps-test:obs:${randomUUID()}`, ...env });
  const app = await createApp({ ...t.deps, config, logger });
  opened.push(app);
  const port = await app.listen(0, '127.0.0.1');
  return { app, base: `http://127.0.0.1:${port}`, logs };
}

async function post(base: string, key: string | null, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
  const h: Record<string, string> = { 'content-type': 'application/json', ...headers };
  if (key) h.authorization = `Bearer ${key}`;
  const res = await fetch(`${base}/graphql`, { method: 'POST', headers: h, body: JSON.stringify({ query, variables }) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as GqlResult };
}

async function key(role: Role, rateLimit: number | null = null): Promise<string> {
  const name = `obs-${role.toLowerCase()}-${randomUUID().slice(0, 8)}`;
  return (await t.app.services.apiKeys.create(t.ctx(), { name, role, departmentCode: null, rateLimit })).key;
}

/** Parses Prometheus's text format: family name -> its samples (name with labels -> value). */
function parseMetrics(text: string): Map<string, Map<string, number>> {
  const families = new Map<string, Map<string, number>>();
  for (const line of text.split('\n')) {
    const type = line.match(/^# TYPE (\S+) (\S+)/);
    if (type) families.set(type[1], new Map());
    if (!line || line.startsWith('#')) continue;
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/);
    if (!m) throw new Error(`not a sample: ${line}`);
    const family = [...families.keys()].reverse().find((f) => m[1] === f || m[1].startsWith(`${f}_`));
    families.get(family!)!.set(`${m[1]}${m[2] ?? ''}`, Number(m[3]));
  }
  return families;
}

const SUBMIT = `mutation($rows: [ResponseInput!]!) { submitResponses(responses: $rows) { accepted duplicates rejected } }`;
const row = (ref: string, score = 9) => ({ externalRef: ref, surveyCode: 'TX', departmentCode: 'CO', score, respondedAt: '2026-06-01T10:00:00.000Z' });
const DASHBOARD = `{ npsSummary { nps responses } departmentScores { score { nps } } }`;

describe('metrics', () => {
  it('are off unless METRICS_PORT or METRICS_TOKEN is set: /metrics is not found', async () => {
    const s = await serve();
    expect(s.app.metrics).toBeNull();
    expect((await fetch(`${s.base}/metrics`)).status).toBe(404);
  });

  it('on the API port are refused without their bearer token, and every family has samples after real traffic', async () => {
    const s = await serve({ METRICS_TOKEN: TOKEN, REDIS_URL, RATE_LIMIT_ADMIN: '1000000' });
    for (const authorization of [undefined, 'Bearer wrong-token-wrong-token', TOKEN, `Basic ${TOKEN}`]) {
      const res = await fetch(`${s.base}/metrics`, { headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(401);
      expect(await res.text()).not.toMatch(/nps_/);
    }

    // Traffic: a dashboard query, ingest (accepted, duplicate, rejected), errors, a refusal, a webhook delivery pending.
    const admin = await key(Role.ADMIN);
    const tiny = await key(Role.ADMIN, 1);
    const ref = `obs-${randomUUID()}`;
    expect((await post(s.base, admin, DASHBOARD)).status).toBe(200);
    const ingest = await post(s.base, admin, SUBMIT, { rows: [row(ref, 2), row(ref, 2), row(`${ref}-bad`, 11)] });
    expect(ingest.body.data!.submitResponses).toEqual({ accepted: 1, duplicates: 1, rejected: 1 });
    expect((await post(s.base, null, DASHBOARD)).status).toBe(401);
    expect((await post(s.base, admin, `{ nosuchField }`)).status).toBe(400);
    await post(s.base, tiny, DASHBOARD); // may pass: the first request of a window spends from a whole budget
    expect((await post(s.base, tiny, DASHBOARD)).status).toBe(429);
    await t.ok(`mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }`, {
      input: { url: 'https://hooks.example.com/nps', eventTypes: ['response.stored'] },
    });
    await post(s.base, admin, SUBMIT, { rows: [row(`${ref}-2`)] });
    await new DeliveryQueue().fanOut(t.ctx(), new Date());

    const res = await fetch(`${s.base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const families = parseMetrics(await res.text());
    const ours = [...families.keys()].filter((f) => f.startsWith('nps_'));
    expect(ours.sort()).toEqual(
      [
        'nps_db_pool_connections',
        'nps_db_pool_max',
        'nps_db_pool_waiting',
        'nps_graphql_errors_total',
        'nps_graphql_request_duration_seconds',
        'nps_graphql_requests_total',
        'nps_ingest_rows_total',
        'nps_rate_limit_redis_fallbacks_total',
        'nps_rate_limit_refusals_total',
        'nps_redis_up',
        'nps_webhook_deliveries_pending',
        'nps_webhook_oldest_pending_age_seconds',
      ].sort(),
    );
    for (const family of ours) expect([family, families.get(family)!.size]).not.toEqual([family, 0]);

    const of = (family: string) => families.get(family)!;
    const requests = of('nps_graphql_requests_total');
    // Labels from the schema: one root field by its name, several as `multiple`, unknown ones as `other`.
    expect(requests.get('nps_graphql_requests_total{operation="multiple",outcome="success"}')).toBeGreaterThanOrEqual(1);
    expect(requests.get('nps_graphql_requests_total{operation="submitResponses",outcome="success"}')).toBe(2);
    expect(requests.get('nps_graphql_requests_total{operation="other",outcome="error"}')).toBeGreaterThanOrEqual(2); // no key, unknown field
    expect([...requests.keys()].some((k) => k.includes('nosuchField'))).toBe(false);
    expect(of('nps_graphql_request_duration_seconds').get('nps_graphql_request_duration_seconds_count{operation="submitResponses"}')).toBe(2);
    const errors = of('nps_graphql_errors_total');
    expect(errors.get('nps_graphql_errors_total{code="UNAUTHENTICATED"}')).toBe(1);
    expect(errors.get('nps_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"}')).toBe(1);
    expect(errors.get('nps_graphql_errors_total{code="RATE_LIMITED"}')).toBe(1);
    const ingested = of('nps_ingest_rows_total');
    expect(ingested.get('nps_ingest_rows_total{status="ACCEPTED"}')).toBeGreaterThanOrEqual(2);
    expect(ingested.get('nps_ingest_rows_total{status="DUPLICATE"}')).toBeGreaterThanOrEqual(1);
    expect(ingested.get('nps_ingest_rows_total{status="REJECTED"}')).toBeGreaterThanOrEqual(1);
    expect(of('nps_rate_limit_refusals_total').get('nps_rate_limit_refusals_total')).toBeGreaterThanOrEqual(1);
    expect(of('nps_redis_up').get('nps_redis_up')).toBe(1);
    expect(of('nps_webhook_deliveries_pending').get('nps_webhook_deliveries_pending')).toBe(1);
    expect(of('nps_webhook_oldest_pending_age_seconds').get('nps_webhook_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(of('nps_db_pool_max').get('nps_db_pool_max{pool="main"}')).toBeGreaterThanOrEqual(1);
    expect(of('nps_db_pool_connections').has('nps_db_pool_connections{pool="main",state="in_use"}')).toBe(true);
    expect(of('nps_db_pool_waiting').get('nps_db_pool_waiting{pool="main"}')).toBe(0);
    expect(families.get('process_resident_memory_bytes')?.size).toBe(1);
  });

  it('with METRICS_PORT are served on their own port only, and behind the token there too when both are set', async () => {
    const s = await serve({ METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' });
    expect((await fetch(`${s.base}/metrics`)).status).toBe(404);
    const port = s.app.metricsPort();
    expect(port).toBeGreaterThan(0);
    const open = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(open.status).toBe(200);
    expect(await open.text()).toMatch(/^# HELP nps_graphql_requests_total/m);
    expect((await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST' })).status).toBe(404);

    const both = await serve({ METRICS_PORT: '0', METRICS_HOST: '127.0.0.1', METRICS_TOKEN: TOKEN });
    const url = `http://127.0.0.1:${both.app.metricsPort()}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await fetch(`${both.base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  });

  it('refuse a short token and a METRICS_PORT equal to PORT', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(() => loadConfig({ PORT: '4000', METRICS_PORT: '4000' })).toThrow(/METRICS_PORT/);
  });
});

describe('request ids', () => {
  it('are taken from x-request-id or made, answered as a header, in every log line of the request and in error answers', async () => {
    const s = await serve();
    const admin = await key(Role.ADMIN);
    const sent = `client-${randomUUID()}`;
    const ok = await post(s.base, admin, DASHBOARD, undefined, { 'x-request-id': sent });
    expect(ok.headers.get('x-request-id')).toBe(sent);

    const made = await post(s.base, admin, `{ npsTrend(interval: DAY, filter: { from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }) { score { nps } } }`);
    const madeId = made.headers.get('x-request-id')!;
    expect(madeId).toMatch(/^[0-9a-f-]{36}$/);
    expect(made.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', requestId: madeId });

    // An id that is not safe to log (spaces, quotes, too long) is replaced by a new one.
    const unsafe = await post(s.base, admin, DASHBOARD, undefined, { 'x-request-id': 'a "quoted" id' });
    expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    // Errors before the operation runs: a wrong key (context), a parse error, the body parser's.
    const wrongKey = await post(s.base, 'nps_wrong', DASHBOARD, undefined, { 'x-request-id': 'wrong-key-1' });
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.body.errors![0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', requestId: 'wrong-key-1' });
    const parse = await post(s.base, admin, `{ npsSummary {`, undefined, { 'x-request-id': 'parse-1' });
    expect(parse.body.errors![0].extensions).toMatchObject({ code: 'GRAPHQL_PARSE_FAILED', requestId: 'parse-1' });
    const badJson = await fetch(`${s.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'json-1' }, body: '{"query": ' });
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as GqlResult).errors![0].extensions).toMatchObject({ code: 'BAD_REQUEST', requestId: 'json-1' });

    // Every line logged during the first request carries its id, once.
    const lines = s.logs.filter((l) => l.requestId === sent);
    expect(lines.map((l) => l.msg)).toContain('graphql request');
    const raw = JSON.stringify(lines);
    expect(raw.match(new RegExp(sent, 'g'))!.length).toBe(lines.length);
    // No line logged while a request was being answered lacks an id.
    expect(s.logs.filter((l) => !l.requestId)).toEqual([]);
  });
});

describe('/readyz', () => {
  it('reports Redis where REDIS_URL is configured, and stays ready when it is down (rate limits fail open)', async () => {
    const plain = await serve();
    expect(await (await fetch(`${plain.base}/readyz`)).json()).toEqual({ status: 'ready', database: 'up' });
    const withRedis = await serve({ REDIS_URL });
    expect(await (await fetch(`${withRedis.base}/readyz`)).json()).toEqual({ status: 'ready', database: 'up', redis: 'up' });
    const down = await serve({ REDIS_URL: 'redis://127.0.0.1:1' });
    const res = await fetch(`${down.base}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', database: 'up', redis: 'down' });
  });
});
