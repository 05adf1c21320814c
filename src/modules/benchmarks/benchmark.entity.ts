import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { SurveyKind } from '../surveys/survey.entity';

/** The years a benchmark may carry (a published figure: not before 1990, not after 2100). */
export const BENCHMARK_YEARS = { min: 1990, max: 2100 } as const;

/**
 * An industry benchmark: a published NPS for an industry and a kind of survey. Relationship and
 * transactional NPS are not comparable, so a benchmark always says which kind it is for.
 * Unique by (name, industry, survey kind, year), names and industries compared case-insensitively
 * (benchmarks_identity_key, an expression index made by the migration: TypeORM cannot declare it).
 */
@ObjectType({ description: 'An industry benchmark: a published NPS for an industry and a kind of survey, from a source and a year.' })
@Entity('benchmarks')
@Check('benchmarks_value_range', '"value" BETWEEN -100 AND 100')
@Check('benchmarks_year_range', `"year" BETWEEN ${BENCHMARK_YEARS.min} AND ${BENCHMARK_YEARS.max}`)
@Check('benchmarks_survey_kind_valid', `"survey_kind" IN ('RELATIONSHIP', 'TRANSACTIONAL')`)
@Index('benchmarks_identity_key', { synchronize: false })
export class Benchmark {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field({ description: 'What the figure is, e.g. "B2B services, relationship NPS".' })
  @Column('text')
  name: string;

  @Field({ description: 'The industry it describes, as the source names it (compared case-insensitively).' })
  @Column('text')
  industry: string;

  @Field(() => SurveyKind, { description: 'The kind of survey the figure comes from; it applies only to scores of that kind.' })
  @Column('text')
  surveyKind: SurveyKind;

  @Field(() => Float, { description: 'The benchmark NPS, -100 to 100.' })
  @Column('double precision')
  value: number;

  @Field({ description: 'Where the figure comes from (publisher, study, panel).' })
  @Column('text')
  source: string;

  @Field(() => Int, { description: 'The year the figure describes.' })
  @Column('int')
  year: number;

  @Field(() => String, { nullable: true, description: 'Free text: sample, method, caveats.' })
  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
