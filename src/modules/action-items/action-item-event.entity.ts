import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import type { ActionItem } from './action-item.entity';

@ObjectType({ description: 'One change of an action item: who, when, which field, from, to, note.' })
@Entity('action_item_events')
@Index('action_item_events_item_at_idx', ['actionItemId', 'at'])
export class ActionItemEvent {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  actionItemId: string;

  @ManyToOne('ActionItem', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'action_item_id' })
  actionItem?: Relation<ActionItem>;

  @Field({ description: 'Who made the change (API key name, or "system").' })
  @Column('text')
  actor: string;

  @Field({ description: 'When the change was made.' })
  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;

  @Field({ description: 'created, status, assignee, title, priority, dueAt or description.' })
  @Column('text')
  field: string;

  @Field(() => String, { nullable: true, description: 'The value before (a status, a person id, an ISO date-time...); null for created.' })
  @Column({ type: 'text', nullable: true })
  fromValue: string | null;

  @Field(() => String, { nullable: true, description: 'The value after; for created, the values the item was created with (JSON).' })
  @Column({ type: 'text', nullable: true })
  toValue: string | null;

  @Field(() => String, { nullable: true, description: 'The note sent with the change.' })
  @Column({ type: 'text', nullable: true })
  note: string | null;
}
