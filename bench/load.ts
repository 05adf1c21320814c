import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { createDataSource } from '../ormconfig';
import { MAX_RATE_LIMIT } from '../src/common/config';
import { seedDemo, SeedSummary } from '../seeds';
import { seedProgress } from '../seeds/progress';
import { seedInvitations } from '../seeds/invitations';

export interface Loaded {
  url: string;
  database: string;
  reused: boolean;
  seed: SeedSummary | null;
  /** The latest demo response: the data end a little before the anchor they were loaded with. */
  lastResponseAt: Date | null;
  loadMs: number;
  /** This process's peak RSS after loading (VmHWM), in MB: the seeder's, when it loaded. */
  peakRssMb: number;
}

export const ownPeakRssMb = () => {
  const m = fs.readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s+(\d+)/);
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
};

const withDatabase = (adminUrl: string, database: string) => {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  return u.toString();
};

async function admin<T>(adminUrl: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** How many demo responses the database holds, or null when it is missing or not migrated. */
async function demoResponses(url: string): Promise<number | null> {
  const c = new Client({ connectionString: url });
  try {
    await c.connect();
  } catch {
    return null;
  }
  try {
    const [{ ok }] = (await c.query(`SELECT to_regclass('public.responses') IS NOT NULL AND to_regclass('public.kpi_targets') IS NOT NULL AS ok`)).rows;
    if (!ok) return null;
    const [{ n }] = (await c.query(`SELECT count(*)::int AS n FROM responses WHERE external_ref LIKE 'DEMO-R-%'`)).rows;
    return n;
  } finally {
    await c.end();
  }
}

/** Removes what an earlier run's ingest added (its responses, their follow-ups), so runs compare. */
export async function removeIngested(url: string): Promise<number> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('BEGIN');
    await c.query(`DELETE FROM action_items WHERE response_id IN (SELECT id FROM responses WHERE external_ref LIKE 'BENCH-%')`);
    const res = await c.query(`DELETE FROM responses WHERE external_ref LIKE 'BENCH-%'`);
    await c.query('COMMIT');
    return res.rowCount ?? 0;
  } finally {
    await c.end();
  }
}

/** When the latest demo response was given (null without any). */
async function lastDemoResponse(url: string): Promise<Date | null> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query(`SELECT responded_at FROM responses WHERE external_ref LIKE 'DEMO-R-%' ORDER BY responded_at DESC LIMIT 1`);
    return rows.length ? new Date(rows[0].responded_at) : null;
  } finally {
    await c.end();
  }
}

/**
 * The benchmark's database nps_bench_<N>: reused when it holds exactly the N demo responses (and
 * not --fresh), whatever day it was loaded for, else dropped, created, migrated and loaded with the
 * streaming seeder, its data ending on `anchor` (YYYY-MM-DD; null: today in UTC): the same N and
 * anchor give the same rows. Then VACUUM ANALYZE, so plans reflect the data.
 */
export async function prepareDatabase(adminUrl: string, responses: number, fresh: boolean, log: (line: string) => void, anchor: string | null = null): Promise<Loaded> {
  const database = `nps_bench_${responses}`;
  const url = withDatabase(adminUrl, database);
  const started = performance.now();
  const have = fresh ? null : await demoResponses(url);
  let seed: SeedSummary | null = null;
  if (have === responses) {
    log(`Reusing ${database}: it holds ${responses.toLocaleString('en-US')} demo responses (--fresh rebuilds it).`);
    const removed = await removeIngested(url);
    if (removed) log(`  removed ${removed.toLocaleString('en-US')} responses a previous run ingested`);
    // Migrations added since it was loaded run here, not at the server's start (which must answer
    // within two minutes): the themes migration builds a GIN index over every verbatim (minutes at 10M).
    const ds = createDataSource({ url, poolMax: 2 });
    await ds.initialize();
    try {
      if (await ds.showMigrations()) {
        const t0 = performance.now();
        log('  applying the migrations added since it was loaded...');
        await ds.runMigrations({ transaction: 'each' });
        log(`  migrated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      }
    } finally {
      await ds.destroy();
    }
  } else {
    log(`Creating ${database}${have !== null ? ` (it held ${have.toLocaleString('en-US')} demo responses)` : ''}...`);
    await admin(adminUrl, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${database}`);
    });
    const ds = createDataSource({ url, poolMax: 2 });
    await ds.initialize();
    try {
      await ds.runMigrations({ transaction: 'each' });
      const progress = seedProgress('Loading');
      try {
        seed = await seedDemo(ds, { responses, anchor, onProgress: progress.onProgress });
      } finally {
        progress.end();
      }
    } finally {
      await ds.destroy();
    }
    log(`  loaded ${seed.rows.toLocaleString('en-US')} rows (anchor ${seed.anchor.slice(0, 10)}) in ${(seed.ms / 1000).toFixed(1)} s (${seed.rowsPerSecond.toLocaleString('en-US')} rows/s), peak RSS ${ownPeakRssMb()} MB`);
  }
  const lastResponseAt = await lastDemoResponse(url);
  if (seed === null && lastResponseAt) log(`  its demo data end at ${lastResponseAt.toISOString()} (the day it was loaded for; --fresh reloads for ${anchor ?? 'today'})`);
  const peakRssMb = ownPeakRssMb();
  const t = performance.now();
  const c = new Client({ connectionString: url });
  await c.connect();
  await c.query('VACUUM ANALYZE');
  await c.end();
  log(`  VACUUM ANALYZE ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return { url, database, reused: seed === null, seed, lastResponseAt, loadMs: performance.now() - started, peakRssMb };
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  await admin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
}

/** Creates an API key with the project's CLI (dist/src/cli/apikey.js); returns the key. */
/**
 * The budget of the benchmark's keys (points per rate-limit window, README "Rate limits"): the
 * largest there is, so that 20 clients looping over dashboard queries and the 1,000-row ingest
 * batches measure the server, never the rate limits (which they would meet at the roles' defaults).
 */
export const BENCH_RATE_LIMIT = MAX_RATE_LIMIT;

export function createKey(url: string, role: string, departmentCode?: string): string {
  const cli = path.join(__dirname, '..', 'src', 'cli', 'apikey.js');
  const args = ['create', '--name', `bench-${role.toLowerCase()}-${Date.now()}`, '--role', role, '--rate-limit', String(BENCH_RATE_LIMIT), ...(departmentCode ? ['--department', departmentCode] : [])];
  const res = spawnSync(process.execPath, [cli, ...args], { env: { PATH: process.env.PATH ?? '', DATABASE_URL: url, LOG_LEVEL: 'warn' }, encoding: 'utf8', timeout: 60_000 });
  if (res.status !== 0) throw new Error(`apikey create failed (${res.status}): ${res.stdout}${res.stderr}`);
  const lines = res.stdout.trim().split('\n');
  return lines[lines.length - 1].trim();
}

/**
 * Adds `perResponse` survey invitations per demo response (seeds/invitations.ts) when the database
 * holds fewer; idempotent, so an interrupted run resumes. Then VACUUM ANALYZE of the invitations.
 */
export async function ensureInvitations(url: string, perResponse: number, log: (line: string) => void): Promise<number> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const count = async (sql: string) => Number((await c.query(sql)).rows[0].n);
    const have = await count(`SELECT count(*)::bigint AS n FROM survey_invitations`);
    const wanted = perResponse * (await count(`SELECT count(*)::bigint AS n FROM responses WHERE external_ref LIKE 'DEMO-R-%' AND customer_id IS NOT NULL`));
    if (perResponse > 0 && have < wanted) {
      log(`Adding survey invitations: ${perResponse} per demo response, ${wanted.toLocaleString('en-US')} in all (${have.toLocaleString('en-US')} there)...`);
      const r = await seedInvitations({ query: (sql: string, params?: unknown[]) => c.query(sql, params).then((x) => x.rows) }, {
        perResponse,
        onProgress: (p) => process.stdout.write(`\r  month ${p.done}/${p.total}: ${p.invitations.toLocaleString('en-US')} added`),
      });
      log(`\n  added ${r.invitations.toLocaleString('en-US')} in ${(r.ms / 1000).toFixed(1)} s (${Math.round(r.invitations / Math.max(0.001, r.ms / 1000)).toLocaleString('en-US')} rows/s)`);
      await c.query('VACUUM ANALYZE survey_invitations');
      await c.query('VACUUM ANALYZE invitation_rollup_day');
    }
    return await count(`SELECT count(*)::bigint AS n FROM survey_invitations`);
  } finally {
    await c.end();
  }
}
