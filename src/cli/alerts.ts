import 'reflect-metadata';
import { openForCli } from './cli-database';
import { createLogger } from '../common/logging';
import { systemContext } from '../system-context';
import { evaluateAlertRules } from '../modules/alerts/alert-evaluator';

const USAGE = `Usage: npm run alerts -- evaluate [--at <ISO instant>] [--grace-ms <ms>]

Evaluates every active significant-shift alert rule once for its last complete window, as the
server's alert worker does on schedule (src/modules/alerts/alert-evaluator.ts), against
DATABASE_URL (or the embedded database in DATA_DIR when the server is not running). A window
already evaluated (by the worker or an earlier run) is not tested again. Prints what it did.

  --at        judge as of this instant instead of now (the windows complete by then)
  --grace-ms  wait this long after a window ends before testing it (default ALERTS_GRACE_MS)`;

/** The whole command; returns the exit code. */
export async function runAlerts(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, print: (line: string) => void = console.log): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h') {
    print(USAGE);
    return 0;
  }
  let at: Date | undefined;
  let graceMs: number | undefined;
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    if (flag === '--at' && value && Number.isFinite(new Date(value).getTime())) at = new Date(value);
    else if (flag === '--grace-ms' && value && /^\d+$/.test(value)) graceMs = Number(value);
    else {
      print(USAGE);
      return 2;
    }
  }
  if (command !== 'evaluate') {
    print(USAGE);
    return 2;
  }
  const opened = await openForCli(env, print);
  if (typeof opened === 'number') return opened;
  const { db, config } = opened;
  try {
    const logger = createLogger(config.logLevel);
    const deps = { ds: db.dataSource, config, logger, reports: db.reports };
    const ctx = systemContext(deps, { now: at ? () => at! : undefined, logger });
    const stats = await evaluateAlertRules(ctx, { graceMs: graceMs ?? config.alerts.graceMs, q: config.alerts.q });
    print(
      `Evaluated ${stats.families} window(s) (${stats.alreadyEvaluated} already evaluated): ${stats.rules} rule(s), ${stats.tests} tested, ${stats.alerts} alert(s) raised in ${stats.ms} ms`,
    );
    return 0;
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  runAlerts(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
