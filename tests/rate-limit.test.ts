import { randomUUID } from 'node:crypto';
import net from 'node:net';
import pino from 'pino';
import { parse, OperationDefinitionNode } from 'graphql';
import { loadConfig } from '../src/common/config';
import { operationCost } from '../src/common/rate-limit/charge';
import { rateLimitStats } from '../src/common/rate-limit/stats';
import { buildAppSchema } from '../src/schema';
import { createApp, App } from '../src/server';
import { Role } from '../src/modules/auth/viewer';
import { createTestApp, GqlResult, TestApp } from './support/test-app';

/**
 * Rate limits over real HTTP: apps built on one test database with the budgets each test needs,
 * in memory or through the machine's Redis (127.0.0.1:6379; a key prefix of this run's own, so
 * parallel runs never share a budget).
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `nps-test:rate-limit:${process.pid}:${randomUUID()}`;

let t: TestApp;
const opened: App[] = [];

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  for (const a of opened) await a.stop();
  await t.close();
});

interface Served {
  app: App;
  url: string;
  logs: { level: number; msg: string }[];
}

/** An app on the test database with this configuration, listening on a free port. */
async function serve(env: Record<string, string> = {}): Promise<Served> {
  const logs: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', RATE_LIMIT_REDIS_PREFIX: PREFIX, ...env });
  const app = await createApp({ ...t.deps, config, logger });
  opened.push(app);
  const port = await app.listen(0, '127.0.0.1');
  return { app, url: `http://127.0.0.1:${port}/graphql`, logs };
}

interface Answer {
  status: number;
  headers: Headers;
  body: GqlResult;
}

async function post(url: string, key: string | null, query: string, variables?: Record<string, unknown>): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as GqlResult };
}

/** The id of each key created here. */
const idOf = new Map<string, string>();

async function key(role: Role, rateLimit: number | null = null): Promise<string> {
  const name = `rl-${role.toLowerCase()}-${randomUUID().slice(0, 8)}`;
  const departmentCode = role === Role.MANAGER ? await someDepartmentCode() : null;
  const created = await t.app.services.apiKeys.create(t.ctx(), { name, role, departmentCode, rateLimit });
  idOf.set(created.key, created.apiKey.id);
  return created.key;
}

async function someDepartmentCode(): Promise<string> {
  const [d] = await t.deps.ds.query('SELECT code FROM departments ORDER BY code LIMIT 1');
  if (d) return d.code;
  await t.ok(`mutation { upsertDepartment(input: { code: "RL-DEPT", name: "Rate limits" }) { id } }`);
  return 'RL-DEPT';
}

const remaining = (a: Answer) => Number(a.headers.get('ratelimit-remaining'));

/** The points a query spends: the cost graphql-armor's limit computes, rounded up. */
async function pointsOf(query: string): Promise<number> {
  const document = parse(query);
  return Math.ceil(operationCost(await buildAppSchema(), document, document.definitions[0] as OperationDefinitionNode));
}

const CHEAP = '{ viewer { name } }';
const DEAR = `{ npsSummary { responses promoters passives detractors nps adjustedNps marginOfError confidenceLow confidenceHigh lowSample band }
  departments { code name owner { name title } parent { code } } }`;

describe('rate limits', () => {
  it('answers every request with an API key with RateLimit-* headers: the budget of its role, what is left, when it is whole again', async () => {
    const s = await serve();
    const k = await key(Role.EXECUTIVE);
    const a = await post(s.url, k, CHEAP);
    expect(a.status).toBe(200);
    expect(a.body.errors).toBeUndefined();
    expect(a.headers.get('ratelimit-limit')).toBe('60000');
    expect(remaining(a)).toBe(60_000 - (await pointsOf(CHEAP)));
    const reset = Number(a.headers.get('ratelimit-reset'));
    expect(reset).toBeGreaterThan(0);
    expect(reset).toBeLessThanOrEqual(60);
    expect(a.headers.get('ratelimit-policy')).toBe('60000;w=60');
    expect(a.headers.get('retry-after')).toBeNull();

    // An answer with errors too (here an invalid query: one point), and the role's own default.
    const invalid = await post(s.url, k, '{ noSuchField }');
    expect(invalid.status).toBe(400);
    expect(remaining(invalid)).toBe(remaining(a) - 1);
    const manager = await post(s.url, await key(Role.MANAGER), CHEAP);
    expect(manager.headers.get('ratelimit-limit')).toBe('30000');
    const integration = await post(s.url, await key(Role.INTEGRATION), CHEAP);
    expect(integration.headers.get('ratelimit-limit')).toBe('120000');

    // No key: refused before any budget is known, without the headers.
    const anonymous = await post(s.url, null, CHEAP);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('ratelimit-limit')).toBeNull();
  });

  it('spends more on a costlier query: its cost, as the cost limit computes it', async () => {
    const s = await serve();
    const k = await key(Role.ADMIN);
    const first = await post(s.url, k, CHEAP);
    const cheap = 60_000 - remaining(first);
    const dear = await post(s.url, k, DEAR);
    expect(dear.body.errors).toBeUndefined();
    const dearSpent = remaining(first) - remaining(dear);
    expect(cheap).toBe(await pointsOf(CHEAP));
    expect(dearSpent).toBe(await pointsOf(DEAR));
    expect(dearSpent).toBeGreaterThan(5 * cheap);
  });

  it('spends one point more per row on a larger ingest batch', async () => {
    const s = await serve();
    const k = await key(Role.INTEGRATION);
    const SUBMIT = 'mutation($rows: [ResponseInput!]!) { submitResponses(responses: $rows) { accepted rejected } }';
    const rows = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ externalRef: `rl-${randomUUID()}-${i}`, surveyCode: 'NO-SUCH-SURVEY', score: 9, respondedAt: '2026-06-01T10:00:00Z' }));
    const start = remaining(await post(s.url, k, CHEAP));
    const one = await post(s.url, k, SUBMIT, { rows: rows(1) });
    expect(one.body.errors).toBeUndefined();
    const fifty = await post(s.url, k, SUBMIT, { rows: rows(50) });
    expect(fifty.body.data.submitResponses.rejected).toBe(50); // rows count whether stored or not
    const spentOne = start - remaining(one);
    const spentFifty = remaining(one) - remaining(fifty);
    expect(spentOne).toBe((await pointsOf(SUBMIT)) + 1);
    expect(spentFifty - spentOne).toBe(49);
  });

  it('refuses a key over its budget with HTTP 429, RATE_LIMITED, Retry-After and the headers; other keys go on', async () => {
    const s = await serve({ RATE_LIMIT_EXECUTIVE: '100' });
    const k = await key(Role.EXECUTIVE);
    const dear = await pointsOf(DEAR);
    expect(dear).toBeGreaterThan(34); // three of them do not fit in 100
    const refusedBefore = rateLimitStats().refused;
    const a1 = await post(s.url, k, DEAR);
    const a2 = await post(s.url, k, DEAR);
    expect([a1.status, a2.status]).toEqual([200, 200]);
    const left = 100 - 2 * dear;
    expect(remaining(a2)).toBe(Math.max(0, left));

    const refused = await post(s.url, k, DEAR);
    expect(refused.status).toBe(429);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors).toHaveLength(1);
    const [err] = refused.body.errors!;
    expect(err.extensions).toMatchObject({ code: 'RATE_LIMITED', cost: dear, limit: 100, remaining: Math.max(0, left), windowSeconds: 60 });
    expect(err.message).toMatch(/Rate limit exceeded/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(err.extensions!.retryAfterSeconds).toBe(retryAfter);
    expect(refused.headers.get('ratelimit-limit')).toBe('100');
    expect(remaining(refused)).toBe(Math.max(0, left));
    expect(Number(refused.headers.get('ratelimit-reset'))).toBe(retryAfter);
    expect(rateLimitStats().refused).toBe(refusedBefore + 1);

    // The refusal spent nothing: a query that fits in what is left still runs.
    if (left >= (await pointsOf(CHEAP))) expect((await post(s.url, k, CHEAP)).status).toBe(200);
    // Another key of the same role has its own budget.
    expect((await post(s.url, await key(Role.EXECUTIVE), DEAR)).status).toBe(200);
  });

  it("honours a key's own budget, set at creation or later, and null gives back the role's", async () => {
    const s = await serve();
    const cheap = await pointsOf(CHEAP);
    const k = await key(Role.EXECUTIVE, 2 * cheap);
    const answers = [await post(s.url, k, CHEAP), await post(s.url, k, CHEAP), await post(s.url, k, CHEAP)];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
    expect(answers[0].headers.get('ratelimit-limit')).toBe(String(2 * cheap));

    // An admin gives it a larger one through the API; the next request has it.
    const admin = await key(Role.ADMIN);
    const id = idOf.get(k);
    const set = await post(s.url, admin, 'mutation($id: ID!, $n: Int) { setApiKeyRateLimit(id: $id, rateLimit: $n) { rateLimit } }', { id, n: 1_000_000 });
    expect(set.body.data.setApiKeyRateLimit.rateLimit).toBe(1_000_000);
    const after = await post(s.url, k, CHEAP);
    expect(after.status).toBe(200);
    expect(after.headers.get('ratelimit-limit')).toBe('1000000');
    const back = await post(s.url, admin, 'mutation($id: ID!) { setApiKeyRateLimit(id: $id, rateLimit: null) { rateLimit } }', { id });
    expect(back.body.data.setApiKeyRateLimit.rateLimit).toBeNull();
    expect((await post(s.url, k, CHEAP)).headers.get('ratelimit-limit')).toBe('60000');
    const bad = await post(s.url, admin, 'mutation($id: ID!) { setApiKeyRateLimit(id: $id, rateLimit: 0) { rateLimit } }', { id });
    expect(bad.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rateLimit' });
  });

  it('shares one budget between two instances through Redis (REDIS_URL)', async () => {
    const env = { REDIS_URL, RATE_LIMIT_EXECUTIVE: '1000' };
    const [one, two] = [await serve(env), await serve(env)];
    const fallbacks = rateLimitStats().redisFallbacks;
    const k = await key(Role.EXECUTIVE);
    const dear = await pointsOf(DEAR);
    const spent: number[] = [];
    let i = 0;
    for (;;) {
      const a = await post(i++ % 2 ? two.url : one.url, k, DEAR);
      if (a.status === 429) {
        expect(a.body.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
        break;
      }
      expect(a.status).toBe(200);
      spent.push(1000 - remaining(a));
      expect(i).toBeLessThan(100);
    }
    // Each answer, from either instance, counts what both spent: one budget, not one each.
    expect(spent).toEqual(spent.map((_, n) => (n + 1) * dear));
    expect(spent.length).toBe(Math.floor(1000 / dear));
    // Both refuse now, whichever is asked.
    expect((await post(one.url, k, DEAR)).status).toBe(429);
    expect((await post(two.url, k, DEAR)).status).toBe(429);
    expect(rateLimitStats().redisFallbacks).toBe(fallbacks);
    expect(rateLimitStats().redis).toBe('up');
  });

  it('serves requests when Redis does not answer (fail open), counting in memory, with one warning and every fallback counted', async () => {
    const port = await closedPort();
    const s = await serve({ REDIS_URL: `redis://127.0.0.1:${port}`, RATE_LIMIT_EXECUTIVE: '1000' });
    const k = await key(Role.EXECUTIVE);
    const before = rateLimitStats().redisFallbacks;
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await post(s.url, k, CHEAP));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.every((a) => a.body.errors === undefined)).toBe(true);
    // Counted in this instance's memory meanwhile: the headers still say what is left.
    expect(remaining(answers[4])).toBe(1000 - 5 * (await pointsOf(CHEAP)));
    expect(rateLimitStats().redisFallbacks).toBe(before + 5);
    expect(rateLimitStats().redis).toBe('down');
    const warnings = s.logs.filter((l) => l.level === 40 && /Redis for rate limits/.test(l.msg));
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(warnings.length).toBeLessThanOrEqual(2); // the connection's failure, not one per request
    // The budget still holds, per instance.
    const dear = await pointsOf(DEAR);
    let refused = false;
    for (let i = 0; i < 1000 / dear + 2 && !refused; i++) refused = (await post(s.url, k, DEAR)).status === 429;
    expect(refused).toBe(true);
  });

  it('goes on serving when Redis goes away mid-run, and shares again once it is back (reconnecting by itself)', async () => {
    const proxy = await redisProxy();
    const s = await serve({ REDIS_URL: `redis://127.0.0.1:${proxy.port}` });
    const k = await key(Role.EXECUTIVE);
    const fallbacks = () => rateLimitStats().redisFallbacks;
    const before = fallbacks();
    expect((await post(s.url, k, CHEAP)).status).toBe(200);
    expect(fallbacks()).toBe(before); // counted in Redis

    await proxy.stop(); // Redis goes away: connections cut, nothing listening
    await new Promise((r) => setTimeout(r, 100));
    const during = [await post(s.url, k, CHEAP), await post(s.url, k, CHEAP)];
    expect(during.map((a) => a.status)).toEqual([200, 200]);
    expect(fallbacks()).toBe(before + 2);
    expect(s.logs.some((l) => l.level === 40 && /Redis for rate limits/.test(l.msg))).toBe(true);

    await proxy.start(); // back: the client reconnects on its own (at most every 5 s)
    const deadline = Date.now() + 20_000;
    let shared = false;
    while (!shared && Date.now() < deadline) {
      const n = fallbacks();
      expect((await post(s.url, k, CHEAP)).status).toBe(200);
      shared = fallbacks() === n;
      if (!shared) await new Promise((r) => setTimeout(r, 250));
    }
    expect(shared).toBe(true);
    expect(s.logs.some((l) => l.level === 30 && /Redis for rate limits is back/.test(l.msg))).toBe(true);
    await s.app.stop();
    await proxy.stop();
  }, 60_000);

  it('is off with RATE_LIMIT_ENABLED=false: no headers, no refusals', async () => {
    const s = await serve({ RATE_LIMIT_ENABLED: 'false', RATE_LIMIT_EXECUTIVE: '1' });
    const a = await post(s.url, await key(Role.EXECUTIVE), DEAR);
    expect(a.status).toBe(200);
    expect(a.headers.get('ratelimit-limit')).toBeNull();
  });
});

/** A TCP proxy to the test Redis that can be stopped (connections cut) and started again on its port. */
async function redisProxy() {
  const target = new URL(REDIS_URL);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 6379), target.hostname);
    for (const sock of [client, upstream]) {
      sockets.add(sock);
      sock.on('close', () => sockets.delete(sock));
      sock.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  const port = await closedPort();
  const start = () => new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
  await start();
  return {
    port,
    start,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const sock of sockets) sock.destroy();
        if (!server.listening) return resolve();
        server.close(() => resolve());
      }),
  };
}

/** A 127.0.0.1 port nothing listens on (bound, then closed). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
