import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export enum SurveyKind {
  RELATIONSHIP = 'RELATIONSHIP',
  TRANSACTIONAL = 'TRANSACTIONAL',
}
registerEnumType(SurveyKind, {
  name: 'SurveyKind',
  description: 'RELATIONSHIP: sent on a cadence about the whole relationship. TRANSACTIONAL: sent after a touchpoint.',
});

@ObjectType({ description: 'A survey that asks the NPS question.' })
@Entity('surveys')
@Check('surveys_kind_valid', `"kind" IN ('RELATIONSHIP', 'TRANSACTIONAL')`)
@Check('surveys_cadence_positive', '"cadence_days" IS NULL OR "cadence_days" > 0')
@Check('surveys_threshold_range', '"follow_up_threshold" BETWEEN 0 AND 10')
export class Survey {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field({ description: 'Stable business key, unique.' })
  @Index('surveys_code_key', { unique: true })
  @Column('text')
  code: string;

  @Field()
  @Column('text')
  name: string;

  @Field(() => SurveyKind)
  @Column('text')
  kind: SurveyKind;

  @Field(() => String, { nullable: true, description: 'Default channel the survey is sent through.' })
  @Column({ type: 'text', nullable: true })
  channel: string | null;

  @Field(() => Int, { nullable: true, description: 'For relationship surveys: days between sends.' })
  @Column({ type: 'int', nullable: true })
  cadenceDays: number | null;

  @Field({ description: 'Whether a detractor answer opens a follow-up action item automatically.' })
  @Column({ type: 'boolean', default: true })
  autoFollowUp: boolean;

  @Field(() => Int, { description: 'Scores at or below this open a follow-up (default 6: every detractor).' })
  @Column({ type: 'int', default: 6 })
  followUpThreshold: number;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
