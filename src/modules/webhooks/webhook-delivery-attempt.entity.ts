import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import type { WebhookDelivery } from './webhook-delivery.entity';

@ObjectType({ description: 'One HTTP attempt of a delivery.' })
@Entity('webhook_delivery_attempts')
@Index('webhook_delivery_attempts_delivery_attempt_idx', ['deliveryId', 'attempt'])
export class WebhookDeliveryAttempt {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  deliveryId: string;

  @ManyToOne('WebhookDelivery', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'delivery_id' })
  delivery?: Relation<WebhookDelivery>;

  @Field(() => Int, { description: '1 for the first attempt, counting on across redeliveries.' })
  @Column('int')
  attempt: number;

  @Field()
  @Column('timestamptz')
  startedAt: Date;

  @Field(() => Int)
  @Column('int')
  durationMs: number;

  @Field({ description: 'The endpoint answered 2xx.' })
  @Column('boolean')
  succeeded: boolean;

  @Field(() => Int, { nullable: true, description: 'HTTP status; null when no answer came.' })
  @Column({ type: 'int', nullable: true })
  statusCode: number | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  error: string | null;
}
