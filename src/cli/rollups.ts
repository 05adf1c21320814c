import 'reflect-metadata';
import { openForCli } from './cli-database';
import { compareRollups, rebuildRollups, RollupDifference } from '../modules/reporting/facts/rollup-rebuild';
import { compareClosedLoopCounters, rebuildClosedLoopCounters } from '../modules/closed-loop/closed-loop-counters';
import { compareInvitationRollup, rebuildInvitationRollup } from '../modules/invitations/invitation-rollup';

const USAGE = `Usage: npm run rollups -- check | rebuild

The rollups (pre-aggregated counts of responses, and of the responses mentioning each theme), the
closed-loop counters (cl_ledger, cl_items_*, cl_followed_*, cl_minutes_*, cl_bins_*) and the
invitation rollup (invitation_rollup_day) are kept exact by triggers in every writing transaction.
These commands recount them from the raw rows (the per-theme rollup from response_themes, whose
copies of their responses are checked first; the rollups a few days at a time, the closed-loop
counters in one pass over the action items, the invitation rollup in one over the invitations), against
DATABASE_URL (or the embedded database in DATA_DIR when the server is not running):

  check     report every rollup row that differs from a recount; changes nothing
  rebuild   recompute every rollup from the raw rows, reporting what differed; safe while the
            server runs on PostgreSQL (each chunk briefly holds writers back; when the closed-loop
            counters differ, writers of action items wait for their whole recount)

Exit code: 0 when the rollups were exact, 3 when differences were found (and fixed by rebuild).`;

const describe = (d: RollupDifference) =>
  d.table === 'response_themes'
    ? `  response_themes ${JSON.stringify(d.key)}: its copy of the response's time, score, department or survey is out of date`
    : `  ${d.table} ${JSON.stringify(d.key)}: stored ${JSON.stringify(d.stored)}, recounted ${JSON.stringify(d.recounted)}`;

/** The whole command; returns the exit code. */
export async function runRollups(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, print: (line: string) => void = console.log): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h') {
    print(USAGE);
    return 0;
  }
  if ((command !== 'check' && command !== 'rebuild') || rest.length) {
    print(USAGE);
    return 2;
  }
  const opened = await openForCli(env, print);
  if (typeof opened === 'number') return opened;
  const { db } = opened;
  try {
    const started = Date.now();
    const ds = db.dataSource;
    const diffs =
      command === 'check'
        ? await compareRollups(ds)
        : await rebuildRollups({ query: (sql, params) => ds.query(sql, params), transaction: (fn) => ds.transaction((em) => fn(em)) }, {
            onChunk: (done, total) => process.stderr.isTTY && process.stderr.write(`\r  ${done}/${total} chunks`),
          });
    if (process.stderr.isTTY && command === 'rebuild') process.stderr.write('\n');
    const closedLoop =
      command === 'check'
        ? await compareClosedLoopCounters(ds)
        : await rebuildClosedLoopCounters({ transaction: (fn) => ds.transaction((em) => fn(em)) });
    const invitations =
      command === 'check' ? await compareInvitationRollup(ds) : await rebuildInvitationRollup({ transaction: (fn) => ds.transaction((em) => fn(em)) });
    const lines = [
      ...diffs.map(describe),
      ...[...closedLoop, ...invitations].map((c) => `  ${c.table}: ${c.side === 'stored' ? 'stored, not in the recount' : 'recounted, not stored'}: ${JSON.stringify(c.row)}`),
    ];
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (!lines.length) {
      print(`Rollups, closed-loop counters and invitation rollup exact (${command}, ${seconds} s).`);
      return 0;
    }
    print(`${lines.length} rollup, closed-loop counter or invitation rollup rows differed from a recount of the raw rows${command === 'rebuild' ? ' (now fixed)' : ''} (${seconds} s):`);
    for (const line of lines.slice(0, 50)) print(line);
    if (lines.length > 50) print(`  ... and ${lines.length - 50} more`);
    return 3;
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  runRollups(process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch((err) => {
      console.error('Rollups command failed:', err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
