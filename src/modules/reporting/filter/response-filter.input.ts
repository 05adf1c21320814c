import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { ArrayMaxSize, IsInt, IsOptional, Max, Min } from 'class-validator';
import { SurveyKind } from '../../surveys/survey.entity';
import { NpsCategory } from '../nps-category';

const LIST = 'An empty list is the same as leaving the field out.';

/**
 * What a question is about. Every query that takes it goes through the one filter compiler
 * (filter-compiler.ts), so every screen agrees on what a filter means. All fields combine with AND;
 * the values of one list field combine with OR.
 */
@InputType({ description: 'Which responses a question covers. Fields combine with AND; values within a list with OR.' })
export class ResponseFilter {
  @Field(() => Date, { nullable: true, description: 'Inclusive.' })
  @IsOptional()
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Exclusive.' })
  @IsOptional()
  to?: Date | null;

  @Field(() => [ID], { nullable: true, description: `Each department counts with its whole subtree. ${LIST}` })
  @IsOptional()
  @ArrayMaxSize(500)
  departmentIds?: string[] | null;

  @Field(() => ID, { nullable: true, description: "A saved segment: its filter applies, narrowed by this one's other fields." })
  @IsOptional()
  segmentId?: string | null;

  @Field(() => [ID], { nullable: true, description: LIST })
  @IsOptional()
  @ArrayMaxSize(500)
  surveyIds?: string[] | null;

  @Field(() => SurveyKind, { nullable: true })
  @IsOptional()
  surveyKind?: SurveyKind | null;

  @Field(() => [String], { nullable: true, description: LIST })
  @IsOptional()
  @ArrayMaxSize(500)
  channels?: string[] | null;

  @Field(() => [String], { nullable: true, description: LIST })
  @IsOptional()
  @ArrayMaxSize(500)
  touchpoints?: string[] | null;

  @Field(() => [String], { nullable: true, description: `Customer region, as it was when the response was stored (a customer who changes later does not rewrite past figures). ${LIST}` })
  @IsOptional()
  @ArrayMaxSize(500)
  regions?: string[] | null;

  @Field(() => [String], { nullable: true, description: `Customer plan or tier, as it was when the response was stored (a customer who changes later does not rewrite past figures). ${LIST}` })
  @IsOptional()
  @ArrayMaxSize(500)
  plans?: string[] | null;

  @Field(() => [String], { nullable: true, description: `Customer signup channel, as it was when the response was stored (a customer who changes later does not rewrite past figures). ${LIST}` })
  @IsOptional()
  @ArrayMaxSize(500)
  signupChannels?: string[] | null;

  @Field(() => [String], { nullable: true, description: `Customer product, as it was when the response was stored (a customer who changes later does not rewrite past figures). ${LIST}` })
  @IsOptional()
  @ArrayMaxSize(500)
  products?: string[] | null;

  @Field(() => Int, { nullable: true, description: 'Customer tenure at the time of the response, in days, at least (inclusive).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  tenureMinDays?: number | null;

  @Field(() => Int, { nullable: true, description: 'Customer tenure at the time of the response, in days, less than (exclusive).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  tenureMaxDays?: number | null;

  @Field(() => Float, { nullable: true, description: "Customer spend, at least (inclusive): the customer's current spend." })
  @IsOptional()
  @Min(0)
  spendMin?: number | null;

  @Field(() => Float, { nullable: true, description: "Customer spend, less than (exclusive): the customer's current spend." })
  @IsOptional()
  @Min(0)
  spendMax?: number | null;

  @Field(() => [ID], { nullable: true, description: `Frontline people (agents) involved. ${LIST}` })
  @IsOptional()
  @ArrayMaxSize(500)
  agentIds?: string[] | null;

  @Field(() => [NpsCategory], { nullable: true, description: `Only these categories (for response lists). ${LIST}` })
  @IsOptional()
  categories?: NpsCategory[] | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only responses with a verbatim; false: only without.' })
  @IsOptional()
  hasComment?: boolean | null;

  @Field(() => Int, { nullable: true, description: 'Score at least (0-10).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  minScore?: number | null;

  @Field(() => Int, { nullable: true, description: 'Score at most (0-10).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  maxScore?: number | null;
}

/** The fields of ResponseFilter a saved segment may hold (all but segmentId). */
export const SEGMENT_FILTER_FIELDS = [
  'from', 'to', 'departmentIds', 'surveyIds', 'surveyKind', 'channels', 'touchpoints', 'regions', 'plans',
  'signupChannels', 'products', 'tenureMinDays', 'tenureMaxDays', 'spendMin', 'spendMax', 'agentIds',
  'categories', 'hasComment', 'minScore', 'maxScore',
] as const;
