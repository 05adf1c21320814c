import fs from 'node:fs';
import path from 'node:path';
import type { QueryResult } from './measure';

export interface BenchResults {
  responses: number;
  ingest: { rowsPerSecond: number; rows: number; seconds: number };
  server: { peakRssMb: number };
  /** Answers as clients get them (report cache on), and `uncached`: every answer computed (Cache-Control: no-cache). */
  throughput: {
    dashboardRps: number;
    trivialP99Ms: number;
    trivialP50Ms: number;
    clients: number;
    seconds: number;
    errors: number;
    uncached: { dashboardRps: number; trivialP99Ms: number; trivialP50Ms: number; errors: number };
  };
  /** lastResponseAt: when the latest demo response was given (the data end on the day they were loaded for). */
  load: { reused: boolean; seconds: number; rowsPerSecond: number | null; peakRssMb: number; lastResponseAt?: string | null };
  queries: QueryResult[];
  runs: { runs: number; warmup: number; rawRuns: number };
  startedAt: string;
  totalSeconds: number;
}

const f1 = (n: number | null | undefined) => (n === null || n === undefined || Number.isNaN(n) ? '-' : n.toFixed(1));
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '-');

/** The readable table. */
export function formatReport(r: BenchResults): string {
  const w = Math.max(...r.queries.map((q) => q.name.length), 5);
  const head = `${'query'.padEnd(w)}  ${'plan'.padEnd(7)} ${'runs'.padStart(5)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)} ${'raw SQL'.padStart(8)} ${'raw/api'.padStart(8)} ${'stmts'.padStart(5)}`;
  const lines = r.queries.map((q) =>
    q.error
      ? `${q.name.padEnd(w)}  error: ${q.error}`
      : `${q.name.padEnd(w)}  ${q.plan.padEnd(7)} ${String(q.runs).padStart(5)} ${f1(q.p50Ms).padStart(8)} ${f1(q.p95Ms).padStart(8)} ${f1(q.p99Ms).padStart(8)} ${f1(q.rawSqlMs).padStart(8)} ${f2(q.ratio).padStart(8)} ${String(q.statements ?? '-').padStart(5)}`,
  );
  return [
    `\nBenchmark at ${r.responses.toLocaleString('en-US')} demo responses (ms over HTTP; ${r.runs.runs} runs after ${r.runs.warmup} warm-ups per query, raw SQL median of ${r.runs.rawRuns}).`,
    'raw/api = raw SQL median / API p50 (above 1: the API beats a hand-written aggregate over the raw rows). stmts = SQL statements the request sent. plan = fact plan(s) the reporting code used (- = not recorded).',
    '',
    head,
    '-'.repeat(head.length),
    ...lines,
    '',
    `Throughput: ${f1(r.throughput.dashboardRps)} dashboard answers/s from ${r.throughput.clients} clients over ${r.throughput.seconds} s (${r.throughput.errors} errors); trivial query beside them p50 ${f1(r.throughput.trivialP50Ms)} ms, p99 ${f1(r.throughput.trivialP99Ms)} ms.`,
    `  Every answer computed afresh (Cache-Control: no-cache): ${f1(r.throughput.uncached.dashboardRps)} answers/s (${r.throughput.uncached.errors} errors); trivial p50 ${f1(r.throughput.uncached.trivialP50Ms)} ms, p99 ${f1(r.throughput.uncached.trivialP99Ms)} ms.`,
    `Ingest: ${Math.round(r.ingest.rowsPerSecond).toLocaleString('en-US')} rows/s (submitResponses, 1,000-row batches, 2 clients; ${r.ingest.rows.toLocaleString('en-US')} rows in ${f1(r.ingest.seconds)} s).`,
    `Server peak RSS: ${r.server.peakRssMb} MB.`,
    `Load: ${r.load.reused ? 'reused the database' : `${f1(r.load.seconds)} s, ${r.load.rowsPerSecond?.toLocaleString('en-US')} rows/s, seeder peak RSS ${r.load.peakRssMb} MB`}. Whole run ${f1(r.totalSeconds)} s.`,
  ].join('\n');
}

export function writeResults(file: string, r: BenchResults): string {
  const full = path.resolve(file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, `${JSON.stringify(r, null, 2)}\n`);
  return full;
}
