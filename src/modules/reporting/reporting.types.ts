import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { NpsScore, ScoreChange } from './nps-score.type';

export enum TrendInterval {
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
  QUARTER = 'QUARTER',
}
registerEnumType(TrendInterval, {
  name: 'TrendInterval',
  description: 'Length of a trend bucket. WEEK buckets are ISO weeks (Monday to Monday); QUARTER buckets start in January, April, July and October.',
});

export enum BreakdownDimension {
  CHANNEL = 'CHANNEL',
  TOUCHPOINT = 'TOUCHPOINT',
  REGION = 'REGION',
  PLAN = 'PLAN',
  SURVEY = 'SURVEY',
  SURVEY_KIND = 'SURVEY_KIND',
  AGENT = 'AGENT',
}
registerEnumType(BreakdownDimension, {
  name: 'BreakdownDimension',
  description:
    "What npsBreakdown groups by. CHANNEL, TOUCHPOINT: the response's. REGION, PLAN: the customer's, as they were when the response was stored. SURVEY, SURVEY_KIND: the survey's. AGENT: the frontline person involved.",
});

@ObjectType({ description: 'One time bucket of a trend.' })
export class TrendPoint {
  @Field({ description: "Start of the bucket (inclusive): the bucket boundary in the requested time zone, as an instant." })
  periodStart: Date;

  @Field({ description: 'End of the bucket (exclusive): the start of the next bucket.' })
  periodEnd: Date;

  @Field(() => NpsScore, { description: 'Responses in the bucket that match the filter (only those from filter.from to filter.to in a partial first or last bucket).' })
  score: NpsScore;

  @Field(() => ScoreChange, { nullable: true, description: 'Against the previous point of the same series; null for the first point.' })
  change: ScoreChange | null;
}

@ObjectType({ description: "A department's score over its whole subtree." })
export class DepartmentScore {
  /** Resolved through the department loader. */
  departmentId: string;

  @Field(() => NpsScore, { description: "Over the department's whole subtree: counts summed over every department below it, never averaged." })
  score: NpsScore;
}

@ObjectType({ description: 'The score of one value of a breakdown dimension.' })
export class NpsBreakdownItem {
  @Field(() => String, {
    nullable: true,
    description:
      'The value: a channel, touchpoint, region, plan or survey kind, or the id of the survey or agent. Null groups the responses that have no value (no channel, no customer region, no agent...).',
  })
  value: string | null;

  @Field(() => ID, { nullable: true, description: 'For SURVEY and AGENT: the id of the survey or person (same as value).' })
  id: string | null;

  @Field(() => NpsScore, { description: 'The responses with this value that match the filter.' })
  score: NpsScore;

  /** Which dimension the value belongs to (for the survey/agent field resolvers). */
  dimension: BreakdownDimension;
}

@ObjectType({ description: 'A period against the period of equal length immediately before it.' })
export class NpsComparison {
  @Field({ description: 'Start of the current period (filter.from), inclusive.' })
  currentFrom: Date;

  @Field({ description: 'End of the current period (filter.to), exclusive.' })
  currentTo: Date;

  @Field({ description: 'Start of the previous period: filter.from minus (filter.to - filter.from), inclusive.' })
  previousFrom: Date;

  @Field({ description: 'End of the previous period (= filter.from), exclusive.' })
  previousTo: Date;

  @Field(() => NpsScore, { description: 'The score of currentFrom..currentTo.' })
  current: NpsScore;

  @Field(() => NpsScore, { description: 'The score of previousFrom..previousTo.' })
  previous: NpsScore;

  @Field(() => ScoreChange, { description: 'Current against previous (ScoreChange.previous is the previous score).' })
  change: ScoreChange;
}
