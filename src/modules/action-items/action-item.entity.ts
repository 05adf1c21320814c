import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation, UpdateDateColumn } from 'typeorm';
import type { Response } from '../responses/response.entity';
import type { Department } from '../departments/department.entity';
import type { Person } from '../people/person.entity';

export enum ActionItemStatus {
  OPEN = 'OPEN',
  IN_PROGRESS = 'IN_PROGRESS',
  BLOCKED = 'BLOCKED',
  DONE = 'DONE',
  WONT_DO = 'WONT_DO',
}
registerEnumType(ActionItemStatus, {
  name: 'ActionItemStatus',
  description:
    'OPEN -> IN_PROGRESS, BLOCKED, DONE, WONT_DO. IN_PROGRESS -> OPEN, BLOCKED, DONE, WONT_DO. BLOCKED -> IN_PROGRESS, WONT_DO. DONE, WONT_DO (closed) -> OPEN, IN_PROGRESS (reopened). Other moves are BAD_USER_INPUT.',
});

export enum ActionItemPriority {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
  URGENT = 'URGENT',
}
registerEnumType(ActionItemPriority, { name: 'ActionItemPriority', description: 'Default MEDIUM.' });

@ObjectType({ description: 'A follow-up in the closed loop, usually of a detractor.' })
@Entity('action_items')
@Check('action_items_status_valid', `"status" IN ('OPEN','IN_PROGRESS','BLOCKED','DONE','WONT_DO')`)
@Check('action_items_priority_valid', `"priority" IN ('LOW','MEDIUM','HIGH','URGENT')`)
@Check('action_items_version_positive', '"version" >= 1')
@Index('action_items_status_due_idx', ['status', 'dueAt'])
@Index('action_items_created_at_id_idx', ['createdAt', 'id'])
@Index('action_items_auto_response_key', ['responseId'], { unique: true, where: '"auto_created"' })
// Created by SurveyInvitations1764002300000 for contactEligibility's follow-up rule (open items only); not synchronised.
@Index('action_items_open_response_idx', { synchronize: false })
export class ActionItem {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => String, { nullable: true, description: 'Key in the source system (e.g. the ticket id); unique.' })
  @Index('action_items_external_ref_key', { unique: true })
  @Column({ type: 'text', nullable: true })
  externalRef: string | null;

  @Field({ description: 'What is to be done.' })
  @Column('text')
  title: string;

  @Field(() => String, { nullable: true, description: 'Free-text details; empty on automatic follow-ups (the verbatim stays on the response, behind READ_RESPONSES).' })
  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Field(() => ActionItemStatus, { description: 'Where the item is in its lifecycle; see ActionItemStatus for the allowed moves.' })
  @Column({ type: 'text', default: ActionItemStatus.OPEN })
  status: ActionItemStatus;

  @Field(() => ActionItemPriority)
  @Column({ type: 'text', default: ActionItemPriority.MEDIUM })
  priority: ActionItemPriority;

  @Field(() => Int, { description: 'Increases by one on every change; send it back as expectedVersion.' })
  @Column({ type: 'int', default: 1 })
  version: number;

  @Field({ description: "Opened automatically for a response at or below its survey's follow-up threshold (a detractor by default)." })
  @Column({ type: 'boolean', default: false })
  autoCreated: boolean;

  @Index('action_items_response_id_idx')
  @Column({ type: 'uuid', nullable: true })
  responseId: string | null;

  @ManyToOne('Response', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'response_id' })
  response?: Relation<Response>;

  @Index('action_items_department_id_idx')
  @Column({ type: 'uuid', nullable: true })
  departmentId: string | null;

  @ManyToOne('Department', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'department_id' })
  department?: Relation<Department>;

  @Column({ type: 'uuid', nullable: true })
  ownerId: string | null;

  @ManyToOne('Person', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'owner_id' })
  owner?: Relation<Person>;

  @Index('action_items_assignee_id_idx')
  @Column({ type: 'uuid', nullable: true })
  assigneeId: string | null;

  @ManyToOne('Person', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'assignee_id' })
  assignee?: Relation<Person>;

  @Field(() => Date, { nullable: true, description: 'The SLA deadline.' })
  @Column({ type: 'timestamptz', nullable: true })
  dueAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the item first left OPEN (time to first action).' })
  @Column({ type: 'timestamptz', nullable: true })
  firstActionAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'Set when the item reaches DONE or WONT_DO; cleared when it is reopened.' })
  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Field({ description: 'When the item was opened.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field({ description: 'When the item last changed (version increased).' })
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
