import { performance } from 'node:perf_hooks';
import type { AppDeps, RequestContext } from '../../context';
import type { Logger } from '../../common/logging';
import type { Services } from '../../services';
import { systemContext } from '../../system-context';
import { BackoffPolicy, backoffDelayMs } from './backoff';
import { AttemptOutcome, ClaimedDelivery, DeliveryQueue, NextState } from './delivery-queue';
import { postOnce, signRequest } from './delivery-sender';
import { WebhookFormat } from './webhook-endpoint.entity';
import { claimScheduledRun, dueNow } from '../../db/scheduled-jobs';
import { WebhookDeliveryStatus } from './webhook-delivery.entity';
import { detractorSlackMessage, shiftSlackMessage, ShiftDetails } from './slack-message';
import { eventData, eventResponseId, mayReadVerbatims, responseContext } from './event-data';

export interface WebhookWorkerOptions {
  /** Pause between polls when there is nothing to do (default 500 ms). */
  pollIntervalMs?: number;
  /** Deliveries attempted concurrently per poll (default 20). */
  batchSize?: number;
  /** Attempts before a delivery is FAILED (default 12). */
  maxAttempts?: number;
  /** Exponential backoff: base 2 s doubling up to 1 h, with jitter, by default. */
  backoff?: Partial<BackoffPolicy>;
  /** Timeout of one HTTP attempt (default 10 s). */
  timeoutMs?: number;
  /** How long a claimed delivery is reserved for this worker (default timeout + 30 s). */
  leaseMs?: number;
  /** The clock; tests replace it. Also what the retention cutoff is measured from. */
  now?: () => Date;
  /**
   * Days finished (DELIVERED/FAILED) deliveries with their attempts, and dispatched outbox events,
   * are kept (default: config WEBHOOK_RETENTION_DAYS, 30).
   */
  retentionDays?: number;
  /** The polling loop purges every `purgeIntervalMs` (default 1 h) ... */
  purgeIntervalMs?: number;
  /** ... the first time this long after start (default 60 s). */
  purgeStartDelayMs?: number;
  /** Rows deleted per purge statement (default 1000). */
  purgeBatchSize?: number;
  /**
   * Statements per table in one purge (default 20): a larger backlog is left for the next purge,
   * which the loop then runs right after its next poll instead of an hour later.
   */
  purgeMaxBatches?: number;
}

/** What one poll did. */
export interface WebhookRunStats {
  /** Deliveries created from new outbox events. */
  fannedOut: number;
  /** Deliveries attempted. */
  attempted: number;
  delivered: number;
  /** Attempts that failed and will be retried. */
  retrying: number;
  /** Deliveries that reached the maximum attempts and are now FAILED. */
  failed: number;
}

/** What one retention purge deleted. */
export interface WebhookPurgeStats {
  /** DELIVERED or FAILED deliveries whose last change was older than the retention. */
  deliveries: number;
  /** Their attempts. */
  attempts: number;
  /** Outbox events older than the retention, already fanned out, that no delivery references. */
  events: number;
  /** False when the batch limit stopped it with more left to delete. */
  complete: boolean;
}

export interface WebhookWorker {
  /** One poll: fan out new events, then attempt one batch of due deliveries. Serialised with the loop. */
  runOnce(): Promise<WebhookRunStats>;
  /**
   * One retention purge (see WebhookWorkerOptions.retentionDays), in short batched statements.
   * Serialised with the loop; the loop calls it itself about once an hour.
   */
  purge(): Promise<WebhookPurgeStats>;
  /** Stops polling; resolves once the attempt in flight is finished and recorded. */
  stop(): Promise<void>;
  /** Scheduled purges this worker's loop claimed and ran (purge() called directly is not counted). */
  readonly purgesRun: number;
}

interface Settings {
  pollIntervalMs: number;
  batchSize: number;
  maxAttempts: number;
  backoff: BackoffPolicy;
  timeoutMs: number;
  leaseMs: number;
  now: () => Date;
  retentionDays: number;
  purgeIntervalMs: number;
  purgeStartDelayMs: number;
  purgeBatchSize: number;
  purgeMaxBatches: number;
}

const DAY_MS = 86_400_000;
/** The retention purge's row in scheduled_jobs. */
export const PURGE_JOB = 'webhook-retention-purge';

/** Runs `step` (which answers whether there is more) at most `max` times; false when more was left. */
async function inBatches(max: number, step: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < max; i++) if (!(await step())) return true;
  return false;
}

function settings(deps: AppDeps, opts: WebhookWorkerOptions): Settings {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const retentionDays = opts.retentionDays ?? deps.config.webhooks.retentionDays ?? 30;
  if (!(retentionDays > 0)) throw new Error(`webhook retentionDays must be positive, got ${retentionDays}`);
  return {
    pollIntervalMs: opts.pollIntervalMs ?? 500,
    batchSize: opts.batchSize ?? 20,
    maxAttempts: opts.maxAttempts ?? 12,
    backoff: { baseMs: 2_000, maxMs: 3_600_000, jitter: true, ...opts.backoff },
    timeoutMs,
    leaseMs: opts.leaseMs ?? timeoutMs + 30_000,
    now: opts.now ?? (() => new Date()),
    retentionDays,
    purgeIntervalMs: opts.purgeIntervalMs ?? 3_600_000,
    purgeStartDelayMs: opts.purgeStartDelayMs ?? 60_000,
    purgeBatchSize: opts.purgeBatchSize ?? 1_000,
    purgeMaxBatches: opts.purgeMaxBatches ?? 20,
  };
}

class Worker implements WebhookWorker {
  private readonly queue: DeliveryQueue;
  private readonly log: Logger;
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** performance.now() when the loop tries to claim the next purge (monotonic: wall-clock jumps do not matter). */
  private nextPurgeAt = Infinity;
  purgesRun = 0;

  constructor(
    deps: AppDeps,
    private readonly services: Services,
    private readonly s: Settings,
  ) {
    this.queue = new DeliveryQueue();
    this.log = deps.logger.child({ component: 'webhooks' });
  }

  /** A context of its own for each poll and purge, as for a request: the worker acts as the server. */
  private context(): RequestContext {
    return systemContext(this.services, { now: this.s.now, logger: this.log });
  }

  runOnce(): Promise<WebhookRunStats> {
    const run = this.chain.then(() => this.poll());
    this.chain = run.catch(() => undefined);
    return run;
  }

  purge(): Promise<WebhookPurgeStats> {
    const run = this.chain.then(() => this.purgeNow());
    this.chain = run.catch(() => undefined);
    return run;
  }

  startLoop(): void {
    this.nextPurgeAt = performance.now() + this.s.purgeStartDelayMs;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.chain;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    let busy = false;
    try {
      const stats = await this.runOnce();
      busy = stats.attempted > 0; // a delivered event may unblock the next one of its item
    } catch (err) {
      this.log.error({ err }, 'webhook poll failed');
    }
    if (!this.stopped && performance.now() >= this.nextPurgeAt) {
      // Once per schedule across instances: only the instance that claims the slot purges; the
      // others look again when the next slot is due.
      let nextInMs = this.s.purgeIntervalMs;
      try {
        const slot = await claimScheduledRun(this.context(), PURGE_JOB, this.s.purgeIntervalMs);
        nextInMs = slot.dueInMs;
        if (slot.claimed) {
          this.purgesRun++;
          const { complete } = await this.purge();
          // A backlog larger than one purge is worked off between polls, not an hour later.
          if (!complete) {
            await dueNow(this.context(), PURGE_JOB);
            nextInMs = 0;
          }
        }
      } catch (err) {
        this.log.error({ err }, 'webhook retention purge failed');
      }
      this.nextPurgeAt = performance.now() + nextInMs;
    }
    this.schedule(busy ? 0 : this.s.pollIntervalMs);
  }

  /**
   * Deliveries first, so events whose last delivery goes in this purge can go too. Each statement
   * deletes at most purgeBatchSize rows in its own short transaction: a large backlog never holds
   * one long transaction or lock.
   */
  private async purgeNow(): Promise<WebhookPurgeStats> {
    const started = performance.now();
    const ctx = this.context();
    const cutoff = new Date(this.s.now().getTime() - this.s.retentionDays * DAY_MS);
    const { purgeBatchSize: limit, purgeMaxBatches: maxBatches } = this.s;
    const stats: WebhookPurgeStats = { deliveries: 0, attempts: 0, events: 0, complete: true };
    const deliveriesDone = await inBatches(maxBatches, async () => {
      const n = await this.queue.purgeDeliveries(ctx, cutoff, limit);
      stats.deliveries += n.deliveries;
      stats.attempts += n.attempts;
      return n.deliveries === limit;
    });
    let after: { at: string; id: string } | null = null;
    const eventsDone = await inBatches(maxBatches, async () => {
      const n = await this.queue.purgeEvents(ctx, cutoff, limit, after);
      stats.events += n.events;
      after = n.next;
      return after !== null;
    });
    stats.complete = deliveriesDone && eventsDone;
    if (stats.deliveries || stats.attempts || stats.events) {
      const { deliveries, attempts, events, complete } = stats;
      this.log.info(
        { deliveries, attempts, events, complete, retentionDays: this.s.retentionDays, cutoff: cutoff.toISOString(), ms: Math.round(performance.now() - started) },
        'webhook retention purge',
      );
    }
    return stats;
  }

  private async poll(): Promise<WebhookRunStats> {
    const ctx = this.context();
    const now = this.s.now();
    const fannedOut = await this.queue.fanOut(ctx, now);
    const claimed = await this.queue.claim(ctx, now, this.s.batchSize, new Date(now.getTime() + this.s.leaseMs));
    const stats: WebhookRunStats = { fannedOut, attempted: claimed.length, delivered: 0, retrying: 0, failed: 0 };
    const outcomes = await Promise.all(claimed.map((d) => this.attempt(ctx, d)));
    for (const status of outcomes) {
      if (status === WebhookDeliveryStatus.DELIVERED) stats.delivered++;
      else if (status === WebhookDeliveryStatus.FAILED) stats.failed++;
      else stats.retrying++;
    }
    return stats;
  }

  /** One attempt of one delivery, recorded; never throws. */
  private async attempt(ctx: RequestContext, d: ClaimedDelivery): Promise<WebhookDeliveryStatus> {
    const log = this.log.child({ deliveryId: d.id, endpointId: d.endpointId, eventType: d.eventType, attempt: d.attempts });
    try {
      const body = await this.body(ctx, d);
      const req = signRequest(d.secret, d.id, body, this.s.now());
      const outcome = await postOnce(d.url, req, this.s.timeoutMs, this.s.now);
      const next = this.nextState(d, outcome);
      const written = await this.queue.record(ctx, d, outcome, next);
      if (!written) log.warn('delivery changed while it was being attempted (redelivered or lease expired); result not applied');
      if (outcome.succeeded) log.debug({ status: outcome.statusCode }, 'webhook delivered');
      else log.warn({ status: outcome.statusCode, error: outcome.error, next: next.status }, 'webhook attempt failed');
      return next.status;
    } catch (err) {
      // A database error: the lease expires and the delivery is attempted again.
      log.error({ err }, 'webhook attempt could not be recorded');
      return WebhookDeliveryStatus.PENDING;
    }
  }

  private nextState(d: ClaimedDelivery, outcome: AttemptOutcome): NextState {
    const at = this.s.now();
    if (outcome.succeeded) return { status: WebhookDeliveryStatus.DELIVERED, nextAttemptAt: null, deliveredAt: at };
    if (d.attempts >= this.s.maxAttempts) return { status: WebhookDeliveryStatus.FAILED, nextAttemptAt: null, deliveredAt: null };
    const delay = backoffDelayMs(this.s.backoff, d.attempts);
    return { status: WebhookDeliveryStatus.PENDING, nextAttemptAt: new Date(at.getTime() + delay), deliveredAt: null };
  }

  /**
   * STANDARD: {type, timestamp, data}, data shaped for the endpoint's role (event-data.ts). SLACK: a
   * readable {text} shift alert, or detractor alert quoting the verbatim only for a role that may read it.
   */
  private async body(ctx: RequestContext, d: ClaimedDelivery): Promise<string> {
    if (d.format === WebhookFormat.SLACK && d.eventType === 'nps.shift_detected') {
      return JSON.stringify(shiftSlackMessage(d.payload as unknown as ShiftDetails));
    }
    const p = d.payload as Record<string, any>;
    const responseId = eventResponseId(d.eventType, p, d.aggregateId);
    if (d.format === WebhookFormat.SLACK) {
      const row = responseId ? await this.queue.responseDetails(ctx, responseId) : null;
      const comment = mayReadVerbatims(d.role) ? (row ? row.comment : (p.comment ?? null)) : null;
      return JSON.stringify(
        detractorSlackMessage({
          score: row?.score ?? (typeof p.score === 'number' ? p.score : null),
          comment,
          commentWithheld: !mayReadVerbatims(d.role),
          departmentName: row?.department_name ?? p.departmentName ?? p.departmentCode ?? null,
          surveyName: row?.survey_name ?? p.surveyName ?? p.surveyCode ?? null,
          channel: row?.channel ?? p.channel ?? null,
          touchpoint: row?.touchpoint ?? p.touchpoint ?? null,
        }),
      );
    }
    const context = responseId ? await responseContext(ctx, responseId) : null;
    return JSON.stringify({ type: d.eventType, timestamp: d.eventCreatedAt.toISOString(), data: eventData(p, context, d.role) });
  }
}

/** A worker that polls and purges only when told to (runOnce, purge); for tests and one-off runs. */
export function createWebhookWorker(deps: AppDeps, services: Services, opts: WebhookWorkerOptions = {}): WebhookWorker {
  return new Worker(deps, services, settings(deps, opts));
}

/**
 * Starts delivering webhooks: polls the outbox and the delivery queue every `pollIntervalMs`
 * (immediately again after a poll that attempted something), and purges what is older than the
 * retention about once an hour (the first time `purgeStartDelayMs` after start). Several API
 * instances may each run one: deliveries are claimed with SKIP LOCKED and a lease (each event is
 * delivered once), and the purge runs once per schedule across them (scheduled_jobs).
 * Call stop() before closing the database.
 */
export function startWebhookWorker(deps: AppDeps, services: Services, opts: WebhookWorkerOptions = {}): WebhookWorker {
  const worker = new Worker(deps, services, settings(deps, opts));
  worker.startLoop();
  return worker;
}
