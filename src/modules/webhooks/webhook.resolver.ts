import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context';
import { parseId, parseOptionalId } from '../../common/ids';
import { loadRef } from '../../common/loader-factories';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookDelivery, WebhookDeliveryStatus } from './webhook-delivery.entity';
import { WebhookDeliveryAttempt } from './webhook-delivery-attempt.entity';
import { CreateWebhookEndpointInput, UpdateWebhookEndpointInput } from './webhook.inputs';
import { CreateWebhookEndpointPayload, WebhookDeliveryConnection } from './webhook.types';

@Resolver(() => WebhookEndpoint)
export class WebhookEndpointResolver {
  @Query(() => [WebhookEndpoint], { description: 'All webhook endpoints, oldest first (admin only).' })
  webhookEndpoints(@Ctx() ctx: RequestContext): Promise<WebhookEndpoint[]> {
    return ctx.services.webhooks.list(ctx);
  }

  @Query(() => [String], { description: 'The event types an endpoint can subscribe to.' })
  webhookEventTypes(@Ctx() ctx: RequestContext): string[] {
    return ctx.services.webhooks.eventTypes(ctx);
  }

  @Query(() => WebhookDeliveryConnection, { description: 'The delivery log, newest first (admin only).' })
  webhookDeliveries(
    @Ctx() ctx: RequestContext,
    @Arg('endpointId', () => ID, { nullable: true, description: 'Only deliveries to this endpoint.' }) endpointId?: string,
    @Arg('status', () => WebhookDeliveryStatus, { nullable: true, description: 'Only deliveries in this status.' }) status?: WebhookDeliveryStatus,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, default 50, at most 500.' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'endCursor of the previous page.' }) after?: string,
  ): Promise<WebhookDeliveryConnection> {
    return ctx.services.webhooks.deliveries(ctx, { endpointId: parseOptionalId(endpointId, 'endpointId'), status, first, after });
  }

  @Mutation(() => CreateWebhookEndpointPayload, { description: 'Registers an endpoint; it receives events committed from now on. The secret is returned only here.' })
  createWebhookEndpoint(@Ctx() ctx: RequestContext, @Arg('input') input: CreateWebhookEndpointInput): Promise<CreateWebhookEndpointPayload> {
    return ctx.services.webhooks.create(ctx, input);
  }

  @Mutation(() => WebhookEndpoint, { description: 'Changes an endpoint: URL, event types, format, secret (rotation), active.' })
  updateWebhookEndpoint(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateWebhookEndpointInput,
  ): Promise<WebhookEndpoint> {
    return ctx.services.webhooks.update(ctx, parseId(id, 'id'), input);
  }

  @Mutation(() => ID, { description: 'Deletes an endpoint and its delivery log; returns its id.' })
  deleteWebhookEndpoint(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<string> {
    return ctx.services.webhooks.delete(ctx, parseId(id, 'id'));
  }

  @Mutation(() => WebhookDelivery, { description: 'Sends a DELIVERED or FAILED delivery again, with the same webhook-id (receivers deduplicate on it).' })
  redeliverWebhook(@Ctx() ctx: RequestContext, @Arg('deliveryId', () => ID) deliveryId: string): Promise<WebhookDelivery> {
    return ctx.services.webhooks.redeliver(ctx, parseId(deliveryId, 'deliveryId'));
  }
}

@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver {
  @FieldResolver(() => WebhookEndpoint)
  async endpoint(@Ctx() ctx: RequestContext, @Root() delivery: WebhookDelivery): Promise<WebhookEndpoint | null> {
    return loadRef(ctx.loaders.webhookEndpoint, delivery.endpointId);
  }

  @FieldResolver(() => [WebhookDeliveryAttempt], { description: 'Every HTTP attempt, oldest first.' })
  attemptLog(@Ctx() ctx: RequestContext, @Root() delivery: WebhookDelivery): Promise<WebhookDeliveryAttempt[]> {
    return ctx.loaders.webhookDeliveryAttempts.load(delivery.id);
  }
}
