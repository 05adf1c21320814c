import type { AppDeps } from '../../context';
import type { Services } from '../../services';
import { systemContext } from '../../system-context';
import { isLockConflict, runRetagBatch } from './tagging-jobs';

export interface ThemeTaggingWorker {
  /** Runs batches until nothing is left (serialised with the loop); returns how many batches ran. */
  drain(): Promise<number>;
  /** Stops the loop; resolves once the batch in flight has committed. */
  stop(): Promise<void>;
}

/**
 * Re-tags stored responses in the background after the themes change: polls for an unfinished job
 * every `pollIntervalMs` (and at once when this process queues one), then runs its batches one
 * after another, each a short transaction, yielding between them so requests keep flowing. Several
 * API instances may each run one: a batch locks its job row (SKIP LOCKED), so they take turns.
 */
export function startThemeTaggingWorker(deps: AppDeps, services: Services, opts: { pollIntervalMs: number; batchSize: number }): ThemeTaggingWorker {
  const log = deps.logger.child({ worker: 'theme-tagging' });
  let stopped = false;
  let running: Promise<number> | null = null;
  let timer: NodeJS.Timeout | null = null;

  const drainOnce = async (): Promise<number> => {
    let batches = 0;
    while (!stopped) {
      let job;
      try {
        job = await runRetagBatch(systemContext(services), services.themes.cache, opts.batchSize);
      } catch (err) {
        if (!isLockConflict(err)) throw err;
        // A writer held what the batch needed: it rolled back; run it again shortly.
        log.debug({ err }, 're-tagging batch yielded to a writer');
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      if (!job) break;
      batches++;
      if (job.status !== 'RUNNING') log.info({ jobId: job.id, status: job.status, processed: job.processed, changed: job.changed }, 're-tagging finished');
      await new Promise((resolve) => setImmediate(resolve));
    }
    return batches;
  };
  const drain = (): Promise<number> => {
    running ??= drainOnce().finally(() => {
      running = null;
    });
    return running;
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      drain()
        .catch((err) => log.error({ err }, 're-tagging batch failed; retrying at the next poll'))
        .finally(() => schedule(opts.pollIntervalMs));
    }, ms);
    timer.unref();
  };
  const wake = () => {
    if (!stopped && !running) {
      if (timer) clearTimeout(timer);
      schedule(0);
    }
  };
  services.themes.onQueued(wake);
  schedule(0);
  return {
    drain,
    async stop() {
      stopped = true;
      services.themes.offQueued(wake);
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
