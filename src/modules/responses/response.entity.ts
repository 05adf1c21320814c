import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import type { Survey } from '../surveys/survey.entity';
import type { Customer } from '../customers/customer.entity';
import type { Department } from '../departments/department.entity';
import type { Person } from '../people/person.entity';

@ObjectType({ description: 'An answer to a follow-up question of a survey.' })
export class FollowUpAnswer {
  @Field()
  question: string;

  @Field()
  answer: string;
}

@ObjectType({ description: "One customer's answer to 'How likely are you to recommend us?' (0-10)." })
@Entity('responses')
@Check('responses_score_range', '"score" BETWEEN 0 AND 10')
// Covers dashboard aggregates over a period as index-only scans (migration 1764000500000); (respondedAt, id) orders lists.
@Index('responses_responded_at_covering_idx', ['respondedAt', 'id', 'score', 'departmentId', 'surveyId', 'channel', 'touchpoint', 'customerId', 'agentId'])
@Index('responses_department_responded_idx', ['departmentId', 'respondedAt'])
@Index('responses_survey_responded_idx', ['surveyId', 'respondedAt'])
// Created by SurveyInvitations1764002300000 with INCLUDE (survey_id, id), which TypeORM cannot declare: not synchronised.
@Index('responses_customer_responded_idx', { synchronize: false })
export class Response {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field({ description: 'Idempotency key from the source system; unique.' })
  @Index('responses_external_ref_key', { unique: true })
  @Column('text')
  externalRef: string;

  @Field(() => Int, { description: '0-10.' })
  @Column('smallint')
  score: number;

  @Field(() => String, { nullable: true, description: 'The verbatim. Needs READ_RESPONSES.' })
  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Field(() => [FollowUpAnswer], { description: "Answers to follow-up questions such as 'Why did you give that score?'. Needs READ_RESPONSES." })
  @Column({ type: 'jsonb', default: [] })
  followUpAnswers: FollowUpAnswer[];

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  channel: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  touchpoint: string | null;

  @Column('uuid')
  surveyId: string;

  @ManyToOne('Survey', { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'survey_id' })
  survey?: Relation<Survey>;

  @Index('responses_customer_id_idx')
  @Column({ type: 'uuid', nullable: true })
  customerId: string | null;

  @ManyToOne('Customer', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'customer_id' })
  customer?: Relation<Customer>;

  @Column({ type: 'uuid', nullable: true })
  departmentId: string | null;

  @ManyToOne('Department', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'department_id' })
  department?: Relation<Department>;

  @Index('responses_agent_id_idx')
  @Column({ type: 'uuid', nullable: true })
  agentId: string | null;

  @ManyToOne('Person', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'agent_id' })
  agent?: Relation<Person>;

  // The customer's segmentation attributes as they were when the response was stored (copied by a
  // trigger, migration 1764000700000): filters, breakdowns and rollups read these, not the customer.
  @Column({ type: 'text', nullable: true })
  region: string | null;

  @Column({ type: 'text', nullable: true })
  plan: string | null;

  @Column({ type: 'text', nullable: true })
  product: string | null;

  @Column({ type: 'text', nullable: true })
  signupChannel: string | null;

  @Field({ description: 'When the customer answered.' })
  @Column('timestamptz')
  respondedAt: Date;

  @Field(() => Int, { description: 'Starts at 1; every correction (correctResponses) adds 1. Send it as expectedVersion to correct the response.' })
  @Column({ type: 'integer', default: 1 })
  version: number;

  @Field({ description: 'When this server stored the response.' })
  @CreateDateColumn({ type: 'timestamptz' })
  receivedAt: Date;
}
