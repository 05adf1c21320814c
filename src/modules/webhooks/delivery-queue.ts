import type { RequestContext } from '../../context';
import { transaction } from '../../transaction';
import { WebhookFormat } from './webhook-endpoint.entity';
import { WebhookDeliveryStatus } from './webhook-delivery.entity';
import { SLACK_EVENT_TYPES } from './webhook-rules';
import type { Role } from '../auth/viewer';

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
  /** The endpoint's role: what the event may carry (event-data.ts). */
  role: Role;
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
 * written only by the claim that made the attempt. Each call runs on ctx.em: the worker's system
 * context (systemContext), one per poll or purge.
 */
export class DeliveryQueue {
  /**
   * Turns outbox events into deliveries, one per matching active endpoint. Progress is kept per
   * endpoint as a database snapshot, not a seq high-water mark: an event is new when its writing
   * transaction was not yet visible in the endpoint's last snapshot. A transaction that took a low
   * seq and commits after a higher one is therefore still picked up, and a rolled-back one never is.
   */
  async fanOut(ctx: RequestContext, now: Date): Promise<number> {
    const [row] = await ctx.em.query(
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
  async claim(ctx: RequestContext, now: Date, limit: number, leaseUntil: Date): Promise<ClaimedDelivery[]> {
    const rows: Record<string, any>[] = await ctx.em.query(
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
                   e.created_at AS event_created_at, e.payload, ep.url, ep.secret, ep.format, ep.role
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
        role: r.role,
      }));
  }

  /**
   * Logs the attempt and moves the delivery on. The state changes only if this claim still owns
   * the delivery (same attempt count, still PENDING): a redelivery or a takeover after an expired
   * lease wins. Returns whether the state was written.
   */
  async record(ctx: RequestContext, claimed: ClaimedDelivery, outcome: AttemptOutcome, next: NextState): Promise<boolean> {
    const rows: unknown[] = await ctx.em.query(
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

  /**
   * Retention, deliveries: deletes at most `limit` DELIVERED or FAILED deliveries whose last
   * change (updated_at) is before `cutoff`, with their attempts (deleted here rather than by the
   * FK cascade so they can be counted). PENDING deliveries are never touched, whatever their age;
   * rows locked by a concurrent redelivery are skipped, and a redelivered row is PENDING with a
   * fresh updated_at, so the recheck under FOR UPDATE leaves it alone. Served by
   * webhook_deliveries_final_updated_idx. One short statement: callers loop.
   */
  async purgeDeliveries(ctx: RequestContext, cutoff: Date, limit: number): Promise<{ deliveries: number; attempts: number }> {
    const [row] = await ctx.em.query(
      `WITH doomed AS (
         SELECT id FROM webhook_deliveries
         WHERE status <> 'PENDING' AND updated_at < $1
         ORDER BY updated_at, id
         LIMIT $2
         FOR UPDATE SKIP LOCKED
       ), attempts AS (
         DELETE FROM webhook_delivery_attempts a USING doomed WHERE a.delivery_id = doomed.id RETURNING 1
       ), deliveries AS (
         DELETE FROM webhook_deliveries d USING doomed WHERE d.id = doomed.id RETURNING 1
       )
       SELECT (SELECT count(*) FROM deliveries)::int AS deliveries, (SELECT count(*) FROM attempts)::int AS attempts`,
      [cutoff, limit],
    );
    return { deliveries: row.deliveries, attempts: row.attempts };
  }

  /**
   * Retention, outbox: deletes at most `limit` events created before `cutoff` that
   *  - no delivery references any more (pending or not: a retained delivery log row keeps its event,
   *    so redelivery and the claim's join still find the payload), and
   *  - fan-out has certainly passed: visible in the fan-out snapshot of every active endpoint. An
   *    inactive endpoint needs nothing (on resume it starts from the current snapshot). Fan-out
   *    reads events by snapshot visibility, not by a seq high-water mark, so removing events it has
   *    passed cannot move or break its position.
   * webhook_endpoints is locked in SHARE mode for this short transaction: an endpoint being created
   * or resumed (whose new snapshot may not yet show an event committed meanwhile) or a fan-out in
   * flight finishes first, so every fan-out position that counts is read.
   * Each call looks at the next `limit` old events in (created_at, id) order after `after` (an index
   * range, whatever the planner thinks of the filters), deletes those that qualify, and returns
   * where to continue (null after the last): each purge passes over the events that must stay once,
   * and no statement touches more than `limit` events.
   */
  async purgeEvents(
    ctx: RequestContext,
    cutoff: Date,
    limit: number,
    after: { at: string; id: string } | null,
  ): Promise<{ events: number; next: { at: string; id: string } | null }> {
    return transaction(ctx, async (ctx) => {
      await ctx.em.query(`SET LOCAL lock_timeout = '5s'`);
      await ctx.em.query('LOCK TABLE webhook_endpoints IN SHARE MODE');
      const [row] = await ctx.em.query(
        `WITH candidates AS MATERIALIZED (
           SELECT id, created_at, txid FROM outbox_events
           WHERE created_at < $1 AND (created_at, id) > ($3::timestamptz, $4::uuid)
           ORDER BY created_at, id
           LIMIT $2
         ), doomed AS (
           SELECT e.id FROM outbox_events e JOIN candidates c ON c.id = e.id
           WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = c.id)
             AND NOT EXISTS (
               SELECT 1 FROM webhook_endpoints ep
               WHERE ep.active AND NOT pg_visible_in_snapshot(c.txid::text::xid8, ep.fanout_snapshot::pg_snapshot))
           FOR UPDATE OF e SKIP LOCKED
         ), gone AS (
           DELETE FROM outbox_events e USING doomed WHERE e.id = doomed.id RETURNING 1
         ), last AS (
           SELECT created_at::text AS last_at, id::text AS last_id FROM candidates ORDER BY created_at DESC, id DESC LIMIT 1
         )
         SELECT (SELECT count(*) FROM gone)::int AS n, (SELECT count(*) FROM candidates)::int AS scanned, last.last_at, last.last_id
         FROM (SELECT 1) one LEFT JOIN last ON true`,
        [cutoff, limit, after?.at ?? '-infinity', after?.id ?? '00000000-0000-0000-0000-000000000000'],
      );
      const full = row.scanned >= limit && row.last_at !== null;
      return { events: row.n, next: full ? { at: row.last_at, id: row.last_id } : null };
    });
  }

  /** Name, department and survey of a response, for a readable Slack alert. */
  async responseDetails(ctx: RequestContext, responseId: string): Promise<Record<string, any> | null> {
    const [row] = await ctx.em.query(
      `SELECT r.score, r.comment, r.channel, r.touchpoint, s.name AS survey_name, d.name AS department_name
       FROM responses r JOIN surveys s ON s.id = r.survey_id LEFT JOIN departments d ON d.id = r.department_id
       WHERE r.id = $1`,
      [responseId],
    );
    return row ?? null;
  }
}
