import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { createDataSource } from '../ormconfig';
import { loadConfig } from '../src/common/config';
import { createLogger } from '../src/common/logging';
import { systemContext } from '../src/system-context';
import { transaction } from '../src/transaction';
import { ensureInvitations, prepareDatabase } from './load';

const USAGE = `Usage: node dist/bench/eligibility.js --responses N [--invitations-per-response K] [--runs R]

Measures contactEligibility for 1,000 customers (one statement) on PostgreSQL:
loads (or reuses) the benchmark database nps_bench_<N> like npm run bench, adds K invitations per
demo response (default 5; idempotent: an existing run's invitations are kept), VACUUM ANALYZE,
then times R calls (default 20), each for 1,000 different random customers with invitations,
with contact rules set inside a transaction that is rolled back. Prints p50/p95/max.
DATABASE_URL: the admin URL (default postgres://postgres@127.0.0.1:5432/postgres).`;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { responses: { type: 'string' }, 'invitations-per-response': { type: 'string' }, runs: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help || !values.responses) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const responses = Number(values.responses);
  const perResponse = Number(values['invitations-per-response'] ?? 5);
  const runs = Number(values.runs ?? 20);
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const log = (line: string) => console.log(line);
  const loaded = await prepareDatabase(adminUrl, responses, false, log, null);

  const invitations = await ensureInvitations(loaded.url, perResponse, log);
  const pg = new Client({ connectionString: loaded.url });
  await pg.connect();
  const [{ survey }] = (await pg.query(`SELECT s.code AS survey FROM surveys s ORDER BY (SELECT count(*) FROM responses r WHERE r.survey_id = s.id) DESC LIMIT 1`)).rows;
  const samples: string[][] = [];
  for (let i = 0; i < runs + 3; i++) {
    const rows = (await pg.query(`SELECT external_ref FROM customers WHERE external_ref LIKE 'CUST-%' ORDER BY random() LIMIT 1000`)).rows;
    samples.push(rows.map((r: { external_ref: string }) => r.external_ref));
  }
  await pg.end();

  const ds = createDataSource({ url: loaded.url, poolMax: 2 });
  await ds.initialize();
  const config = loadConfig({ ...process.env, DATABASE_URL: loaded.url });
  const ctx = systemContext({ ds, config, logger: createLogger('warn') });
  const times: number[] = [];
  const rollback = new Error('rollback');
  await transaction(ctx, async (ctx) => {
    // The demo's rules for the measurement (rolled back): every rule set, survey and company-wide.
    await ctx.services.contactRules.set(ctx, { surveyCode: survey, minDaysSinceInvitation: 30, minDaysSinceResponse: 90, maxInvitations: 3, windowDays: 90, blockWhileFollowUpOpen: true });
    await ctx.services.contactRules.set(ctx, { surveyCode: null, minDaysSinceInvitation: 7, blockWhileFollowUpOpen: false });
    const at = new Date();
    for (let i = 0; i < samples.length; i++) {
      const t = performance.now();
      const result = await ctx.services.contactRules.eligibility(ctx, survey, samples[i], at);
      if (i >= 3) times.push(performance.now() - t);
      if (i === samples.length - 1) log(`  last sample: ${result.filter((e) => e.eligible).length} of ${result.length} eligible`);
    }
    throw rollback;
  }).catch((e) => {
    if (e !== rollback) throw e;
  });
  await ds.destroy();
  times.sort((a, b) => a - b);
  log(`contactEligibility, 1,000 customers, survey ${survey}, ${Number(invitations).toLocaleString('en-US')} invitations, ${responses.toLocaleString('en-US')} demo responses:`);
  log(`  ${runs} runs (3 warm-up): p50 ${pct(times, 0.5).toFixed(1)} ms, p95 ${pct(times, 0.95).toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
