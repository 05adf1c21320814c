import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation, UpdateDateColumn } from 'typeorm';
import type { Person } from '../people/person.entity';
import type { Department } from '../departments/department.entity';
import type { Segment } from '../segments/segment.entity';

export enum KpiMetric {
  NPS = 'NPS',
  PROMOTER_SHARE = 'PROMOTER_SHARE',
  DETRACTOR_SHARE = 'DETRACTOR_SHARE',
  RESPONSE_COUNT = 'RESPONSE_COUNT',
  FOLLOW_UP_RATE = 'FOLLOW_UP_RATE',
  CLOSED_WITHIN_SLA_RATE = 'CLOSED_WITHIN_SLA_RATE',
}
registerEnumType(KpiMetric, {
  name: 'KpiMetric',
  description: 'Shares and rates are percentages (0-100); NPS is -100..100; RESPONSE_COUNT is a count.',
});

export enum KpiStatus {
  ON_TRACK = 'ON_TRACK',
  AT_RISK = 'AT_RISK',
  OFF_TRACK = 'OFF_TRACK',
  NO_DATA = 'NO_DATA',
}
registerEnumType(KpiStatus, {
  name: 'KpiStatus',
  description: 'ON_TRACK: target met. AT_RISK: missed by no more than the tolerance or the margin of error. OFF_TRACK: missed by more. NO_DATA: nothing to measure.',
});

@ObjectType({ description: 'A target an owner is accountable for: a metric over a scope and a period.' })
@Entity('kpi_targets')
@Check('kpi_targets_metric_valid', `"metric" IN ('NPS','PROMOTER_SHARE','DETRACTOR_SHARE','RESPONSE_COUNT','FOLLOW_UP_RATE','CLOSED_WITHIN_SLA_RATE')`)
@Check('kpi_targets_period_valid', '"period_end" > "period_start"')
@Check('kpi_targets_tolerance_nonnegative', '"tolerance" IS NULL OR "tolerance" >= 0')
@Index('kpi_targets_period_idx', ['periodStart', 'periodEnd'])
export class KpiTarget {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => String, { nullable: true, description: 'Optional label for dashboards, e.g. "EMEA support NPS H1".' })
  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Index('kpi_targets_owner_id_idx')
  @Column('uuid')
  ownerId: string;

  @ManyToOne('Person', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'owner_id' })
  owner?: Relation<Person>;

  @Field(() => KpiMetric, { description: 'What is measured over the scope and period.' })
  @Column('text')
  metric: KpiMetric;

  @Field(() => Float, {
    description: 'The value to reach, in the unit of the metric: NPS points (-100..100), percent (0..100) for shares and rates, a count for RESPONSE_COUNT. For DETRACTOR_SHARE it is a ceiling (lower is better).',
  })
  @Column('double precision')
  target: number;

  @Field(() => Float, { nullable: true, description: 'How far below target still counts as AT_RISK; a per-metric default when null.' })
  @Column({ type: 'double precision', nullable: true })
  tolerance: number | null;

  @Field({ description: 'Start of the period measured, inclusive.' })
  @Column('timestamptz')
  periodStart: Date;

  @Field({ description: 'End of the period measured, exclusive.' })
  @Column('timestamptz')
  periodEnd: Date;

  @Index('kpi_targets_department_id_idx')
  @Column({ type: 'uuid', nullable: true })
  departmentId: string | null;

  @ManyToOne('Department', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'department_id' })
  department?: Relation<Department>;

  @Column({ type: 'uuid', nullable: true })
  segmentId: string | null;

  @ManyToOne('Segment', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'segment_id' })
  segment?: Relation<Segment>;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  /**
   * Not stored: the instant this request asked the target's figures as of (the asOf argument of
   * kpiTargets, kpiTarget, scorecard or Person.targets, validated); undefined: live, as of the
   * request's now. Set on the instances a query returns, so their fields measure at that instant.
   */
  requestedAsOf?: Date;
}
