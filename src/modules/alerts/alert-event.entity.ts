import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import type { Alert } from './alert.entity';

/** The audit trail of an alert: raised, acknowledged, snoozed, resolved; who, when, with which note. */
@ObjectType({ description: 'One step of an alert\'s audit trail.' })
@Entity('alert_events')
@Index('alert_events_alert_at_idx', ['alertId', 'at'])
export class AlertEvent {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  alertId: string;

  @ManyToOne('Alert', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'alert_id' })
  alert?: Relation<Alert>;

  @Field({ description: 'DETECTED, ACKNOWLEDGED, SNOOZED or RESOLVED.' })
  @Column('text')
  action: string;

  @Field({ description: 'Who (API key name, or "system" for the evaluation).' })
  @Column('text')
  actor: string;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Field(() => Date, { nullable: true, description: 'For SNOOZED: until when.' })
  @Column({ type: 'timestamptz', nullable: true })
  snoozedUntil: Date | null;
}
