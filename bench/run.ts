import 'reflect-metadata';
import fs from 'node:fs';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../ormconfig';
import { loadConfig } from '../src/common/config';
import { createLogger } from '../src/common/logging';
import { createContext } from '../src/context';
import { startEmbedded } from '../src/db/embedded';
import { Role, Viewer } from '../src/modules/auth/viewer';
import { buildAppSchema } from '../src/schema';
import { createApp } from '../src/server';
import { DEFAULT_RESPONSES, seedDemo, SeedSummary } from '../seeds';
import { BenchIds, missing, OPERATIONS } from './operations';

/**
 * npm run bench: on a fresh temporary PGlite and, with BENCH_DATABASE_URL, on a fresh PostgreSQL
 * database, loads the demo data (BENCH_RESPONSES, default 24,000) and times the dashboard
 * questions through Apollo's executeOperation as an admin: median and p95 over BENCH_RUNS runs
 * (default 20) after 2 warm-up runs. Operations the schema lacks are skipped with a note.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const WARMUP = 2;
const RESPONSES = Number(process.env.BENCH_RESPONSES ?? DEFAULT_RESPONSES);
const VIEWER: Viewer = { keyId: null, name: 'bench', role: Role.ADMIN, departmentId: null };

interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
}
interface OpResult {
  median: number;
  p95: number;
  runs: number;
}
interface TargetResult {
  name: string;
  seed: SeedSummary;
  ops: Map<string, OpResult | string>;
  memory: { start: Memory; seeded: Memory; end: Memory };
}

const mb = (n: number) => `${Math.round(n / 1048576)} MB`;
const memory = (): Memory => {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external };
};
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

interface Opened {
  ds: DataSource;
  close(): Promise<void>;
}

async function openPglite(): Promise<Opened> {
  const embedded = await startEmbedded({});
  const ds = createDataSource({ socketDir: embedded.socketDir });
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return {
    ds,
    async close() {
      await ds.destroy();
      await embedded.close();
      fs.rmSync(embedded.socketDir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(url: string): Promise<Opened> {
  const name = `nps_bench_${process.pid}`;
  const admin = new Client({ connectionString: url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const ds = createDataSource({ url: u.toString(), poolMax: 10 });
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return {
    ds,
    async close() {
      await ds.destroy();
      const a = new Client({ connectionString: url });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

async function benchTarget(name: string, open: () => Promise<Opened>): Promise<TargetResult> {
  const start = memory();
  const db = await open();
  try {
    const seed = await seedDemo(db.ds, { responses: RESPONSES });
    console.log(`${name}: loaded ${seed.rows.toLocaleString('en-US')} rows (${seed.responses.toLocaleString('en-US')} responses) in ${(seed.ms / 1000).toFixed(1)} s, ${seed.rowsPerSecond.toLocaleString('en-US')} rows/s`);
    await db.ds.query('ANALYZE');
    const seeded = memory();
    const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent' });
    const app = await createApp({ ds: db.ds, config, logger: createLogger('silent') });
    const schema = await buildAppSchema();
    const [co] = await db.ds.query(`SELECT id FROM departments WHERE code = 'CO'`);
    const [seg] = await db.ds.query(`SELECT id FROM segments WHERE name = 'Enterprise EMEA'`);
    const ids: BenchIds = { companyId: co.id, segmentId: seg.id };
    const ops = new Map<string, OpResult | string>();
    let run = 0;
    for (const op of OPERATIONS) {
      const lacking = missing(schema, op.requires);
      if (lacking.length) {
        ops.set(op.key, `skipped: the schema has no ${lacking.join(', ')}`);
        continue;
      }
      const times: number[] = [];
      const runs = op.runs ?? RUNS;
      let failure: string | undefined;
      for (let i = 0; i < WARMUP + runs && !failure; i++) {
        const variables = op.variables(ids, run++);
        const t0 = process.hrtime.bigint();
        const res = await app.apollo.executeOperation({ query: op.query, variables }, { contextValue: createContext(app.services, VIEWER) });
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        const body = res.body.kind === 'single' ? res.body.singleResult : undefined;
        if (!body || body.errors?.length) failure = `error: ${body?.errors?.map((e) => e.message).join('; ') ?? 'incremental response'}`;
        else if (i >= WARMUP) times.push(ms);
      }
      if (failure) {
        ops.set(op.key, failure);
        continue;
      }
      times.sort((a, b) => a - b);
      ops.set(op.key, { median: quantile(times, 0.5), p95: quantile(times, 0.95), runs });
    }
    await app.stop();
    return { name, seed, ops, memory: { start, seeded, end: memory() } };
  } finally {
    await db.close();
  }
}

function report(results: TargetResult[]): void {
  const fmt = (r: OpResult | string | undefined) => (typeof r === 'object' ? `${r.median.toFixed(1).padStart(7)} ${r.p95.toFixed(1).padStart(7)}` : '      -       -');
  const width = Math.max(...OPERATIONS.map((o) => o.label.length));
  console.log(`\nms per operation (median, p95) over ${RUNS} runs after ${WARMUP} warm-ups; ${RESPONSES.toLocaleString('en-US')} demo responses`);
  console.log(`${'operation'.padEnd(width)}  ${results.map((r) => `${r.name.padStart(7)} median     p95`).join('   ')}${results.length > 1 ? '   PG/PGlite' : ''}`);
  const notes: string[] = [];
  for (const op of OPERATIONS) {
    const cells = results.map((r) => fmt(r.ops.get(op.key)));
    const [a, b] = results.map((r) => r.ops.get(op.key));
    const ratio = typeof a === 'object' && typeof b === 'object' ? `   ${(b.median / a.median).toFixed(2).padStart(9)}` : '';
    console.log(`${op.label.padEnd(width)}  ${cells.map((c) => `        ${c}`).join('   ')}${ratio}`);
    for (const r of results) {
      const v = r.ops.get(op.key);
      if (typeof v === 'string') notes.push(`${r.name}, ${op.label}: ${v}`);
    }
  }
  if (notes.length) console.log(`\nNotes:\n  ${notes.join('\n  ')}`);
  console.log('\nRatios (median / median):');
  for (const r of results) {
    const m = (k: string) => {
      const v = r.ops.get(k);
      return typeof v === 'object' ? v.median : undefined;
    };
    const ratio = (label: string, x?: number, y?: number) => (x !== undefined && y !== undefined ? `${label} ${(x / y).toFixed(2)}` : `${label} n/a`);
    console.log(
      `  ${r.name}: ` +
        [
          ratio('filtered/unfiltered summary', m('summaryFiltered'), m('summary')),
          ratio('trend MONTH/summary', m('trendMonth'), m('summary')),
          ratio('trend WEEK/MONTH', m('trendWeek'), m('trendMonth')),
          ratio('department scores/summary', m('departmentScores'), m('summary')),
        ].join(', '),
    );
  }
  console.log('\nLoad and memory (RSS / heap used; PGlite runs inside this process, so its memory is in the RSS):');
  for (const r of results) {
    const s = r.seed;
    console.log(
      `  ${r.name}: seed ${(s.ms / 1000).toFixed(1)} s (${s.rows.toLocaleString('en-US')} rows, ${s.rowsPerSecond.toLocaleString('en-US')} rows/s; generate ${s.generateMs} ms, insert ${s.insertMs} ms); ` +
        `memory before ${mb(r.memory.start.rss)} / ${mb(r.memory.start.heapUsed)}, after seeding ${mb(r.memory.seeded.rss)} / ${mb(r.memory.seeded.heapUsed)}, after queries ${mb(r.memory.end.rss)} / ${mb(r.memory.end.heapUsed)}`,
    );
  }
}

async function main() {
  const results: TargetResult[] = [];
  results.push(await benchTarget('PGlite', openPglite));
  const pg = process.env.BENCH_DATABASE_URL;
  if (pg) results.push(await benchTarget('PostgreSQL', () => openPostgres(pg)));
  else console.log('(set BENCH_DATABASE_URL=postgres://... to compare with PostgreSQL; a scratch database is created and dropped)');
  report(results);
}

main()
  .then(() => process.exit(0))
  .catch((err) => {
    console.error('Benchmark failed:', err);
    process.exit(1);
  });
