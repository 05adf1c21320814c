import http from 'node:http';
import type { Client } from 'pg';
import type { BenchIds, BenchQuery } from './queries';

export interface GqlAnswer {
  ms: number;
  statements: number | null;
  plans: string[];
}

/** Keep-alive connections: the clients share the machine with the server, so they should cost little. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** Asks for a fresh computation: the server's report cache neither answers nor is consulted. */
export const FRESH = { 'cache-control': 'no-cache' } as const;

function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** One GraphQL request over HTTP; throws on a transport or GraphQL error. */
export async function gql(url: string, key: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<GqlAnswer> {
  const t0 = performance.now();
  const res = await post(url, { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers }, JSON.stringify({ query, variables }));
  const body = JSON.parse(res.text) as { errors?: { message: string }[]; extensions?: { queryStats?: { statements: number; plans: string[] } } };
  const ms = performance.now() - t0;
  if (res.status !== 200 || body.errors?.length) throw new Error(`HTTP ${res.status}: ${body.errors?.map((e) => e.message).join('; ') ?? 'no body'}`);
  const stats = body.extensions?.queryStats;
  return { ms, statements: stats?.statements ?? null, plans: stats?.plans ?? [] };
}

/**
 * Waits until no re-tagging of the themes runs (a database loaded before themes existed is re-tagged
 * by the server's worker once it starts: 10M responses take a while), so that no query is timed
 * beside it. Returns the seconds waited.
 */
export async function waitForTagging(url: string, key: string, log: (line: string) => void): Promise<number> {
  const t0 = performance.now();
  let last = '';
  for (;;) {
    const res = await post(url, { 'content-type': 'application/json', authorization: `Bearer ${key}` }, JSON.stringify({ query: '{ themeTagging { status processed total } }' }));
    const job = (JSON.parse(res.text) as { data?: { themeTagging: { status: string; processed: number; total: number | null } | null } }).data?.themeTagging;
    if (!job || (job.status !== 'PENDING' && job.status !== 'RUNNING')) return (performance.now() - t0) / 1000;
    const line = `  re-tagging the stored responses: ${job.status} ${job.processed.toLocaleString('en-US')} / ${job.total?.toLocaleString('en-US') ?? '?'}`;
    if (line !== last) log(line);
    last = line;
    await new Promise((r) => setTimeout(r, 5_000));
  }
}

export const quantile = (sorted: readonly number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] : NaN);

export interface QueryResult {
  name: string;
  plan: string;
  runs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  rawSqlMs: number;
  /** raw / api p50: above 1 means the API answers faster than the hand-written SQL on raw rows. */
  ratio: number;
  statements: number | null;
  error?: string;
}

/**
 * Warm-up (at most a quarter of the budget), then timed runs until `runs` are done or the time
 * budget is spent (at least one).
 * Statements and plans come from the last run's extensions.queryStats. Every run asks for a fresh
 * computation (FRESH): this times the planner and the database, not the report cache.
 */
export async function timeQuery(url: string, key: string, q: BenchQuery, ids: BenchIds, o: { runs: number; warmup: number; budgetMs: number }) {
  const variables = q.variables(ids);
  let last: GqlAnswer | undefined;
  // Warm-up gets at most a quarter of the budget on top of it.
  const warmDeadline = performance.now() + o.budgetMs / 4;
  for (let i = 0; i < o.warmup && (i === 0 || performance.now() < warmDeadline); i++) last = await gql(url, key, q.query, variables, FRESH);
  const times: number[] = [];
  const deadline = performance.now() + o.budgetMs;
  while (times.length < o.runs && (times.length === 0 || performance.now() < deadline)) {
    last = await gql(url, key, q.query, variables, FRESH);
    times.push(last.ms);
  }
  times.sort((a, b) => a - b);
  const plans = [...new Set(last?.plans ?? [])];
  return { runs: times.length, p50: quantile(times, 0.5), p95: quantile(times, 0.95), p99: quantile(times, 0.99), statements: last?.statements ?? null, plan: plans.length ? plans.join('+') : '-' };
}

/** The hand-written SQL: 2 warm-ups, then the median of `runs` (all statements of one baseline together). */
export async function timeRaw(c: Client, q: BenchQuery, ids: BenchIds, runs: number): Promise<number> {
  const statements = q.raw(ids);
  const once = async () => {
    const t0 = performance.now();
    for (const s of statements) await c.query(s.text, s.values ?? []);
    return performance.now() - t0;
  };
  for (let i = 0; i < 2; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  times.sort((a, b) => a - b);
  return quantile(times, 0.5);
}

/**
 * `clients` concurrent clients loop over the dashboard queries for `durationMs`, while one more
 * client loops the trivial query and records its latencies. Bounded by time (and each loop stops
 * at the deadline); every request goes to the loopback server.
 */
export async function throughput(url: string, key: string, dashboard: readonly { query: string; variables: Record<string, unknown> }[], trivial: string, clients: number, durationMs: number, headers: Record<string, string> = {}) {
  const deadline = performance.now() + durationMs;
  let answers = 0;
  let errors = 0;
  const trivialTimes: number[] = [];
  const worker = async (offset: number) => {
    for (let i = offset; performance.now() < deadline; i++) {
      const op = dashboard[i % dashboard.length];
      try {
        await gql(url, key, op.query, op.variables, headers);
        if (performance.now() <= deadline) answers++;
      } catch {
        errors++;
      }
    }
  };
  const prober = async () => {
    while (performance.now() < deadline) {
      try {
        trivialTimes.push((await gql(url, key, trivial)).ms);
      } catch {
        errors++;
      }
    }
  };
  const t0 = performance.now();
  await Promise.all([...Array.from({ length: clients }, (_, i) => worker(i)), prober()]);
  const seconds = (Math.min(performance.now(), deadline) - t0) / 1000;
  trivialTimes.sort((a, b) => a - b);
  return { dashboardRps: answers / seconds, answers, errors, trivialP50Ms: quantile(trivialTimes, 0.5), trivialP99Ms: quantile(trivialTimes, 0.99), trivialRuns: trivialTimes.length };
}

const CHANNELS = ['email', 'sms', 'phone', 'web', 'in-app'];
/** Surveys with the department that answers for them (support answers by region). */
const SURVEY_TEAMS: [string, string, string | null][] = [
  ['TX-SUPPORT-CALL', 'CX-SUP-EMEA', 'support_call'],
  ['TX-SUPPORT-CALL', 'CX-SUP-AMER', 'support_call'],
  ['TX-SUPPORT-CALL', 'CX-SUP-APAC', 'support_call'],
  ['TX-DELIVERY', 'OPS-DEL', 'delivery'],
  ['TX-BILLING', 'OPS-BILL', 'billing_inquiry'],
  ['TX-APP', 'PRD-APP', 'in_app'],
];
const COMMENTS = ['Quick and friendly, thank you.', 'Took too long to get an answer.', 'The delivery was late again.', null, null, 'Great product, a bit pricey.'];

/** 1,000 new responses per batch with unique references, over the last 30 days, for existing customers. */
function batch(run: string, client: number, n: number, customers: number): unknown[] {
  const now = Date.now();
  return Array.from({ length: 1000 }, (_, i) => {
    const k = n * 1000 + i;
    const [surveyCode, departmentCode, touchpoint] = SURVEY_TEAMS[(k + client) % SURVEY_TEAMS.length];
    return {
      externalRef: `BENCH-${run}-${client}-${n}-${i}`,
      surveyCode,
      score: [10, 9, 9, 8, 10, 7, 6, 9, 3, 10, 8][(k * 7 + client) % 11],
      respondedAt: new Date(now - 60_000 - ((k * 7919) % (30 * 86_400)) * 1000).toISOString(),
      comment: COMMENTS[k % COMMENTS.length],
      channel: CHANNELS[k % CHANNELS.length],
      touchpoint,
      departmentCode,
      customer: { externalRef: `CUST-${10001 + ((k * 31 + client) % customers)}` },
    };
  });
}

const SUBMIT = `mutation($rows: [ResponseInput!]!) { submitResponses(responses: $rows) { accepted duplicates rejected } }`;

/** 2 (or `clients`) clients submit `batches` batches of 1,000 rows each, in parallel: rows/s. */
export async function ingest(url: string, key: string, clients: number, batches: number, customers: number) {
  const run = `${Date.now().toString(36)}`;
  let accepted = 0;
  let rejected = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let n = 0; n < batches; n++) {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ query: SUBMIT, variables: { rows: batch(run, c, n, customers) } }),
        });
        const body = (await res.json()) as { data?: { submitResponses: { accepted: number; rejected: number } }; errors?: { message: string }[] };
        if (!body.data) throw new Error(`submitResponses failed: ${body.errors?.map((e) => e.message).join('; ')}`);
        accepted += body.data.submitResponses.accepted;
        rejected += body.data.submitResponses.rejected;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { rowsPerSecond: accepted / seconds, accepted, rejected, seconds };
}
