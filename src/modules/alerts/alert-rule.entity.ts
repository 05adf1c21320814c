import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation, UpdateDateColumn } from 'typeorm';
import type { Department } from '../departments/department.entity';
import type { Segment } from '../segments/segment.entity';

export enum AlertMetric {
  NPS = 'NPS',
  DETRACTOR_SHARE = 'DETRACTOR_SHARE',
  FOLLOW_UP_RATE = 'FOLLOW_UP_RATE',
}
registerEnumType(AlertMetric, {
  name: 'AlertMetric',
  description:
    'NPS (-100..100, adjusted-Wald test), DETRACTOR_SHARE (percent of responses) or FOLLOW_UP_RATE (percent of detractors followed up); shares and rates are tested on Agresti-Caffo adjusted proportions.',
});

export enum AlertWindow {
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}
registerEnumType(AlertWindow, { name: 'AlertWindow', description: 'WEEK: an ISO week, Monday 00:00 to Monday 00:00; MONTH: a calendar month; both in the rule\'s time zone.' });

export enum AlertComparison {
  PREVIOUS_WINDOW = 'PREVIOUS_WINDOW',
  SAME_WINDOW_LAST_YEAR = 'SAME_WINDOW_LAST_YEAR',
}
registerEnumType(AlertComparison, {
  name: 'AlertComparison',
  description: 'PREVIOUS_WINDOW: the week or month before. SAME_WINDOW_LAST_YEAR: the same ISO week number or month a year earlier (an ISO week 53 has none: not tested).',
});

@ObjectType({ description: 'A significant-shift alert rule: a metric over a scope, tested once per complete window against an earlier window.' })
@Entity('alert_rules')
@Check('alert_rules_metric_valid', `"metric" IN ('NPS','DETRACTOR_SHARE','FOLLOW_UP_RATE')`)
@Check('alert_rules_window_valid', `"window_unit" IN ('WEEK','MONTH')`)
@Check('alert_rules_compare_to_valid', `"compare_to" IN ('PREVIOUS_WINDOW','SAME_WINDOW_LAST_YEAR')`)
@Check('alert_rules_min_sample_positive', '"min_sample" >= 1')
export class AlertRule {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field()
  @Column('text')
  name: string;

  @Field(() => AlertMetric)
  @Column('text')
  metric: AlertMetric;

  @Index('alert_rules_department_id_idx')
  @Column({ type: 'uuid', nullable: true })
  departmentId: string | null;

  @ManyToOne('Department', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'department_id' })
  department?: Relation<Department>;

  @Index('alert_rules_segment_id_idx')
  @Column({ type: 'uuid', nullable: true })
  segmentId: string | null;

  @ManyToOne('Segment', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'segment_id' })
  segment?: Relation<Segment>;

  @Field(() => AlertWindow, { name: 'window', description: 'The window each evaluation judges.' })
  @Column('text')
  windowUnit: AlertWindow;

  @Field({ description: 'IANA time zone the windows are cut in.' })
  @Column('text')
  timeZone: string;

  @Field(() => AlertComparison)
  @Column('text')
  compareTo: AlertComparison;

  @Field(() => Int, { description: 'Both windows need at least this sample (responses; detractors for FOLLOW_UP_RATE) to be tested.' })
  @Column('int')
  minSample: number;

  @Field({ description: 'Inactive rules are not evaluated.' })
  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
