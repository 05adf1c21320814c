import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { NpsScore, ScoreChange, ScoreVerdict } from '../reporting/nps-score.type';

export const DEFAULT_EFFECT_WINDOW_DAYS = 28;
export const MAX_EFFECT_WINDOW_DAYS = 366;

@ObjectType({ description: 'An action plan: a scope (a department subtree or a segment), an owner, a start and the effect expected, with the action items that carry it out.' })
export class Initiative {
  @Field(() => ID)
  id: string;

  @Field()
  title: string;

  @Field(() => ID, { description: 'The person who owns it.' })
  ownerId: string;

  @Field(() => ID, { nullable: true, description: 'The department whose subtree it is for (or null: a segment).' })
  departmentId: string | null;

  @Field(() => ID, { nullable: true, description: 'The segment it is for (or null: a department subtree).' })
  segmentId: string | null;

  @Field(() => ID, { nullable: true, description: 'The driver theme it targets, if any.' })
  themeId: string | null;

  @Field({ description: 'When it started: the effect compares equal windows before and after this instant.' })
  startsAt: Date;

  @Field(() => Float, { nullable: true, description: 'The change of NPS it is expected to bring, in points.' })
  expectedEffect: number | null;

  @Field(() => Int, { description: `Length of the before and after windows of its effect, in days (default ${DEFAULT_EFFECT_WINDOW_DAYS}).` })
  windowDays: number;

  @Field()
  createdAt: Date;
}

@ObjectType({ description: 'The action items of an initiative by status.' })
export class InitiativeProgress {
  @Field(() => Int)
  actionItems: number;

  @Field(() => Int, { description: 'DONE.' })
  done: number;

  @Field(() => Int, { description: "WONT_DO: closed without being done." })
  wontDo: number;

  @Field(() => Int, { description: 'OPEN, IN_PROGRESS or BLOCKED.' })
  open: number;

  @Field(() => Float, { nullable: true, description: 'Percent of the items that are closed (DONE or WONT_DO); null without items.' })
  percentClosed: number | null;
}

@ObjectType({
  description:
    "Whether an initiative moved NPS: its scope's NPS in equal windows before and after the start, the same for the responses outside the scope, and the difference in differences (the scope's change minus the change outside), so a swing that moved everyone is not taken for the initiative's effect. Assumes the scope would have moved like the rest without it (parallel trends); the four groups are treated as independent samples.",
})
export class InitiativeEffect {
  @Field(() => Int)
  windowDays: number;

  @Field({ description: 'Start of the before window: startsAt - windowDays.' })
  beforeFrom: Date;

  @Field({ description: 'End of the after window (exclusive): startsAt + windowDays.' })
  afterTo: Date;

  @Field(() => NpsScore)
  scopeBefore: NpsScore;

  @Field(() => NpsScore)
  scopeAfter: NpsScore;

  @Field(() => ScoreChange, { description: "The scope's change (after against before) and its significance." })
  scopeChange: ScoreChange;

  @Field(() => NpsScore, { description: 'The responses outside the scope (that the caller may see), before.' })
  outsideBefore: NpsScore;

  @Field(() => NpsScore)
  outsideAfter: NpsScore;

  @Field(() => ScoreChange, { description: 'The change outside the scope in the same windows.' })
  outsideChange: ScoreChange;

  @Field(() => Float, { nullable: true, description: "Difference in differences in NPS points: the scope's change minus the change outside (plain NPS); null when a group has no responses." })
  effect: number | null;

  @Field(() => Float, { nullable: true, description: 'The same on the adjusted-Wald centres (what the test judges).' })
  adjustedEffect: number | null;

  @Field(() => Float, { nullable: true, description: "Standard error of the effect: the square root of the sum of the four groups' squared adjusted-Wald errors." })
  standardError: number | null;

  @Field(() => Float, { nullable: true })
  zScore: number | null;

  @Field(() => Float, { nullable: true, description: 'Two-sided p-value.' })
  pValue: number | null;

  @Field({ description: 'The effect is significant at 95%.' })
  significant: boolean;

  @Field(() => ScoreVerdict)
  verdict: ScoreVerdict;

  @Field(() => Float, { nullable: true, description: 'The effect expected (the initiative\'s expectedEffect).' })
  expectedEffect: number | null;

  @Field({ description: 'A group has fewer responses than the low-sample threshold (30): read with care.' })
  lowSample: boolean;

  @Field({ description: 'The after window has not ended yet (or the initiative has not started): the after figures are partial.' })
  tooEarly: boolean;
}

@InputType()
export class CreateInitiativeInput {
  @Field({ description: '1-200 characters.' })
  title: string;

  @Field(() => ID, { description: 'The person who owns it (for a MANAGER key: a person of its subtree).' })
  ownerId: string;

  @Field(() => ID, { nullable: true, description: 'The department subtree it is for; give this or segmentId.' })
  departmentId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The segment it is for; give this or departmentId (not for MANAGER keys).' })
  segmentId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The driver theme it targets.' })
  themeId?: string | null;

  @Field()
  startsAt: Date;

  @Field(() => Float, { nullable: true, description: 'Expected change of NPS in points, -200 to 200.' })
  expectedEffect?: number | null;

  @Field(() => Int, { nullable: true, description: `Days of the before and after windows of the effect, 1-${MAX_EFFECT_WINDOW_DAYS} (default ${DEFAULT_EFFECT_WINDOW_DAYS}).` })
  windowDays?: number | null;
}
