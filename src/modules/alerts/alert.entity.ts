import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation, Unique } from 'typeorm';
import type { Department } from '../departments/department.entity';
import { AlertComparison, AlertMetric, AlertRule, AlertWindow } from './alert-rule.entity';

export enum AlertStatus {
  OPEN = 'OPEN',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  SNOOZED = 'SNOOZED',
  RESOLVED = 'RESOLVED',
}
registerEnumType(AlertStatus, { name: 'AlertStatus', description: 'OPEN when raised; ACKNOWLEDGED, SNOOZED (until snoozedUntil) or RESOLVED by a person.' });

export enum AlertDirection {
  UP = 'UP',
  DOWN = 'DOWN',
}
registerEnumType(AlertDirection, { name: 'AlertDirection', description: 'Which way the metric moved (for DETRACTOR_SHARE, UP is a worsening).' });

/**
 * One significant shift: raised at most once per rule and window (the unique constraint makes the
 * evaluation idempotent across restarts and concurrent workers), with the figures it was raised on.
 * department_id is the rule's at detection, kept for the MANAGER's scope.
 */
@ObjectType({ description: 'A significant shift of a rule\'s metric in one complete window, with the figures it was raised on.' })
@Entity('alerts')
@Unique('alerts_rule_window_key', ['ruleId', 'windowStart'])
@Index('alerts_detected_at_idx', ['detectedAt'])
@Check('alerts_status_valid', `"status" IN ('OPEN','ACKNOWLEDGED','SNOOZED','RESOLVED')`)
@Check('alerts_direction_valid', `"direction" IN ('UP','DOWN')`)
export class Alert {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  ruleId: string;

  @ManyToOne('AlertRule', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'rule_id' })
  rule?: Relation<AlertRule>;

  @Index('alerts_department_id_idx')
  @Column({ type: 'uuid', nullable: true })
  departmentId: string | null;

  @ManyToOne('Department', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'department_id' })
  department?: Relation<Department>;

  @Column({ type: 'uuid', nullable: true })
  segmentId: string | null;

  @Field(() => AlertMetric)
  @Column('text')
  metric: AlertMetric;

  @Field(() => AlertWindow, { name: 'window' })
  @Column('text')
  windowUnit: AlertWindow;

  @Field()
  @Column('text')
  timeZone: string;

  @Field(() => AlertComparison)
  @Column('text')
  compareTo: AlertComparison;

  @Field({ description: 'The window judged: start, inclusive.' })
  @Column('timestamptz')
  windowStart: Date;

  @Field({ description: 'The window judged: end, exclusive.' })
  @Column('timestamptz')
  windowEnd: Date;

  @Field()
  @Column('timestamptz')
  comparisonStart: Date;

  @Field()
  @Column('timestamptz')
  comparisonEnd: Date;

  @Field(() => AlertDirection)
  @Column('text')
  direction: AlertDirection;

  @Field(() => Float, { description: 'The metric in the comparison window (NPS points or percent).' })
  @Column('double precision')
  previousValue: number;

  @Field(() => Float, { description: 'The metric in the window judged.' })
  @Column('double precision')
  currentValue: number;

  @Field(() => Float, { description: 'currentValue - previousValue.' })
  @Column('double precision')
  delta: number;

  @Field(() => Int, { description: 'Sample of the comparison window: responses; detractors for FOLLOW_UP_RATE.' })
  @Column('int')
  previousSample: number;

  @Field(() => Int)
  @Column('int')
  currentSample: number;

  @Field(() => Float)
  @Column('double precision')
  zScore: number;

  @Field(() => Float, { description: 'Two-sided p-value of the rule\'s test.' })
  @Column('double precision')
  pValue: number;

  @Field(() => Float, { description: 'Benjamini-Hochberg adjusted p-value within the family (the rules tested for the same window); at most falseDiscoveryRate.' })
  @Column('double precision')
  adjustedPValue: number;

  @Field(() => Int, { description: 'How many rules were tested in the family.' })
  @Column('int')
  familySize: number;

  @Field(() => Float, { description: 'The false discovery rate the family was controlled at (q).' })
  @Column('double precision')
  falseDiscoveryRate: number;

  @Field(() => AlertStatus)
  @Column({ type: 'text', default: AlertStatus.OPEN })
  status: AlertStatus;

  @Field(() => Date, { nullable: true, description: 'SNOOZED until this instant; then it counts as OPEN again.' })
  @Column({ type: 'timestamptz', nullable: true })
  snoozedUntil: Date | null;

  @Field({ description: 'When the evaluation raised it.' })
  @Column('timestamptz')
  detectedAt: Date;
}
