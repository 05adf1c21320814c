import type { AppDeps } from '../../context';
import type { Logger } from '../../common/logging';
import type { Services } from '../../services';
import { BackoffPolicy, backoffDelayMs } from './backoff';
import { AttemptOutcome, ClaimedDelivery, DeliveryQueue, NextState } from './delivery-queue';
import { postOnce, signRequest } from './delivery-sender';
import { WebhookFormat } from './webhook-endpoint.entity';
import { WebhookDeliveryStatus } from './webhook-delivery.entity';
import { detractorSlackMessage } from './slack-message';

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
  /** The clock; tests replace it. */
  now?: () => Date;
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

export interface WebhookWorker {
  /** One poll: fan out new events, then attempt one batch of due deliveries. Serialised with the loop. */
  runOnce(): Promise<WebhookRunStats>;
  /** Stops polling; resolves once the attempt in flight is finished and recorded. */
  stop(): Promise<void>;
}

interface Settings {
  pollIntervalMs: number;
  batchSize: number;
  maxAttempts: number;
  backoff: BackoffPolicy;
  timeoutMs: number;
  leaseMs: number;
  now: () => Date;
}

function settings(opts: WebhookWorkerOptions): Settings {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return {
    pollIntervalMs: opts.pollIntervalMs ?? 500,
    batchSize: opts.batchSize ?? 20,
    maxAttempts: opts.maxAttempts ?? 12,
    backoff: { baseMs: 2_000, maxMs: 3_600_000, jitter: true, ...opts.backoff },
    timeoutMs,
    leaseMs: opts.leaseMs ?? timeoutMs + 30_000,
    now: opts.now ?? (() => new Date()),
  };
}

class Worker implements WebhookWorker {
  private readonly queue: DeliveryQueue;
  private readonly log: Logger;
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    deps: AppDeps,
    private readonly s: Settings,
  ) {
    this.queue = new DeliveryQueue(deps.ds);
    this.log = deps.logger.child({ component: 'webhooks' });
  }

  runOnce(): Promise<WebhookRunStats> {
    const run = this.chain.then(() => this.poll());
    this.chain = run.catch(() => undefined);
    return run;
  }

  startLoop(): void {
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
    this.schedule(busy ? 0 : this.s.pollIntervalMs);
  }

  private async poll(): Promise<WebhookRunStats> {
    const now = this.s.now();
    const fannedOut = await this.queue.fanOut(now);
    const claimed = await this.queue.claim(now, this.s.batchSize, new Date(now.getTime() + this.s.leaseMs));
    const stats: WebhookRunStats = { fannedOut, attempted: claimed.length, delivered: 0, retrying: 0, failed: 0 };
    const outcomes = await Promise.all(claimed.map((d) => this.attempt(d)));
    for (const status of outcomes) {
      if (status === WebhookDeliveryStatus.DELIVERED) stats.delivered++;
      else if (status === WebhookDeliveryStatus.FAILED) stats.failed++;
      else stats.retrying++;
    }
    return stats;
  }

  /** One attempt of one delivery, recorded; never throws. */
  private async attempt(d: ClaimedDelivery): Promise<WebhookDeliveryStatus> {
    const log = this.log.child({ deliveryId: d.id, endpointId: d.endpointId, eventType: d.eventType, attempt: d.attempts });
    try {
      const body = await this.body(d);
      const req = signRequest(d.secret, d.id, body, this.s.now());
      const outcome = await postOnce(d.url, req, this.s.timeoutMs, this.s.now);
      const next = this.nextState(d, outcome);
      const written = await this.queue.record(d, outcome, next);
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

  /** STANDARD: {type, timestamp, data}. SLACK: a readable {text} detractor alert. */
  private async body(d: ClaimedDelivery): Promise<string> {
    if (d.format === WebhookFormat.SLACK) {
      const p = d.payload as Record<string, any>;
      const responseId = typeof p.id === 'string' ? p.id : d.aggregateId;
      const row = responseId ? await this.queue.responseDetails(responseId) : null;
      return JSON.stringify(
        detractorSlackMessage({
          score: row?.score ?? (typeof p.score === 'number' ? p.score : null),
          comment: row ? row.comment : (p.comment ?? null),
          departmentName: row?.department_name ?? p.departmentName ?? p.departmentCode ?? null,
          surveyName: row?.survey_name ?? p.surveyName ?? p.surveyCode ?? null,
          channel: row?.channel ?? p.channel ?? null,
          touchpoint: row?.touchpoint ?? p.touchpoint ?? null,
        }),
      );
    }
    return JSON.stringify({ type: d.eventType, timestamp: d.eventCreatedAt.toISOString(), data: d.payload });
  }
}

/** A worker that polls only when told to (runOnce); for tests and one-off runs. */
export function createWebhookWorker(deps: AppDeps, _services: Services, opts: WebhookWorkerOptions = {}): WebhookWorker {
  return new Worker(deps, settings(opts));
}

/**
 * Starts delivering webhooks: polls the outbox and the delivery queue every `pollIntervalMs`
 * (immediately again after a poll that attempted something). Several API instances may each run one.
 * Call stop() before closing the database.
 */
export function startWebhookWorker(deps: AppDeps, _services: Services, opts: WebhookWorkerOptions = {}): WebhookWorker {
  const worker = new Worker(deps, settings(opts));
  worker.startLoop();
  return worker;
}
