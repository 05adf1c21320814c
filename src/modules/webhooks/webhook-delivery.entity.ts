import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation, UpdateDateColumn } from 'typeorm';
import type { WebhookEndpoint } from './webhook-endpoint.entity';
import type { OutboxEvent } from './outbox-event.entity';

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'PENDING: waiting for its first or next attempt. DELIVERED: the endpoint answered 2xx. FAILED: gave up after the maximum number of attempts.',
});

@ObjectType({ description: 'One event sent to one endpoint: the delivery log. Its id is the webhook-id header, the same on every retry.' })
@Entity('webhook_deliveries')
@Check('webhook_deliveries_status_valid', `"status" IN ('PENDING', 'DELIVERED', 'FAILED')`)
@Check('webhook_deliveries_attempts_nonnegative', '"attempts" >= 0')
@Index('webhook_deliveries_endpoint_event_key', ['endpointId', 'eventId'], { unique: true })
@Index('webhook_deliveries_due_idx', ['nextAttemptAt'], { where: `"status" = 'PENDING'` })
@Index('webhook_deliveries_pending_order_idx', ['endpointId', 'aggregateId', 'eventSeq'], { where: `"status" = 'PENDING'` })
@Index('webhook_deliveries_created_at_id_idx', ['createdAt', 'id'])
@Index('webhook_deliveries_endpoint_created_idx', ['endpointId', 'createdAt', 'id'])
// Retention purge: finished deliveries, oldest last change first (migration 1764000600000).
@Index('webhook_deliveries_final_updated_idx', ['updatedAt', 'id'], { where: `"status" <> 'PENDING'` })
export class WebhookDelivery {
  @Field(() => ID, { description: 'Sent as the webhook-id header; receivers deduplicate on it.' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  endpointId: string;

  @ManyToOne('WebhookEndpoint', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'endpoint_id' })
  endpoint?: Relation<WebhookEndpoint>;

  @Field(() => ID, { description: 'The outbox event delivered.' })
  @Index('webhook_deliveries_event_id_idx')
  @Column('uuid')
  eventId: string;

  @ManyToOne('OutboxEvent', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'event_id' })
  event?: Relation<OutboxEvent>;

  @Field({ description: 'The event type, e.g. response.detractor.' })
  @Column('text')
  eventType: string;

  @Field(() => ID, { nullable: true, description: 'The item the event is about (response or action item); deliveries of one item keep their order.' })
  @Column({ type: 'uuid', nullable: true })
  aggregateId: string | null;

  /** The event's outbox sequence number (orders deliveries of one item). */
  @Column('bigint')
  eventSeq: string;

  @Field(() => WebhookDeliveryStatus)
  @Column({ type: 'text', default: WebhookDeliveryStatus.PENDING })
  status: WebhookDeliveryStatus;

  @Field(() => Int, { description: 'Attempts made since the delivery was created or last redelivered (the retry budget counts these); attemptLog keeps every attempt ever made.' })
  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Field(() => Date, { nullable: true, description: 'When the next attempt is due (PENDING only).' })
  @Column({ type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null;

  @Field(() => Int, { nullable: true, description: 'HTTP status of the last attempt; null when no answer came (refused, timeout).' })
  @Column({ type: 'int', nullable: true })
  lastStatusCode: number | null;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed, in short.' })
  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
