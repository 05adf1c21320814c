import { parseArgs } from 'node:util';
import { demoAnchor } from '../seeds/calendar';

export const USAGE = `Usage: npm run bench -- --responses N [options]

Loads the demo data at N responses into its own PostgreSQL database (nps_bench_<N>, created from
the admin URL; reused when it already holds the N demo responses), starts the real server
(node dist/src/main.js) with EXPOSE_QUERY_STATS=1 and measures over HTTP on 127.0.0.1.

  --responses N       demo responses to load (default 100000)
  --out PATH          where to write the JSON results (default bench/results.json)
  --fresh             drop and rebuild the database even if it holds N responses
  --anchor DATE       the day a new load's data end (YYYY-MM-DD, not after today; default
                      DEMO_ANCHOR_DATE, else today in UTC); a reused database keeps its own
  --runs N            timed runs per API query after warm-up (default 200)
  --warmup N          warm-up runs per API query (default 20)
  --raw-runs N        timed runs per raw-SQL baseline (default 10)
  --query-budget S    at most S seconds of timed runs per API query (default 20; fewer runs when hit)
  --duration S        seconds of the concurrent throughput test (default 20)
  --clients N         concurrent dashboard clients (default 20)
  --ingest-batches N  1,000-row submitResponses batches per ingest client, 2 clients (default 10)
  --only A,B          time only the queries whose names contain one of these words (case-insensitive);
                      skips the throughput and ingest parts (a supplementary run on a loaded database)
  --invitations-per-response K
                      also K survey invitations per demo response (0-50, default 0; seeds/invitations.ts:
                      10,000,000 responses x 5 = the issue's 50,000,000), added when fewer are there
  --keep              keep the database afterwards (default: kept, so a rerun reuses it; --drop drops it)
  --drop              drop the database at the end

DATABASE_URL is the admin URL (default postgres://postgres@127.0.0.1:5432/postgres); it must point
at a loopback host.`;

export interface BenchArgs {
  responses: number;
  out: string;
  fresh: boolean;
  /** YYYY-MM-DD, or null: today (UTC). */
  anchor: string | null;
  runs: number;
  warmup: number;
  rawRuns: number;
  queryBudgetMs: number;
  durationMs: number;
  clients: number;
  ingestBatches: number;
  /** Survey invitations per demo response to add (0: none). */
  invitationsPerResponse: number;
  drop: boolean;
  /** Words of query names to time (empty: all, with throughput and ingest). */
  only: string[];
  adminUrl: string;
  help: boolean;
}

export function parseBenchArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): BenchArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      responses: { type: 'string' },
      out: { type: 'string' },
      fresh: { type: 'boolean' },
      anchor: { type: 'string' },
      runs: { type: 'string' },
      warmup: { type: 'string' },
      'raw-runs': { type: 'string' },
      'query-budget': { type: 'string' },
      duration: { type: 'string' },
      clients: { type: 'string' },
      'ingest-batches': { type: 'string' },
      'invitations-per-response': { type: 'string' },
      only: { type: 'string' },
      keep: { type: 'boolean' },
      drop: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const int = (name: string, def: number, min: number, max: number) => {
    const v = values[name as keyof typeof values];
    if (v === undefined) return def;
    const x = Number(v);
    if (!Number.isInteger(x) || x < min || x > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
    return x;
  };
  const adminUrl = env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const anchor = (values.anchor as string | undefined) ?? (env.DEMO_ANCHOR_DATE || null);
  if (anchor !== null) {
    try {
      demoAnchor(anchor);
    } catch (e) {
      throw new Error(`--anchor: ${(e as Error).message}`);
    }
  }
  const host = new URL(adminUrl).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) throw new Error(`DATABASE_URL must point at a loopback host for the benchmark, got ${host}`);
  return {
    responses: int('responses', 100_000, 100, 50_000_000),
    out: (values.out as string | undefined) ?? 'bench/results.json',
    fresh: !!values.fresh,
    anchor,
    runs: int('runs', 200, 1, 100_000),
    warmup: int('warmup', 20, 0, 10_000),
    rawRuns: int('raw-runs', 10, 1, 10_000),
    queryBudgetMs: int('query-budget', 20, 1, 3600) * 1000,
    durationMs: int('duration', 20, 1, 600) * 1000,
    clients: int('clients', 20, 1, 200),
    ingestBatches: int('ingest-batches', 10, 0, 1000),
    invitationsPerResponse: int('invitations-per-response', 0, 0, 50),
    drop: !!values.drop,
    only: ((values.only as string | undefined) ?? '')
      .split(',')
      .map((w) => w.trim().toLowerCase())
      .filter(Boolean),
    adminUrl,
    help: !!values.help,
  };
}
