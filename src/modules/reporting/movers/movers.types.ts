import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Segment } from '../../segments/segment.entity';
import { SurveyKind } from '../../surveys/survey.entity';
import { NpsScore, ScoreChange } from '../nps-score.type';
import { BreakdownDimension, NpsComparison } from '../reporting.types';

export enum MoverKind {
  DEPARTMENT = 'DEPARTMENT',
  SEGMENT = 'SEGMENT',
  BREAKDOWN = 'BREAKDOWN',
}
registerEnumType(MoverKind, {
  name: 'MoverKind',
  description: 'Which family a mover belongs to; within a family (one kind, and one dimension for BREAKDOWN) the groups are screened against the same total.',
  valuesConfig: {
    DEPARTMENT: {
      description:
        "A department's own responses (those recorded against it, not its children's): for a leaf of the tree, its whole subtree. Departments with children appear only when responses are recorded against them directly (ownResponsesOnly), and responses without a department form one group (department null). These groups split the total exactly, so no response counts twice and their contributions add up to the total's change.",
    },
    SEGMENT: {
      description: "A saved segment, narrowed by the filter. Segments may overlap and leave responses out, so their contributions do not add up to the total's change.",
    },
    BREAKDOWN: {
      description:
        "One value of a breakdown dimension (as npsBreakdown), including the responses without a value (value null). The values of one dimension split the total exactly, so their contributions add up to the total's change.",
    },
  },
});

@ObjectType({ description: "One kind of survey's part of a group's responses in both periods." })
export class SurveyKindShift {
  @Field(() => SurveyKind)
  kind: SurveyKind;

  @Field(() => Int, { description: "The group's responses from this kind in the previous period." })
  previousResponses: number;

  @Field(() => Int, { description: "The group's responses from this kind in the current period." })
  currentResponses: number;

  @Field(() => Float, { nullable: true, description: "Percent of the group's responses in the previous period that came from this kind (0-100); null when the group had none." })
  previousShare: number | null;

  @Field(() => Float, { nullable: true, description: "Percent of the group's responses in the current period that came from this kind (0-100); null when the group has none." })
  currentShare: number | null;

  @Field(() => Float, { nullable: true, description: 'currentShare - previousShare, in percentage points; null when either is null.' })
  shift: number | null;

  @Field(() => Float, { nullable: true, description: "This kind's NPS in the previous period (null without responses)." })
  previousNps: number | null;

  @Field(() => Float, { nullable: true, description: "This kind's NPS in the current period (null without responses)." })
  currentNps: number | null;
}

@ObjectType({
  description:
    'Whether a change comes from a change in the mix of survey kinds. Relationship and transactional surveys score differently, so more transactional responses can move an NPS with no customer feeling any different.',
})
export class SurveyMix {
  @Field(() => [SurveyKindShift], { description: 'Each kind with responses in either period.' })
  kinds: SurveyKindShift[];

  @Field(() => Float, { nullable: true, description: 'The largest |shift| over the kinds, in points; null when either period has no responses.' })
  maxShift: number | null;

  @Field({ description: "maxShift above 10 points: the kinds' shares moved, so the raw change mixes a change of scores and a change of mix; read mixAdjustedChange beside it." })
  mixShifted: boolean;

  @Field(() => Float, { nullable: true, description: 'NPS minus the previous NPS, all kinds together (the plain change).' })
  rawChange: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "This period's NPS of each kind re-weighted to the previous period's shares: sum over kinds of previousShare x currentNps / 100. Null when either period has no responses, or a kind the previous period had has none now.",
  })
  mixAdjustedNps: number | null;

  @Field(() => Float, { nullable: true, description: 'mixAdjustedNps minus the previous NPS: the change at an unchanged mix (the within-kind changes weighted by the previous shares). rawChange minus this is the part due to the mix.' })
  mixAdjustedChange: number | null;
}

@ObjectType({ description: 'One group (a department, a segment, a breakdown value) and how it moved the total between the two periods.' })
export class Mover {
  @Field(() => MoverKind, { description: 'The family: DEPARTMENT, SEGMENT or BREAKDOWN (with dimension).' })
  kind: MoverKind;

  @Field(() => BreakdownDimension, { nullable: true, description: 'For BREAKDOWN: the dimension.' })
  dimension: BreakdownDimension | null;

  @Field(() => String, { nullable: true, description: 'For BREAKDOWN: the value as npsBreakdown gives it (null: responses without one). Null for the other kinds.' })
  value: string | null;

  @Field(() => ID, { nullable: true, description: 'The department, segment, survey (SURVEY) or agent (AGENT) id; null otherwise.' })
  id: string | null;

  @Field({ description: 'What to show: the department\'s or segment\'s name, the survey\'s or agent\'s name, the value, or "(no department)", "(no channel)"...' })
  label: string;

  @Field({ description: 'DEPARTMENT only: the department has children and this group is the responses recorded against it directly (its children are groups of their own).' })
  ownResponsesOnly: boolean;

  @Field(() => NpsScore, { description: 'The group in the current period.' })
  current: NpsScore;

  @Field(() => ScoreChange, {
    description:
      "The group's own change (change.previous is its previous score): the z-test of ScoreChange, on its own. Its verdict is that single test's; whether it survives the false discovery rate control is `discovery`.",
  })
  change: ScoreChange;

  @Field(() => Float, { nullable: true, description: "The group's share of the total's responses in the previous period, in percent; null when the total had none." })
  previousResponseShare: number | null;

  @Field(() => Float, { nullable: true, description: "The group's share of the total's responses in the current period, in percent; null when the total has none." })
  currentResponseShare: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "Points of the total's NPS change this group accounts for: its share of the total's responses x its NPS, current minus previous (= 100 (P - D) / N_total, current minus previous). Within a family that splits the total (DEPARTMENT, each BREAKDOWN dimension) they add up to the total's change; a group can contribute with an unchanged NPS when its share moves. Null when either period's total has no responses.",
  })
  contribution: number | null;

  @Field(() => Int, { description: 'Position in this list (1 = the largest |contribution|).' })
  rank: number;

  @Field(() => Float, {
    nullable: true,
    description:
      "Benjamini-Hochberg adjusted p-value of change.pValue, over every group tested in this request (all families together; see Movers.tests). Null when the group has no responses in a period (not tested).",
  })
  adjustedPValue: number | null;

  @Field({ description: 'A discovery at the false discovery rate (Movers.falseDiscoveryRate, 5%): adjustedPValue <= 0.05. The default list holds only these.' })
  discovery: boolean;

  @Field({ description: 'Fewer responses than the low-sample threshold (30 by default) in either period: read with care.' })
  lowSample: boolean;

  @Field({
    description:
      "The group was counted over part of a period only: the current period has not ended yet (Movers.partialPeriod), or a segment's own date range cuts the current or the previous period. Its change is then not like for like.",
  })
  partial: boolean;

  @Field({ description: 'surveyMix.mixShifted: the shares of survey kinds moved by more than 10 points; read surveyMix.mixAdjustedChange beside change.delta.' })
  mixShifted: boolean;

  @Field(() => SurveyMix, { description: "The group's responses by kind of survey, and its mix-adjusted change." })
  surveyMix: SurveyMix;
}

@ObjectType({
  description:
    "Which departments, segments and breakdown values moved the total NPS between two periods, ranked by their contribution to the total's change. The list is a screen of many tests at once, so its false discovery rate is controlled with Benjamini-Hochberg: among the movers listed as discoveries, the expected share of groups that did not really change is at most 5% (for independent or positively dependent tests).",
})
export class Movers {
  @Field(() => NpsComparison, { description: 'The total (every response the filter covers) in both periods, with the periods themselves and the change.' })
  total: NpsComparison;

  @Field(() => SurveyMix, { description: "The total's responses by kind of survey, and its mix-adjusted change." })
  totalSurveyMix: SurveyMix;

  @Field({ description: 'The current period ends after now (its counts will still grow), or the filter\'s segment cuts either period: every mover is then partial.' })
  partialPeriod: boolean;

  @Field(() => Float, { description: 'q of the Benjamini-Hochberg procedure: 0.05.' })
  falseDiscoveryRate: number;

  @Field(() => Int, { description: 'How many groups were tested (those with responses in both periods, over every family asked for): the m of Benjamini-Hochberg.' })
  tests: number;

  @Field(() => Int, { description: 'How many of them are discoveries.' })
  discoveries: number;

  @Field(() => [Mover], { description: 'The groups, largest |contribution| first: only the discoveries unless significantOnly is false; at most `limit`.' })
  movers: Mover[];

  @Field(() => [Segment], {
    description:
      'The saved segments NOT screened: their conditions read customer tenure or spend, which no rollup holds, so each would scan every response of both periods (seconds at millions of responses) while the rest of the screen reads rollups. Empty when rawSegments is true, when the filter itself needs the raw rows, or when SEGMENT is not screened. They are not among the tests either.',
  })
  skippedSegments: Segment[];
}

/**
 * The breakdown dimensions movers screens: each response has at most one value of each, so a
 * family's groups partition the total and their contributions add up. Not THEME (a response may
 * mention several themes: drivers answers for themes) nor FOLLOW_UP_ANSWER (free text).
 */
export const MOVER_DIMENSIONS = [
  BreakdownDimension.CHANNEL,
  BreakdownDimension.TOUCHPOINT,
  BreakdownDimension.REGION,
  BreakdownDimension.PLAN,
  BreakdownDimension.SURVEY,
  BreakdownDimension.SURVEY_KIND,
  BreakdownDimension.AGENT,
] as const;
export type MoverDimension = (typeof MOVER_DIMENSIONS)[number];
export const isMoverDimension = (d: BreakdownDimension): d is MoverDimension => (MOVER_DIMENSIONS as readonly BreakdownDimension[]).includes(d);

