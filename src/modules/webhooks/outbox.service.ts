import type { RequestContext } from '../../context';
import { EventType } from './outbox-event.entity';

export interface OutboxInput {
  type: EventType;
  /** The item the event is about (response or action item id): deliveries keep order per aggregate. */
  aggregateId: string | null;
  payload: Record<string, unknown>;
}

/**
 * Writes domain events to the outbox inside the caller's transaction (set-based, one statement):
 * ctx is the context transaction(ctx, fn) hands to fn, so the events commit or roll back with it.
 */
export class OutboxService {
  async enqueue(ctx: RequestContext, events: readonly OutboxInput[]): Promise<void> {
    if (!events.length) return;
    await ctx.em.query(
      `INSERT INTO outbox_events (type, aggregate_id, payload, txid)
       SELECT e.type, e.aggregate_id, e.payload, pg_current_xact_id()::text::bigint
       FROM jsonb_to_recordset($1::jsonb) AS e(type text, aggregate_id uuid, payload jsonb, ord int)
       ORDER BY e.ord`,
      [JSON.stringify(events.map((e, ord) => ({ type: e.type, aggregate_id: e.aggregateId, payload: e.payload, ord })))],
    );
  }
}
