import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../src/common/config';
import { createLogger } from '../src/common/logging';
import { openDatabase } from '../src/db/database';
import { systemContext } from '../src/system-context';
import { transaction } from '../src/transaction';
import { insertApiKey } from '../src/modules/auth/api-key.service';
import { Role } from '../src/modules/auth/viewer';
import { seedDemo } from '../seeds';

/**
 * Ingest throughput over HTTP: `npm run build && node dist/bench/ingest.js`.
 *
 * Creates a fresh PostgreSQL database (INGEST_DATABASE_URL names the server, default
 * postgres://postgres@127.0.0.1:5432/postgres), loads the demo data with INGEST_PRELOAD responses
 * (default 100, the seeder's minimum), creates an INTEGRATION key, starts the real server
 * (dist/src/main.js) on it and pushes INGEST_ROWS rows (default 40,000) as INGEST_BATCH-row
 * (1,000) submitResponses calls from INGEST_CLIENTS (2) parallel clients. Prints rows/s, p50/p95
 * per call and the split of server time from the log lines. INGEST_CPU_PROF=dir starts the server
 * with --cpu-prof into dir. INGEST_KEEP=1 keeps the database.
 *
 * measureIngest() is the part another benchmark can call against a running server.
 */

export interface IngestOptions {
  url: string;
  key: string;
  rows: number;
  clients: number;
  batch: number;
  /** Codes the rows refer to; read from the server when left out. */
  refs?: RowRefs;
  /** Prefix of the rows' externalRefs (unique per run by default). */
  prefix?: string;
}
export interface IngestResult {
  rowsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  calls: number;
  accepted: number;
  seconds: number;
}
export interface RowRefs {
  surveys: string[];
  departments: string[];
  agents: string[];
  customers: string[];
}

const SUBMIT = `mutation SubmitResponses($rows: [ResponseInput!]!) {
  submitResponses(responses: $rows) {
    accepted duplicates rejected
    results { index status response { id externalRef } error { code field message } }
  }
}`;

const REFS = `{ surveys { code } departments { code } }`;

const COMMENTS = {
  detractor: ['Forty minutes on hold and the issue is still open.', 'The invoice was wrong twice.', 'Delivery came a week late and nobody told us.'],
  passive: ['Fine, nothing special.', 'Does the job, setup was slow.', 'OK once it works.'],
  promoter: ['Solved on the first call, thank you.', 'Great onboarding, the team knew our setup.', 'Fast and friendly.'],
};
const REGIONS = ['North America', 'EMEA', 'APAC', 'LATAM'];
const PLANS = ['Starter', 'Growth', 'Business', 'Enterprise'];
const CHANNELS = ['email', 'in-app', 'sms', 'web', 'phone'];
const TOUCHPOINTS = ['support_call', 'delivery', 'onboarding', 'renewal'];

/** Deterministic PRNG (mulberry32) so two runs send the same rows. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Realistic rows: ~30% detractors, comments, follow-up answers, customers with attributes (half known, half new). */
export function buildRows(refs: RowRefs, count: number, prefix: string, start = 0): Record<string, unknown>[] {
  const r = rng(start + 1);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const now = Date.now();
  return Array.from({ length: count }, (_, k) => {
    const i = start + k;
    const x = r();
    const score = x < 0.3 ? Math.floor(r() * 7) : x < 0.55 ? 7 + Math.floor(r() * 2) : 9 + Math.floor(r() * 2);
    const kind = score <= 6 ? 'detractor' : score <= 8 ? 'passive' : 'promoter';
    const known = refs.customers.length && r() < 0.5;
    return {
      externalRef: `${prefix}-${i}`,
      surveyCode: pick(refs.surveys),
      score,
      respondedAt: new Date(now - Math.floor(r() * 180 * 86_400_000)).toISOString(),
      comment: r() < 0.7 ? pick(COMMENTS[kind]) : null,
      channel: pick(CHANNELS),
      touchpoint: pick(TOUCHPOINTS),
      departmentCode: pick(refs.departments),
      ...(refs.agents.length && r() < 0.3 ? { agentEmail: pick(refs.agents) } : {}),
      ...(r() < 0.4 ? { followUpAnswers: [{ question: 'Why did you give that score?', answer: pick(COMMENTS[kind]) }] } : {}),
      customer: {
        // New customers answer up to three times, within one call (two concurrent calls creating the
        // same customer wait for each other: rare in practice, and not what this measures).
        externalRef: known ? pick(refs.customers) : `${prefix}-C-${start}-${Math.floor(k / 3)}`,
        region: pick(REGIONS),
        plan: pick(PLANS),
        spend: Math.round(r() * 500_000),
        attributes: { industry: pick(['retail', 'saas', 'finance', 'health']), seats: 1 + Math.floor(r() * 500) },
      },
    };
  });
}

async function post(url: string, key: string, query: string, variables?: unknown): Promise<any> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`GraphQL error: ${body.errors.map((e) => e.message).join('; ')}`);
  return body.data;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;

/** Pushes `rows` rows in `batch`-row calls from `clients` parallel clients; all rows are built before the clock starts. */
export async function measureIngest(opts: IngestOptions): Promise<IngestResult> {
  const refs = opts.refs ?? (await readRefs(opts.url, opts.key));
  const prefix = opts.prefix ?? `BENCH-${Date.now().toString(36)}`;
  const bodies: Record<string, unknown>[][] = [];
  for (let i = 0; i < opts.rows; i += opts.batch) bodies.push(buildRows(refs, Math.min(opts.batch, opts.rows - i), prefix, i));
  const times: number[] = [];
  let accepted = 0;
  let next = 0;
  const started = process.hrtime.bigint();
  const client = async () => {
    while (next < bodies.length) {
      const rows = bodies[next++];
      const t = process.hrtime.bigint();
      const data = await post(opts.url, opts.key, SUBMIT, { rows });
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      const p = data.submitResponses;
      accepted += p.accepted;
      if (p.rejected) throw new Error(`rows rejected: ${JSON.stringify(p.results.find((x: any) => x.error).error)}`);
    }
  };
  await Promise.all(Array.from({ length: opts.clients }, client));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  times.sort((a, b) => a - b);
  return { rowsPerSecond: Math.round(opts.rows / seconds), p50Ms: quantile(times, 0.5), p95Ms: quantile(times, 0.95), calls: times.length, accepted, seconds };
}

/** Survey and department codes through the API; known customer refs and agents need a database (empty here). */
async function readRefs(url: string, key: string): Promise<RowRefs> {
  const data = await post(url, key, REFS);
  return { surveys: data.surveys.map((s: any) => s.code), departments: data.departments.map((d: any) => d.code), agents: [], customers: [] };
}

// ------------------------------------------------------------------ standalone run

interface Spawned {
  proc: ChildProcess;
  url: string;
  lines: () => string[];
  stop: () => Promise<void>;
}

function startServer(databaseUrl: string, cpuProf?: string): Promise<Spawned> {
  const main = path.join(__dirname, '..', 'src', 'main.js');
  const args = cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${cpuProf}`, main] : [main];
  const proc = spawn(process.execPath, args, {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', SEED_DEMO: 'false', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const m = out.match(/"url":"(http:\/\/localhost:\d+\/graphql)"[^\n]*NPS API ready/);
      if (!m) return;
      clearInterval(timer);
      resolve({
        proc,
        url: m[1].replace('localhost', '127.0.0.1'),
        lines: () => out.split('\n'),
        stop: () => {
          proc.kill('SIGTERM');
          return exited;
        },
      });
    }, 50);
    proc.on('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
}

/** CPU milliseconds (user + system) a process has used so far; 0 when it is gone. */
function cpuMs(pid: number): number {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return 0;
  }
}

/** CPU used by the server process and by the PostgreSQL backends of the database (Linux /proc). */
async function cpuSnapshot(admin: Client, db: string, serverPid: number): Promise<{ node: number; postgres: Map<number, number> }> {
  const { rows } = await admin.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [db]);
  return { node: cpuMs(serverPid), postgres: new Map(rows.map((r: { pid: number }) => [r.pid, cpuMs(r.pid)])) };
}

/** Mean of a numeric field of the log lines with the given msg (and of nested `phases` fields). */
function serverSplit(lines: string[]): Record<string, number> {
  const sums: Record<string, number> = {};
  const counts: Record<string, number> = {};
  const add = (k: string, v: unknown) => {
    if (typeof v !== 'number') return;
    sums[k] = (sums[k] ?? 0) + v;
    counts[k] = (counts[k] ?? 0) + 1;
  };
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    const o = JSON.parse(line);
    if (o.msg === 'graphql request' && o.op === 'SubmitResponses') add('request', o.ms);
    if (o.msg === 'responses submitted') {
      add('service', o.ms);
      for (const [k, v] of Object.entries(o.phases ?? {})) add(`  ${k}`, v);
    }
  }
  return Object.fromEntries(Object.keys(sums).map((k) => [k, Math.round((sums[k] / counts[k]) * 10) / 10]));
}

async function main() {
  const base = process.env.INGEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const preload = Number(process.env.INGEST_PRELOAD ?? 100);
  const rows = Number(process.env.INGEST_ROWS ?? 40_000);
  const clients = Number(process.env.INGEST_CLIENTS ?? 2);
  const batch = Number(process.env.INGEST_BATCH ?? 1_000);
  const name = process.env.INGEST_DB ?? `nps_ingest_bench_${process.pid}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  const u = new URL(base);
  u.pathname = `/${name}`;
  const reuse = process.env.INGEST_DB !== undefined && (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount;
  if (!reuse) {
    await admin.query(`CREATE DATABASE ${name}`);
    const db = await openDatabase({ databaseUrl: u.toString(), poolMax: 4 });
    const seeded = await seedDemo(db.dataSource, { responses: preload });
    await db.dataSource.query('ANALYZE');
    console.log(`${name}: ${seeded.responses.toLocaleString('en-US')} responses pre-loaded in ${(seeded.ms / 1000).toFixed(1)} s`);
    await db.close();
  }
  const db = await openDatabase({ databaseUrl: u.toString(), poolMax: 1 });
  const ctx = systemContext({ ds: db.dataSource, config: loadConfig({}), logger: createLogger('warn') });
  const { key } = await transaction(ctx, (ctx) => insertApiKey(ctx, { name: `bench-${Date.now()}`, role: Role.INTEGRATION, departmentId: null }));
  const [{ n }] = await db.dataSource.query('SELECT count(*)::int AS n FROM responses');
  const refs: RowRefs = {
    surveys: (await db.dataSource.query('SELECT code FROM surveys ORDER BY code')).map((r: any) => r.code),
    departments: (await db.dataSource.query('SELECT code FROM departments ORDER BY code')).map((r: any) => r.code),
    agents: (await db.dataSource.query(`SELECT email FROM people WHERE email IS NOT NULL ORDER BY email LIMIT 50`)).map((r: any) => r.email),
    customers: (await db.dataSource.query('SELECT external_ref FROM customers ORDER BY external_ref LIMIT 5000')).map((r: any) => r.external_ref),
  };
  await db.close();
  const server = await startServer(u.toString(), process.env.INGEST_CPU_PROF);
  try {
    // Warm-up: one small call (JIT, pool, plans), not counted.
    await measureIngest({ url: server.url, key, rows: batch, clients: 1, batch, refs, prefix: `WARM-${Date.now().toString(36)}` });
    const warmLines = server.lines().length;
    const before = await cpuSnapshot(admin, name, server.proc.pid!);
    const clientBefore = process.cpuUsage();
    const result = await measureIngest({ url: server.url, key, rows, clients, batch, refs });
    const clientCpu = process.cpuUsage(clientBefore);
    const after = await cpuSnapshot(admin, name, server.proc.pid!);
    let pgMs = 0;
    for (const [pid, ms] of after.postgres) pgMs += ms - (before.postgres.get(pid) ?? 0);
    const per = (ms: number) => Math.round((ms / rows) * 1000);
    const split = serverSplit(server.lines().slice(warmLines - 1));
    console.log(
      `ingest on PostgreSQL, ${n.toLocaleString('en-US')} responses before: ${rows.toLocaleString('en-US')} rows, ${clients} clients x ${batch}-row calls: ` +
        `${result.rowsPerSecond.toLocaleString('en-US')} rows/s (${result.seconds.toFixed(2)} s), per call p50 ${result.p50Ms.toFixed(0)} ms, p95 ${result.p95Ms.toFixed(0)} ms`,
    );
    console.log('server time per call (mean ms):', JSON.stringify(split));
    console.log(
      `CPU ms per 1,000 rows: server ${per(after.node - before.node)}, PostgreSQL ${per(pgMs)}, this client ${per((clientCpu.user + clientCpu.system) / 1000)}` +
        ` (load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`,
    );
  } finally {
    await server.stop();
    if (!process.env.INGEST_KEEP) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
