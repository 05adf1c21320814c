import type { DataSource } from 'typeorm';
import { WebhookFormat } from './webhook-endpoint.entity';
import { WebhookDeliveryStatus } from './webhook-delivery.entity';
import { SLACK_EVENT_TYPES } from './webhook-rules';

/** A delivery claimed for one attempt, with what sending it needs. */
export interface ClaimedDelivery {
  id: string;
  endpointId: string;
  /** Attempts in this round including the one being made. */
  attempts: number;
  eventId: string;
  eventType: string;
  aggregateId: string | null;
  eventCreatedAt: Date;
  payload: Record<string, unknown>;
  url: string;
  secret: string;
  format: WebhookFormat;
}

export interface AttemptOutcome {
  startedAt: Date;
  durationMs: number;
  succeeded: boolean;
  statusCode: number | null;
  error: string | null;
}

/** What becomes of a delivery after an attempt. */
export interface NextState {
  status: WebhookDeliveryStatus;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
}

/**
 * The SQL of the delivery pipeline. Safe with several workers on one database: fan-out is
 * idempotent (ON CONFLICT), claims use FOR UPDATE SKIP LOCKED plus a lease, and results are
 * written only by the claim that made the attempt.
 */
export class DeliveryQueue {
  constructor(private readonly ds: DataSource) {}

  /**
   * Turns outbox events into deliveries, one per matching active endpoint. Progress is kept per
   * endpoint as a database snapshot, not a seq high-water mark: an event is new when its writing
   * transaction was not yet visible in the endpoint's last snapshot. A transaction that took a low
   * seq and commits after a higher one is therefore still picked up, and a rolled-back one never is.
   */
  async fanOut(now: Date): Promise<number> {
    const [row] = await this.ds.query(
      `WITH eps AS (
         SELECT id, event_types, format, fanout_snapshot::pg_snapshot AS last
         FROM webhook_endpoints WHERE active
         FOR UPDATE SKIP LOCKED
       ), ins AS (
         INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, aggregate_id, event_seq, next_attempt_at, created_at, updated_at)
         SELECT eps.id, e.id, e.type, e.aggregate_id, e.seq, $1, $1, $1
         FROM eps JOIN outbox_events e
           ON e.txid >= pg_snapshot_xmin(eps.last)::text::bigint
          AND NOT pg_visible_in_snapshot(e.txid::text::xid8, eps.last)
          AND e.type = ANY(eps.event_types)
          AND (eps.format <> $2 OR e.type = ANY($3::text[]))
         ORDER BY e.seq
         ON CONFLICT (endpoint_id, event_id) DO NOTHING
         RETURNING 1
       ), advanced AS (
         UPDATE webhook_endpoints w SET fanout_snapshot = pg_current_snapshot()::text
         FROM eps WHERE w.id = eps.id AND w.fanout_snapshot <> pg_current_snapshot()::text
       )
       SELECT count(*)::int AS n FROM ins`,
      [now, WebhookFormat.SLACK, SLACK_EVENT_TYPES],
    );
    return row.n;
  }

  /**
   * Claims due deliveries for one attempt each. A delivery waits while an earlier event of the
   * same item (aggregate) for the same endpoint is still PENDING, so each item's events arrive in
   * order. The claim is a lease: next_attempt_at moves to `leaseUntil`, so a crashed worker's
   * deliveries are taken up again once it expires.
   */
  async claim(now: Date, limit: number, leaseUntil: Date): Promise<ClaimedDelivery[]> {
    const rows: Record<string, any>[] = await this.ds.query(
      `WITH picked AS (
         SELECT d.id FROM webhook_deliveries d
         JOIN webhook_endpoints ep ON ep.id = d.endpoint_id
         WHERE d.status = 'PENDING' AND d.next_attempt_at <= $1 AND ep.active
           AND NOT EXISTS (
             SELECT 1 FROM webhook_deliveries p
             WHERE p.endpoint_id = d.endpoint_id AND p.aggregate_id = d.aggregate_id
               AND p.status = 'PENDING' AND p.event_seq < d.event_seq)
         ORDER BY d.next_attempt_at, d.event_seq
         LIMIT $2
         FOR UPDATE OF d SKIP LOCKED
       ), claimed AS (
         UPDATE webhook_deliveries d
         SET attempts = d.attempts + 1, next_attempt_at = $3, last_attempt_at = $1, updated_at = now()
         FROM picked, webhook_endpoints ep, outbox_events e
         WHERE d.id = picked.id AND ep.id = d.endpoint_id AND e.id = d.event_id
         RETURNING d.id, d.endpoint_id, d.attempts, d.event_id, d.event_type, d.aggregate_id, d.event_seq,
                   e.created_at AS event_created_at, e.payload, ep.url, ep.secret, ep.format
       )
       SELECT * FROM claimed`,
      [now, limit, leaseUntil],
    );
    return rows
      .sort((a, b) => Number(a.event_seq) - Number(b.event_seq))
      .map((r) => ({
        id: r.id,
        endpointId: r.endpoint_id,
        attempts: r.attempts,
        eventId: r.event_id,
        eventType: r.event_type,
        aggregateId: r.aggregate_id,
        eventCreatedAt: new Date(r.event_created_at),
        payload: r.payload,
        url: r.url,
        secret: r.secret,
        format: r.format,
      }));
  }

  /**
   * Logs the attempt and moves the delivery on. The state changes only if this claim still owns
   * the delivery (same attempt count, still PENDING): a redelivery or a takeover after an expired
   * lease wins. Returns whether the state was written.
   */
  async record(claimed: ClaimedDelivery, outcome: AttemptOutcome, next: NextState): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `WITH log AS (
         INSERT INTO webhook_delivery_attempts (delivery_id, attempt, started_at, duration_ms, succeeded, status_code, error)
         SELECT $1, coalesce(max(a.attempt), 0) + 1, $2, $3, $4, $5, $6
         FROM webhook_delivery_attempts a WHERE a.delivery_id = $1
         HAVING EXISTS (SELECT 1 FROM webhook_deliveries WHERE id = $1)
       ), moved AS (
         UPDATE webhook_deliveries
         SET status = $7, next_attempt_at = $8, delivered_at = $9, last_status_code = $5, last_error = $6, updated_at = now()
         WHERE id = $1 AND status = 'PENDING' AND attempts = $10
         RETURNING id
       )
       SELECT id FROM moved`,
      [
        claimed.id,
        outcome.startedAt,
        outcome.durationMs,
        outcome.succeeded,
        outcome.statusCode,
        outcome.error,
        next.status,
        next.nextAttemptAt,
        next.deliveredAt,
        claimed.attempts,
      ],
    );
    return rows.length > 0;
  }

  /** Name, department and survey of a response, for a readable Slack alert. */
  async responseDetails(responseId: string): Promise<Record<string, any> | null> {
    const [row] = await this.ds.query(
      `SELECT r.score, r.comment, r.channel, r.touchpoint, s.name AS survey_name, d.name AS department_name
       FROM responses r JOIN surveys s ON s.id = r.survey_id LEFT JOIN departments d ON d.id = r.department_id
       WHERE r.id = $1`,
      [responseId],
    );
    return row ?? null;
  }
}
