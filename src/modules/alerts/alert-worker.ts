import type { AppDeps } from '../../context';
import type { Services } from '../../services';
import { systemContext } from '../../system-context';
import { AlertEvaluationStats, evaluateAlertRules } from './alert-evaluator';

export interface AlertWorker {
  /** One evaluation run (serialised with the loop). */
  runOnce(): Promise<AlertEvaluationStats>;
  /** Stops the loop; resolves once the run in flight has committed. */
  stop(): Promise<void>;
}

export interface AlertWorkerOptions {
  pollIntervalMs: number;
  graceMs: number;
  q: number;
  now?: () => Date;
  /** The first run this long after start (default 30 s, or the poll interval if shorter), not during start-up. */
  startDelayMs?: number;
}

/**
 * Evaluates the alert rules on schedule: every `pollIntervalMs` it runs evaluateAlertRules, which
 * tests each family (rules sharing a window unit and zone) once its last complete window is
 * `graceMs` old and has not been evaluated yet, and does nothing otherwise (one small query).
 * Several API instances may each run one: the window claim in alert_evaluations (and the unique
 * alert per rule and window) make a window evaluated once, whoever gets there first.
 */
export function startAlertWorker(deps: AppDeps, services: Services, opts: AlertWorkerOptions): AlertWorker {
  const log = deps.logger.child({ worker: 'alerts' });
  let stopped = false;
  let chain: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;

  const runOnce = (): Promise<AlertEvaluationStats> => {
    const run = chain.then(() => evaluateAlertRules(systemContext(services, { now: opts.now, logger: log }), { graceMs: opts.graceMs, q: opts.q }));
    chain = run.catch(() => undefined);
    return run;
  };
  const tick = async () => {
    try {
      const stats = await runOnce();
      if (stats.families) log.info(stats, 'alert rules evaluated');
    } catch (err) {
      log.error({ err }, 'alert evaluation failed');
    }
    if (!stopped) {
      timer = setTimeout(() => void tick(), opts.pollIntervalMs);
      timer.unref();
    }
  };
  timer = setTimeout(() => void tick(), opts.startDelayMs ?? Math.min(30_000, opts.pollIntervalMs));
  timer.unref();
  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await chain;
    },
  };
}
