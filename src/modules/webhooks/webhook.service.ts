import type { RequestContext, ServiceDeps } from '../../context';
import { conflict, notFound } from '../../common/errors';
import { decodeCursor, pageSize, toConnection } from '../../common/pagination';
import { Permission } from '../auth/permissions';
import type { Services } from '../../services';
import { transaction } from '../../transaction';
import { EVENT_TYPES } from './outbox-event.entity';
import { WebhookEndpoint, WebhookFormat } from './webhook-endpoint.entity';
import { WebhookDelivery, WebhookDeliveryStatus } from './webhook-delivery.entity';
import { CreateWebhookEndpointInput, UpdateWebhookEndpointInput } from './webhook.inputs';
import { CreateWebhookEndpointPayload, WebhookDeliveryConnection } from './webhook.types';
import { checkEventTypes, checkFormatAllows, checkRole, checkSecret, checkUrl } from './webhook-rules';
import { Role } from '../auth/viewer';
import { generateSecret } from './signature';

export interface DeliveryListArgs {
  endpointId?: string;
  status?: WebhookDeliveryStatus | null;
  first?: number | null;
  after?: string | null;
}

/** Admin API of webhooks: endpoints, the delivery log and redelivery. The worker does the sending. */
export class WebhookService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {}

  eventTypes(ctx: RequestContext): string[] {
    this.services.access.require(ctx, Permission.ADMIN_WEBHOOKS);
    return [...EVENT_TYPES];
  }

  async list(ctx: RequestContext): Promise<WebhookEndpoint[]> {
    this.services.access.require(ctx, Permission.ADMIN_WEBHOOKS);
    return ctx.em.getRepository(WebhookEndpoint).find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async byId(ctx: RequestContext, id: string): Promise<WebhookEndpoint> {
    this.services.access.require(ctx, Permission.ADMIN_WEBHOOKS);
    const endpoint = await ctx.loaders.webhookEndpoint.load(id);
    if (!endpoint) throw notFound('Webhook endpoint', id, 'id');
    return endpoint;
  }

  /** Creates an endpoint; it receives events committed from now on. The secret is returned only here. */
  async create(ctx: RequestContext, input: CreateWebhookEndpointInput): Promise<CreateWebhookEndpointPayload> {
    this.services.access.require(ctx, Permission.ADMIN_WEBHOOKS);
    const url = checkUrl(input.url);
    const eventTypes = checkEventTypes(input.eventTypes);
    const format = input.format ?? WebhookFormat.STANDARD;
    const role = checkRole(input.role ?? Role.INTEGRATION);
    checkFormatAllows(format, eventTypes);
    const secret = input.secret === null || input.secret === undefined ? generateSecret() : checkSecret(input.secret);
    const repo = ctx.em.getRepository(WebhookEndpoint);
    const inserted = await repo
      .createQueryBuilder()
      .insert()
      .values({ url, eventTypes, secret, format, role, active: input.active ?? true, fanoutSnapshot: () => 'pg_current_snapshot()::text' })
      .returning(['id'])
      .execute();
    const endpoint = await repo.findOneByOrFail({ id: inserted.identifiers[0].id as string });
    return { endpoint, secret };
  }

  async update(ctx: RequestContext, id: string, input: UpdateWebhookEndpointInput): Promise<WebhookEndpoint> {
    this.services.access.require(ctx, Permission.ADMIN_WEBHOOKS);
    const url = input.url === null || input.url === undefined ? undefined : checkUrl(input.url);
    const eventTypes = input.eventTypes === null || input.eventTypes === undefined ? undefined : checkEventTypes(input.eventTypes);
    const secret = input.secret === null || input.secret === undefined ? undefined : checkSecret(input.secret);
    return transaction(ctx, async (ctx) => {
      const repo = ctx.em.getRepository(WebhookEndpoint);
      const endpoint = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!endpoint) throw notFound('Webhook endpoint', id, 'id');
      const format = input.format ?? endpoint.format;
      checkFormatAllows(format, eventTypes ?? endpoint.eventTypes);
      const resuming = input.active === true && !endpoint.active;
      if (url !== undefined) endpoint.url = url;
      if (eventTypes !== undefined) endpoint.eventTypes = eventTypes;
      if (secret !== undefined) endpoint.secret = secret;
      endpoint.format = format;
      if (input.role !== null && input.role !== undefined) endpoint.role = checkRole(input.role);
      if (input.active !== null && input.active !== undefined) endpoint.active = input.active;
      await repo.save(endpoint);
      // Resumed: events committed while it was inactive are not sent; fan-out starts from now.
      if (resuming) await ctx.em.query('UPDATE webhook_endpoints SET fanout_snapshot = pg_current_snapshot()::text WHERE id = $1', [id]);
      return repo.findOneByOrFail({ id });
    });
  }

  /** Deletes an endpoint with its delivery log; returns its id. */
  async delete(ctx: RequestContext, id: string): Promise<string> {
    this.services.access.require(ctx, Permission.ADMIN_WEBHOOKS);
    const rows: { id: string }[] = await ctx.em.query('WITH gone AS (DELETE FROM webhook_endpoints WHERE id = $1 RETURNING id) SELECT id FROM gone', [id]);
    if (!rows.length) throw notFound('Webhook endpoint', id, 'id');
    return id;
  }

  /** The delivery log, newest first, optionally for one endpoint and one status. */
  async deliveries(ctx: RequestContext, args: DeliveryListArgs): Promise<WebhookDeliveryConnection> {
    this.services.access.require(ctx, Permission.ADMIN_WEBHOOKS);
    const first = pageSize(args.first);
    const after = decodeCursor(args.after);
    if (args.endpointId && !(await ctx.loaders.webhookEndpoint.load(args.endpointId))) {
      throw notFound('Webhook endpoint', args.endpointId, 'endpointId');
    }
    const qb = ctx.em.getRepository(WebhookDelivery).createQueryBuilder('d');
    if (args.endpointId) qb.andWhere('d.endpoint_id = :endpointId', { endpointId: args.endpointId });
    if (args.status) qb.andWhere('d.status = :status', { status: args.status });
    const totalCount = await qb.clone().getCount();
    if (after) qb.andWhere('(d.created_at, d.id) < (:afterAt, :afterId)', { afterAt: after.at, afterId: after.id });
    const rows = await qb.orderBy('d.created_at', 'DESC').addOrderBy('d.id', 'DESC').limit(first + 1).getMany();
    return toConnection(rows, first, (d) => ({ at: d.createdAt, id: d.id }), totalCount);
  }

  /** Sends a DELIVERED or FAILED delivery again (same webhook-id, attempts counted afresh). */
  async redeliver(ctx: RequestContext, id: string): Promise<WebhookDelivery> {
    this.services.access.require(ctx, Permission.ADMIN_WEBHOOKS);
    const rows: { id: string }[] = await ctx.em.query(
      `WITH redo AS (
         UPDATE webhook_deliveries SET status = 'PENDING', attempts = 0, next_attempt_at = $2, delivered_at = NULL, updated_at = now()
         WHERE id = $1 AND status <> 'PENDING' RETURNING id)
       SELECT id FROM redo`,
      [id, ctx.now()],
    );
    const delivery = await ctx.em.getRepository(WebhookDelivery).findOneBy({ id });
    if (!delivery) throw notFound('Webhook delivery', id, 'deliveryId');
    if (!rows.length) throw conflict('This delivery is already pending; it will be attempted when due', { deliveryId: id });
    return delivery;
  }
}
