import 'reflect-metadata';
import fs from 'node:fs';
import { Client } from 'pg';
import { parseBenchArgs, USAGE } from './args';
import { createKey, dropDatabase, ensureInvitations, prepareDatabase } from './load';
import { FRESH, ingest, QueryResult, throughput, timeQuery, timeRaw, waitForTagging } from './measure';
import { DASHBOARD, lookupIds, QUERIES, TRIVIAL } from './queries';
import { BenchResults, formatReport, writeResults } from './report';
import { startServer } from './server';

/**
 * npm run bench -- --responses N [--out PATH] [--fresh] [--runs 200 --warmup 20 ...]: see args.ts.
 * load.ts builds or reuses the database, server.ts runs the real server as a child process,
 * measure.ts times it over HTTP (and the raw-SQL baselines through pg), report.ts prints and saves.
 */
async function main(): Promise<number> {
  let args;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const started = performance.now();
  const startedAt = new Date();
  const log = (line: string) => console.log(line);
  const loaded = await prepareDatabase(args.adminUrl, args.responses, args.fresh, log, args.anchor);
  if (args.invitationsPerResponse > 0) log(`  ${(await ensureInvitations(loaded.url, args.invitationsPerResponse, log)).toLocaleString('en-US')} survey invitations`);
  const adminKey = createKey(loaded.url, 'ADMIN');
  const managerKey = createKey(loaded.url, 'MANAGER', 'CX-SUP');
  const pg = new Client({ connectionString: loaded.url });
  await pg.connect();
  const ids = await lookupIds(pg, startedAt);
  const [{ customers }] = (await pg.query(`SELECT count(*)::int AS customers FROM customers WHERE external_ref LIKE 'CUST-%'`)).rows;

  log('Starting the server (node dist/src/main.js, EXPOSE_QUERY_STATS=1)...');
  // Larger re-tagging batches: a database loaded before themes existed is re-tagged before timing.
  const server = await startServer(loaded.url, { THEME_TAGGING_BATCH: '5000' });
  const results: QueryResult[] = [];
  try {
    const tagging = await waitForTagging(server.url, adminKey, log);
    if (tagging > 1) log(`  re-tagging finished after ${tagging.toFixed(0)} s`);
    const timed = args.only.length ? QUERIES.filter((q) => args.only.some((w) => q.name.toLowerCase().includes(w))) : QUERIES;
    if (!timed.length) throw new Error(`--only ${args.only.join(',')} matches no query`);
    for (const q of timed) {
      if (server.died()) throw new Error(server.died()!);
      const key = q.role === 'MANAGER' ? managerKey : adminKey;
      try {
        const api = await timeQuery(server.url, key, q, ids, { runs: args.runs, warmup: args.warmup, budgetMs: args.queryBudgetMs });
        const raw = await timeRaw(pg, q, ids, args.rawRuns);
        const r: QueryResult = { name: q.name, plan: api.plan, runs: api.runs, p50Ms: api.p50, p95Ms: api.p95, p99Ms: api.p99, rawSqlMs: raw, ratio: raw / api.p50, statements: api.statements };
        results.push(r);
        log(`  ${q.name}: p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms (${r.runs} runs), raw ${r.rawSqlMs.toFixed(1)} ms, ${r.statements ?? '-'} statements, plan ${r.plan}`);
      } catch (e) {
        results.push({ name: q.name, plan: '-', runs: 0, p50Ms: NaN, p95Ms: NaN, p99Ms: NaN, rawSqlMs: NaN, ratio: NaN, statements: null, error: (e as Error).message.slice(0, 300) });
        log(`  ${q.name}: ERROR ${(e as Error).message.slice(0, 300)}`);
        if (server.died()) log(server.died()!);
      }
    }
    if (server.died()) throw new Error(server.died()!);
    if (args.only.length) {
      const report = { responses: args.responses, only: args.only, queries: results, runs: { runs: args.runs, warmup: args.warmup, rawRuns: args.rawRuns }, startedAt: startedAt.toISOString(), totalSeconds: (performance.now() - started) / 1000 };
      console.log(JSON.stringify(report, null, 2));
      fs.writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
      console.log(`\nResults (--only: no throughput, no ingest) written to ${args.out}`);
      return results.some((r) => r.error) ? 1 : 0;
    }
    log(`Throughput: ${args.clients} clients for ${args.durationMs / 1000} s...`);
    const dashboard = DASHBOARD.map((name) => QUERIES.find((q) => q.name === name)!).map((q) => ({ query: q.query, variables: q.variables(ids) }));
    const tp = await throughput(server.url, adminKey, dashboard, TRIVIAL, args.clients, args.durationMs);
    log(`  ${tp.dashboardRps.toFixed(1)} answers/s, trivial p99 ${tp.trivialP99Ms.toFixed(1)} ms; again with every answer computed afresh (Cache-Control: no-cache)...`);
    const fresh = await throughput(server.url, adminKey, dashboard, TRIVIAL, args.clients, args.durationMs, FRESH);
    log(`  ${fresh.dashboardRps.toFixed(1)} answers/s, trivial p99 ${fresh.trivialP99Ms.toFixed(1)} ms`);
    log(`Ingest: 2 clients x ${args.ingestBatches} batches of 1,000 rows...`);
    const ing = args.ingestBatches ? await ingest(server.url, adminKey, 2, args.ingestBatches, customers) : { rowsPerSecond: NaN, accepted: 0, seconds: 0 };
    const report: BenchResults = {
      responses: args.responses,
      ingest: { rowsPerSecond: ing.rowsPerSecond, rows: ing.accepted, seconds: ing.seconds },
      server: { peakRssMb: server.peakRssMb() },
      throughput: { dashboardRps: tp.dashboardRps, trivialP99Ms: tp.trivialP99Ms, trivialP50Ms: tp.trivialP50Ms, clients: args.clients, seconds: args.durationMs / 1000, errors: tp.errors,
        uncached: { dashboardRps: fresh.dashboardRps, trivialP99Ms: fresh.trivialP99Ms, trivialP50Ms: fresh.trivialP50Ms, errors: fresh.errors } },
      load: {
        reused: loaded.reused,
        seconds: loaded.loadMs / 1000,
        rowsPerSecond: loaded.seed?.rowsPerSecond ?? null,
        peakRssMb: loaded.peakRssMb,
        lastResponseAt: loaded.lastResponseAt?.toISOString() ?? null,
      },
      queries: results,
      runs: { runs: args.runs, warmup: args.warmup, rawRuns: args.rawRuns },
      startedAt: startedAt.toISOString(),
      totalSeconds: (performance.now() - started) / 1000,
    };
    console.log(formatReport(report));
    console.log(`\nResults written to ${writeResults(args.out, report)}`);
    return results.some((r) => r.error) ? 1 : 0;
  } finally {
    await server.stop();
    await pg.end();
    if (args.drop) await dropDatabase(args.adminUrl, loaded.database);
  }
}

main()
  .then((code) => process.exit(code))
  .catch((err) => {
    console.error('Benchmark failed:', err);
    process.exit(1);
  });
