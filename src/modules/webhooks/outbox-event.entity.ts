import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Domain event types that webhooks can subscribe to. */
export const EVENT_TYPES = [
  'response.stored',
  'response.detractor',
  'response.corrected',
  'response.deleted',
  'action_item.created',
  'action_item.changed',
  'customer.erased',
  'nps.shift_detected',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * The transactional outbox: an event is written in the same transaction as the change that caused
 * it, so a crash loses none. `seq` orders events; `aggregate_id` groups those of one item.
 */
@Entity('outbox_events')
@Index('outbox_events_aggregate_seq_idx', ['aggregateId', 'seq'])
// Retention purge: oldest events first, keyset-paged (migration 1764000600000).
@Index('outbox_events_created_at_id_idx', ['createdAt', 'id'])
export class OutboxEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('outbox_events_seq_key', { unique: true })
  @Column({ type: 'bigint', generatedIdentity: 'ALWAYS', generated: 'identity' })
  seq: string;

  @Column('text')
  type: EventType;

  @Column({ type: 'uuid', nullable: true })
  aggregateId: string | null;

  @Column('jsonb')
  payload: Record<string, unknown>;

  /**
   * The writing transaction's id (xid8 as bigint). Webhook fan-out reads events by transaction
   * visibility, not by seq: a seq taken by a transaction that commits later is never skipped.
   * Set by OutboxService.enqueue (no column default: TypeORM cannot compare a cast expression).
   */
  @Index('outbox_events_txid_idx')
  @Column('bigint')
  txid: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
