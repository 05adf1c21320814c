import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
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

/** Which earlier period a change is reported against (src/calendar/comparison-period.ts). Values equal the calendar module's CompareTo. */
export enum CompareTo {
  PREVIOUS_PERIOD = 'PREVIOUS_PERIOD',
  PREVIOUS_CALENDAR_PERIOD = 'PREVIOUS_CALENDAR_PERIOD',
  SAME_PERIOD_LAST_YEAR = 'SAME_PERIOD_LAST_YEAR',
}
registerEnumType(CompareTo, {
  name: 'CompareTo',
  description: 'Which earlier period a change is reported against. Calendar units are those of the timeZone argument (UTC when omitted).',
  valuesConfig: {
    PREVIOUS_PERIOD: { description: 'The period of equal length just before, in absolute time: [from - (to - from), from). Any range; the time zone plays no part.' },
    PREVIOUS_CALENDAR_PERIOD: {
      description:
        'The range must be whole calendar units of the time zone (days, ISO weeks, months, quarters or years: both bounds at local midnight; the largest unit that tiles it is taken) and is compared with as many units just before: March with February, Q1 with Q4, an ISO week with the week before. Across a DST change the two periods differ in hours. Any other range: BAD_USER_INPUT naming filter.from or filter.to.',
    },
    SAME_PERIOD_LAST_YEAR: {
      description:
        'Both bounds one calendar year back, local wall time kept; 29 February maps to 28 February. Whole ISO weeks map to the same ISO week numbers of the previous ISO year; an ISO week 53 (whose previous year has none) is NOT_COMPARABLE.',
    },
  },
});

/** What a range was recognised as, in whole calendar units (src/calendar: calendarUnitsOf). */
export enum CalendarUnit {
  YEAR = 'YEAR',
  QUARTER = 'QUARTER',
  MONTH = 'MONTH',
  ISO_WEEK = 'ISO_WEEK',
  DAY = 'DAY',
}
registerEnumType(CalendarUnit, {
  name: 'CalendarUnit',
  description: 'A calendar unit in a time zone: local midnight to local midnight. ISO_WEEK runs Monday to Monday; QUARTER starts in January, April, July or October.',
});

export enum BreakdownDimension {
  CHANNEL = 'CHANNEL',
  TOUCHPOINT = 'TOUCHPOINT',
  REGION = 'REGION',
  PLAN = 'PLAN',
  SURVEY = 'SURVEY',
  SURVEY_KIND = 'SURVEY_KIND',
  AGENT = 'AGENT',
  THEME = 'THEME',
  FOLLOW_UP_ANSWER = 'FOLLOW_UP_ANSWER',
}
registerEnumType(BreakdownDimension, {
  name: 'BreakdownDimension',
  description:
    "What npsBreakdown groups by. CHANNEL, TOUCHPOINT: the response's. REGION, PLAN: the customer's, as they were when the response was stored. SURVEY, SURVEY_KIND: the survey's. AGENT: the frontline person involved. " +
    'THEME: each active theme the comment or follow-up answers mention (a response mentioning two themes counts under both, so the items may add up to more than the responses; responses mentioning none are not listed). ' +
    "FOLLOW_UP_ANSWER: the answer to one follow-up question (npsBreakdown's question, by default \"Why did you give that score?\"), trimmed and as written; null groups the responses without an answer to it. THEME and FOLLOW_UP_ANSWER are derived from the verbatims and need READ_RESPONSES.",
});

@ObjectType({ description: 'One time bucket of a trend.' })
export class TrendPoint {
  @Field({ description: "Start of the bucket (inclusive): the bucket boundary in the requested time zone, as an instant." })
  periodStart: Date;

  @Field({ description: 'End of the bucket (exclusive): the start of the next bucket.' })
  periodEnd: Date;

  @Field(() => NpsScore, { description: 'Responses in the bucket that match the filter (only those from filter.from to filter.to in a partial first or last bucket).' })
  score: NpsScore;

  @Field({
    description:
      'True when the bucket reaches outside the requested range (it starts before filter.from or ends after filter.to, which defaults to now): its score counts only the part inside, so it is not a whole bucket. Usually the first and last points.',
  })
  partial: boolean;

  @Field(() => ScoreChange, {
    nullable: true,
    description:
      'compareTo PREVIOUS_PERIOD (default) or PREVIOUS_CALENDAR_PERIOD: against the previous point of this series, i.e. the bucket just before (a first or last point may be partial, see partial); null for the first point. ' +
      'compareTo SAME_PERIOD_LAST_YEAR: against the same part of the same bucket a year earlier (SAME_PERIOD_LAST_YEAR rules: 29 February against 28 February, an ISO week against the same week number, week 53 NOT_COMPARABLE); never null.',
  })
  change: ScoreChange | null;
}

@ObjectType({ description: "A department's score over its whole subtree." })
export class DepartmentScore {
  /** Resolved through the department loader. */
  departmentId: string;

  /** The department's parent (DepartmentScore.parent). */
  parentId: string | null;

  @Field(() => Int, {
    description:
      'How far below the departments departmentScores lists by default: 1 for those (the children of parentId; the roots, or a MANAGER key\'s own department, without it), 2 for their children, and so on down to the levels argument.',
  })
  depth: number;

  @Field(() => NpsScore, { description: "Over the department's whole subtree: counts summed over every department below it, never averaged." })
  score: NpsScore;

  /** The same subtree's score over the comparison period, counted on first use for every row at once; null: no change to report. */
  previousScore: (() => Promise<NpsScore>) | null;
}

@ObjectType({ description: 'The score of one value of a breakdown dimension.' })
export class NpsBreakdownItem {
  @Field(() => String, {
    nullable: true,
    description:
      'The value: a channel, touchpoint, region, plan, survey kind or follow-up answer, or the id of the survey, agent or theme. Null groups the responses that have no value (no channel, no customer region, no agent, no answer...).',
  })
  value: string | null;

  @Field(() => ID, { nullable: true, description: 'For SURVEY, AGENT and THEME: the id of the survey, person or theme (same as value).' })
  id: string | null;

  @Field(() => NpsScore, { description: 'The responses with this value that match the filter.' })
  score: NpsScore;

  /** Which dimension the value belongs to (for the survey/agent field resolvers). */
  dimension: BreakdownDimension;

  /** The same value's score over the comparison period, counted on first use for every item at once; null: no change to report. */
  previousScore: (() => Promise<NpsScore>) | null;
}

@ObjectType({ description: 'A period against an earlier one: by default the period of equal length immediately before it (see compareTo).' })
export class NpsComparison {
  @Field({ description: 'Start of the current period (filter.from), inclusive.' })
  currentFrom: Date;

  @Field({ description: 'End of the current period (filter.to), exclusive.' })
  currentTo: Date;

  @Field({
    description:
      'Start of the period compared with, inclusive. PREVIOUS_PERIOD: filter.from minus (filter.to - filter.from); otherwise as compareTo says. When there is none (change.verdict NOT_COMPARABLE with comparable false) it equals previousTo and currentFrom: an empty period.',
  })
  previousFrom: Date;

  @Field({ description: 'End of the period compared with, exclusive (PREVIOUS_PERIOD and PREVIOUS_CALENDAR_PERIOD: = filter.from).' })
  previousTo: Date;

  @Field(() => CompareTo, { description: 'Which earlier period this is compared with (the compareTo argument).' })
  compareTo: CompareTo;

  @Field(() => String, { description: 'The time zone whose calendar the periods follow (the timeZone argument, canonical spelling; UTC by default).' })
  timeZone: string;

  @Field(() => CalendarUnit, { nullable: true, description: 'What the current period was recognised as when it is whole calendar units of the time zone (PREVIOUS_CALENDAR_PERIOD always; SAME_PERIOD_LAST_YEAR when it is); else null.' })
  unit: CalendarUnit | null;

  @Field(() => Int, { nullable: true, description: 'How many units (with unit).' })
  unitCount: number | null;

  @Field({
    description:
      'False when there is no like-for-like earlier period (SAME_PERIOD_LAST_YEAR for an ISO week 53, or a range the leap day folds onto nothing): previous then has no responses and change.verdict is NOT_COMPARABLE.',
  })
  comparable: boolean;

  @Field(() => String, { nullable: true, description: 'Why comparable is false; null when it is true.' })
  notComparableReason: string | null;

  @Field(() => NpsScore, { description: 'The score of currentFrom..currentTo.' })
  current: NpsScore;

  @Field(() => NpsScore, { description: 'The score of previousFrom..previousTo (no responses when comparable is false).' })
  previous: NpsScore;

  @Field(() => ScoreChange, { description: 'Current against previous (ScoreChange.previous is the previous score).' })
  change: ScoreChange;
}
