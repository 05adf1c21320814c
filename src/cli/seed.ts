import 'reflect-metadata';
import { parseArgs } from 'node:util';
import type { DataSource } from 'typeorm';
import { createLogger } from '../common/logging';
import type { AppDeps } from '../context';
import { openForCli } from './cli-database';
import { ensureDemoKeys, formatDemoKeys } from '../modules/auth/demo-keys';
import { DEFAULT_RESPONSES, DEFAULT_SEED, demoAnchor, seedDemo } from '../../seeds';
import { formatSummary } from '../../seeds/summary';
import { seedProgress } from '../../seeds/progress';

const USAGE = `Usage: npm run seed -- [--force] [--seed N] [--responses N] [--anchor YYYY-MM-DD]

Loads the demo data (organisation, surveys, customers, ${DEFAULT_RESPONSES.toLocaleString('en-US')} responses over 18 months,
segments, KPI targets, action items) into DATABASE_URL, or into the embedded database in DATA_DIR
(./data) when DATABASE_URL is not set. Pending migrations are applied first.

  --force          load even though the database already has responses (rows with the same keys
                   are kept, not duplicated)
  --seed N         random seed (default ${DEFAULT_SEED}); the same seed gives the same rows
  --responses N    how many responses (default ${DEFAULT_RESPONSES}); they are generated and inserted
                   in chunks, so memory stays flat for millions (a progress bar shows on a terminal)
  --anchor DATE    the day the demo's data end (its 00:00 UTC), not after today; default
                   DEMO_ANCHOR_DATE, else today (UTC). The same seed and anchor give the same rows`;

export interface SeedArgs {
  force: boolean;
  seed?: number;
  responses?: number;
  /** YYYY-MM-DD; undefined: DEMO_ANCHOR_DATE, else today. */
  anchor?: string;
  help: boolean;
}

export function parseSeedArgs(argv: readonly string[]): SeedArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: { force: { type: 'boolean' }, seed: { type: 'string' }, responses: { type: 'string' }, anchor: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  const int = (v: string | undefined, name: string, min: number) => {
    if (v === undefined) return undefined;
    const x = Number(v);
    if (!Number.isInteger(x) || x < min) throw new Error(`--${name} must be a whole number of at least ${min}, got ${JSON.stringify(v)}`);
    return x;
  };
  const anchor = values.anchor as string | undefined;
  if (anchor !== undefined) {
    try {
      demoAnchor(anchor);
    } catch (e) {
      throw new Error(`--anchor: ${(e as Error).message}`);
    }
  }
  const out: SeedArgs = { force: !!values.force, seed: int(values.seed, 'seed', 0), responses: int(values.responses, 'responses', 100), help: !!values.help };
  if (anchor !== undefined) out.anchor = anchor;
  return out;
}

/**
 * Seeds an open database: refuses (exit code 1) when it already has responses and --force is not
 * given; otherwise loads the demo data, prints the summary and, if the database had no API keys,
 * the demo keys. Returns the exit code.
 */
export async function seedCommand(deps: AppDeps, args: SeedArgs, print: (line: string) => void = console.log): Promise<number> {
  const ds: DataSource = deps.ds;
  const [{ n }] = await ds.query('SELECT count(*)::int AS n FROM responses');
  if (n > 0 && !args.force) {
    print(
      `The database already has ${n.toLocaleString('en-US')} responses; the demo data is meant for an empty database.\n` +
        'Run with --force to add it anyway (rows with the same keys are kept, not duplicated).',
    );
    return 1;
  }
  // A progress bar (responses, rows/s, ETA) when a person is watching.
  const progress = process.stderr.isTTY ? seedProgress('Seeding') : undefined;
  let summary;
  try {
    summary = await seedDemo(ds, { seed: args.seed, responses: args.responses, anchor: args.anchor ?? deps.config.demoAnchorDate, onProgress: progress?.onProgress });
  } finally {
    progress?.end();
  }
  print(formatSummary(summary));
  const keys = await ensureDemoKeys(deps);
  if (keys?.length) print(`\n${formatDemoKeys(keys, `http://localhost:${deps.config.port}/graphql`)}`);
  return 0;
}

/** The whole command: configuration, database (embedded or PostgreSQL), seeding. Returns the exit code. */
export async function runSeed(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, print: (line: string) => void = console.log): Promise<number> {
  let args: SeedArgs;
  try {
    args = parseSeedArgs(argv);
  } catch (e) {
    print(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    print(USAGE);
    return 0;
  }
  const opened = await openForCli(env, print);
  if (typeof opened === 'number') return opened;
  const { config, db } = opened;
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  try {
    print(config.databaseUrl ? 'Seeding PostgreSQL (DATABASE_URL)...' : `Seeding the embedded database in ${config.dataDir}...`);
    return await seedCommand({ ds: db.dataSource, config, logger }, args, print);
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  runSeed(process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch((err) => {
      console.error('Seeding failed:', err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
