import { Field, Float, ID, ObjectType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation, UpdateDateColumn } from 'typeorm';
import type { Department } from '../departments/department.entity';
import type { Segment } from '../segments/segment.entity';
import { SurveyKind } from '../surveys/survey.entity';

/**
 * An internal standard: the NPS a department (with its subtree) or a segment is expected to reach,
 * for one kind of survey or for any (surveyKind null). Exactly one of department and segment; at
 * most one standard per scope and kind (nps_standards_scope_key, UNIQUE NULLS NOT DISTINCT, made by
 * the migration: TypeORM cannot declare it).
 */
@ObjectType({ description: 'An internal NPS standard for a department (and its subtree) or a segment, for one kind of survey or any.' })
@Entity('nps_standards')
@Check('nps_standards_value_range', '"value" BETWEEN -100 AND 100')
@Check('nps_standards_survey_kind_valid', `"survey_kind" IS NULL OR "survey_kind" IN ('RELATIONSHIP', 'TRANSACTIONAL')`)
@Check('nps_standards_one_scope', 'num_nonnulls("department_id", "segment_id") = 1')
@Index('nps_standards_scope_key', { synchronize: false })
export class NpsStandard {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field({ description: 'A label for dashboards, e.g. "Support standard".' })
  @Column('text')
  name: string;

  @Field(() => String, { nullable: true, description: 'Free text: why this value, who agreed it.' })
  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Field(() => Float, { description: 'The NPS to reach, -100 to 100.' })
  @Column('double precision')
  value: number;

  @Field(() => SurveyKind, { nullable: true, description: 'Only for scores of this kind of survey; null: for any score of the scope.' })
  @Column({ type: 'text', nullable: true })
  surveyKind: SurveyKind | null;

  // Found through nps_standards_scope_key, which starts with department_id.
  @Column({ type: 'uuid', nullable: true })
  departmentId: string | null;

  @ManyToOne('Department', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'department_id' })
  department?: Relation<Department>;

  @Index('nps_standards_segment_id_idx')
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
}
