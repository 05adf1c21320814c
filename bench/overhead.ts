import 'reflect-metadata';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { createKey } from './load';
import { throughput } from './measure';
import { TRIVIAL } from './queries';
import { BenchServer, startServer } from './server';

/**
 * What metrics, rate limits and tracing cost on a dashboard query, measured in one run:
 *
 *   DATABASE_URL=postgres://... node dist/bench/overhead.js [--seconds 6] [--clients 4] [--rounds 2] [--out FILE]
 *
 * DATABASE_URL: a PostgreSQL database with the demo loaded (`npm run seed`). One compiled server
 * per configuration runs at once (the same database, the same key); rounds go through them in
 * turn, so that a slower moment of the machine is shared by all. Each round: `clients` loops send
 * the dashboard query (the report cache is on, as by default: most answers come from it, so the
 * per-request costs show most) for `seconds`. Reported: answers/s per configuration (the sum over
 * rounds), against the baseline, and each server's peak RSS; the tracing server exports to an
 * OTLP/HTTP receiver in this process.
 */
const DASHBOARD_QUERY = `{ npsSummary { nps responses promoters detractors } departmentScores { department { code name } score { nps responses } } }`;

interface Variant {
  name: string;
  env: Record<string, string>;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime: fields 14 and 15, in ticks of 1/100 s
}

async function otlpSink() {
  let spans = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      spans += (body.match(/"spanId"/g) ?? []).length;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans: () => spans, close: () => new Promise((r) => server.close(r)) };
}

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL must name a PostgreSQL database with the demo loaded (npm run seed)');
    return 2;
  }
  const seconds = arg('seconds', 6);
  const clients = arg('clients', 4);
  const rounds = arg('rounds', 2);
  const outIdx = process.argv.indexOf('--out');
  const sink = await otlpSink();
  const off = { RATE_LIMIT_ENABLED: 'false', EXPOSE_QUERY_STATS: 'false', WEBHOOKS_ENABLED: 'false', THEME_TAGGING_ENABLED: 'false' };
  const variants: Variant[] = [
    { name: 'baseline (no metrics, no rate limits)', env: off },
    { name: 'metrics (METRICS_TOKEN)', env: { ...off, METRICS_TOKEN: 'bench-metrics-token-0123456789' } },
    { name: 'rate limits in memory', env: { ...off, RATE_LIMIT_ENABLED: 'true' } },
    { name: 'rate limits through Redis', env: { ...off, RATE_LIMIT_ENABLED: 'true', REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', RATE_LIMIT_REDIS_PREFIX: `bench:${Date.now()}` } },
    { name: 'metrics + rate limits (Redis)', env: { ...off, METRICS_TOKEN: 'bench-metrics-token-0123456789', RATE_LIMIT_ENABLED: 'true', REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', RATE_LIMIT_REDIS_PREFIX: `bench2:${Date.now()}` } },
    { name: 'tracing (OTLP/HTTP)', env: { ...off, OTEL_EXPORTER_OTLP_ENDPOINT: sink.url } },
  ];
  const key = createKey(url, 'ADMIN'); // the largest budget: the rate limits count, never refuse
  const servers: BenchServer[] = [];
  try {
    for (const v of variants) servers.push(await startServer(url, v.env));
    const answers = variants.map(() => 0);
    const errors = variants.map(() => 0);
    const cpu = variants.map(() => 0);
    const requests = variants.map(() => 0); // dashboard answers and the trivial probe's
    const dashboard = [{ query: DASHBOARD_QUERY, variables: {} }];
    // Warm-up: plans, caches, JIT.
    for (const s of servers) await throughput(s.url, key, dashboard, TRIVIAL, clients, 1_500);
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < variants.length; i++) {
        const before = cpuSeconds(servers[i].pid);
        const tp = await throughput(servers[i].url, key, dashboard, TRIVIAL, clients, seconds * 1000);
        cpu[i] += cpuSeconds(servers[i].pid) - before;
        answers[i] += tp.answers;
        requests[i] += tp.answers + tp.trivialRuns;
        errors[i] += tp.errors;
        console.log(`round ${r + 1} ${variants[i].name}: ${tp.dashboardRps.toFixed(1)} answers/s, ${(((cpuSeconds(servers[i].pid) - before) / (tp.answers + tp.trivialRuns)) * 1000).toFixed(2)} ms CPU/request`);
      }
    }
    const rps = answers.map((a) => a / (rounds * seconds));
    const rows = variants.map((v, i) => ({
      variant: v.name,
      answersPerSecond: Math.round(rps[i] * 10) / 10,
      vsBaseline: `${(((rps[i] - rps[0]) / rps[0]) * 100).toFixed(1)}%`,
      errors: errors[i],
      // On a loaded machine answers/s swings with the scheduler; the server's CPU time per request
      // (dashboard answers and the trivial probe's, which throughput() also sends) is steadier.
      cpuMsPerRequest: Math.round((cpu[i] / requests[i]) * 10_000) / 10,
      peakRssMb: servers[i].peakRssMb(),
    }));
    console.table(rows);
    console.log(`spans received by the OTLP sink: ${sink.spans()}`);
    const result = { at: new Date().toISOString(), seconds, clients, rounds, query: DASHBOARD_QUERY, rows, spansExported: sink.spans() };
    if (outIdx > 0) fs.writeFileSync(process.argv[outIdx + 1], `${JSON.stringify(result, null, 2)}\n`);
    return errors.some((e) => e > 0) ? 1 : 0;
  } finally {
    for (const s of servers) await s.stop();
    await sink.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
