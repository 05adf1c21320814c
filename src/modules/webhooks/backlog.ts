import type { RequestContext } from '../../context';

/** What waits to be delivered: for the metrics (src/common/metrics). */
export interface WebhookBacklog {
  /** PENDING deliveries: due now, waiting for a retry, or being attempted. */
  pending: number;
  /** Seconds since the oldest PENDING delivery was created; 0 when none is pending. */
  oldestPendingAgeSeconds: number;
}

/** One aggregate over the PENDING deliveries (a partial index holds exactly those rows). */
export async function webhookBacklog(ctx: RequestContext): Promise<WebhookBacklog> {
  const [row] = await ctx.em.query(
    `SELECT count(*)::int AS pending,
            COALESCE(EXTRACT(EPOCH FROM ($1::timestamptz - min(created_at))), 0)::float8 AS age
       FROM webhook_deliveries WHERE status = 'PENDING'`,
    [ctx.now()],
  );
  return { pending: row.pending, oldestPendingAgeSeconds: Math.max(0, Number(row.age)) };
}
