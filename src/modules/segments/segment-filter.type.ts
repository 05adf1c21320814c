import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { SurveyKind } from '../surveys/survey.entity';
import { NpsCategory } from '../reporting/nps-category';
import { NormalizedFilter } from '../reporting/filter/normalize-filter';

/** A segment's saved filter as a readable object: the fields of ResponseFilter it holds (null when not set). */
@ObjectType({ description: "A segment's saved filter, field by field (null: not restricted). Same meaning as the ResponseFilter fields of the same name." })
export class SegmentFilter {
  @Field(() => Date, { nullable: true, description: 'Inclusive.' })
  from: Date | null;

  @Field(() => Date, { nullable: true, description: 'Exclusive.' })
  to: Date | null;

  @Field(() => [ID], { nullable: true, description: 'Each with its whole subtree.' })
  departmentIds: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Surveys (any of them).' })
  surveyIds: string[] | null;

  @Field(() => SurveyKind, { nullable: true, description: 'Only surveys of this kind.' })
  surveyKind: SurveyKind | null;

  @Field(() => [String], { nullable: true, description: 'Response channels (any of them).' })
  channels: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Response touchpoints (any of them).' })
  touchpoints: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Customer regions (any of them).' })
  regions: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Customer plans or tiers (any of them).' })
  plans: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Customer signup channels (any of them).' })
  signupChannels: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Customer products (any of them).' })
  products: string[] | null;

  @Field(() => Int, { nullable: true, description: 'Customer tenure at the time of the response, in days, at least.' })
  tenureMinDays: number | null;

  @Field(() => Int, { nullable: true, description: 'Customer tenure at the time of the response, in days, less than.' })
  tenureMaxDays: number | null;

  @Field(() => Float, { nullable: true, description: 'Customer spend, at least.' })
  spendMin: number | null;

  @Field(() => Float, { nullable: true, description: 'Customer spend, less than.' })
  spendMax: number | null;

  @Field(() => [ID], { nullable: true, description: 'Frontline people involved (any of them).' })
  agentIds: string[] | null;

  @Field(() => [NpsCategory], { nullable: true, description: 'Only these categories.' })
  categories: NpsCategory[] | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only responses with a verbatim; false: only without.' })
  hasComment: boolean | null;

  @Field(() => Int, { nullable: true, description: 'Score at least (0-10).' })
  minScore: number | null;

  @Field(() => Int, { nullable: true, description: 'Score at most (0-10).' })
  maxScore: number | null;

  static from(f: NormalizedFilter): SegmentFilter {
    return Object.assign(new SegmentFilter(), {
      from: f.from ?? null,
      to: f.to ?? null,
      departmentIds: f.departmentIds ?? null,
      surveyIds: f.surveyIds ?? null,
      surveyKind: f.surveyKind ?? null,
      channels: f.channels ?? null,
      touchpoints: f.touchpoints ?? null,
      regions: f.regions ?? null,
      plans: f.plans ?? null,
      signupChannels: f.signupChannels ?? null,
      products: f.products ?? null,
      tenureMinDays: f.tenureMinDays ?? null,
      tenureMaxDays: f.tenureMaxDays ?? null,
      spendMin: f.spendMin ?? null,
      spendMax: f.spendMax ?? null,
      agentIds: f.agentIds ?? null,
      categories: f.categories ?? null,
      hasComment: f.hasComment ?? null,
      minScore: f.minScore ?? null,
      maxScore: f.maxScore ?? null,
    });
  }
}
