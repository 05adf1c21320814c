import { Field, Float, Int, ObjectType } from 'type-graphql';
import { NpsCategory } from '../reporting/nps-category';
import { NpsScore, ScoreChange, ScoreVerdict } from '../reporting/nps-score.type';
import { CalendarUnit, CompareTo } from '../reporting/reporting.types';
import { Response } from '../responses/response.entity';
import type { ResponseFilter } from '../reporting/filter/response-filter.input';
import { Theme, ThemeTaggingJob } from '../themes/theme.types';

@ObjectType({ description: 'A share in one period against the comparison period, with a two-proportion z-test (pooled, two-sided, 95%).' })
export class ShareChange {
  @Field(() => Float, { nullable: true, description: 'Percent in the comparison period; null when it has none of the responses the share is of.' })
  previous: number | null;

  @Field(() => Float, { nullable: true, description: 'Percent in the current period; null when it has none.' })
  current: number | null;

  @Field(() => Float, { nullable: true, description: 'current - previous, in percentage points; null when either is null.' })
  delta: number | null;

  @Field(() => Float, { nullable: true })
  zScore: number | null;

  @Field(() => Float, { nullable: true, description: 'Two-sided p-value.' })
  pValue: number | null;

  @Field({ description: 'Significant at 95%.' })
  significant: boolean;

  @Field(() => ScoreVerdict, { description: 'SIGNIFICANT_UP / SIGNIFICANT_DOWN exactly when significant; NOT_COMPARABLE when either period has none of the responses the share is of.' })
  verdict: ScoreVerdict;
}

@ObjectType({ description: 'A verbatim that mentions a theme: the text in which it was found, and the response it belongs to.' })
export class VerbatimSample {
  @Field({ description: 'The comment, or else the follow-up answer, that mentions the theme.' })
  text: string;

  @Field(() => String, { nullable: true, description: 'The follow-up question that text answers; null when it is the comment.' })
  question: string | null;

  @Field(() => Response, { description: 'The response (its score, comment, answers, department...).' })
  response: Response;
}

@ObjectType({ description: "A theme's figures against the same figures in the comparison period (drivers' compareTo)." })
export class ThemeDriverChange {
  @Field(() => Float, { nullable: true, description: 'The impact in the comparison period.' })
  previousImpact: number | null;

  @Field(() => Float, { nullable: true, description: 'impact - previousImpact, in NPS points; null when either is null.' })
  impactDelta: number | null;

  @Field(() => ShareChange, { description: 'The share of all responses that mention the theme.' })
  mentionShare: ShareChange;

  @Field(() => ShareChange, { description: 'The share of detractors that mention it: is the complaint growing?' })
  detractorMentionShare: ShareChange;

  @Field(() => ShareChange, { description: 'The share of promoters that mention it.' })
  promoterMentionShare: ShareChange;

  @Field(() => ScoreChange, { description: 'The NPS of the responses mentioning it, against theirs in the comparison period.' })
  mentioning: ScoreChange;
}

@ObjectType({
  description:
    'One theme in the responses of the period: how often each category mentions it, the NPS with and without the responses that mention it, and its impact (BRIEF: how much the NPS would move without it). ' +
    'A response counts once per theme however often it names it, and under every theme it mentions.',
})
export class ThemeDriver {
  @Field(() => Theme)
  theme: Theme;

  @Field(() => Int, { description: 'Responses counted (all of the period, whether they mention the theme or not).' })
  responses: number;

  @Field(() => Int, { description: 'Responses that mention the theme.' })
  mentions: number;

  @Field(() => Int)
  promoterMentions: number;

  @Field(() => Int)
  passiveMentions: number;

  @Field(() => Int)
  detractorMentions: number;

  @Field(() => Float, { nullable: true, description: 'Percent of all responses that mention it; null with no responses.' })
  mentionShare: number | null;

  @Field(() => Float, { nullable: true, description: 'Percent of the promoters that mention it; null with no promoters.' })
  promoterMentionShare: number | null;

  @Field(() => Float, { nullable: true, description: 'Percent of the passives that mention it; null with no passives.' })
  passiveMentionShare: number | null;

  @Field(() => Float, { nullable: true, description: 'Percent of the detractors that mention it ("62.5% of detractors mention waiting times"); null with no detractors.' })
  detractorMentionShare: number | null;

  @Field(() => NpsScore, { description: 'The responses that mention it.' })
  mentioning: NpsScore;

  @Field(() => NpsScore, { description: 'The responses that do not mention it.' })
  notMentioning: NpsScore;

  @Field(() => Float, {
    nullable: true,
    description:
      'NPS of the responses not mentioning it minus NPS of all responses: how far the NPS would move without them. Positive: the theme holds the NPS down (a complaint); negative: it holds it up (praise). 0 when nothing mentions it; null when every response does.',
  })
  impact: number | null;

  @Field(() => Float, { nullable: true, description: 'mentioning.nps - notMentioning.nps; impact = -(mentionShare / 100) x difference.' })
  difference: number | null;

  @Field(() => Float, { nullable: true, description: 'The test of mentioning against not mentioning (two disjoint groups of responses): z on the adjusted-Wald values, as ScoreChange.' })
  zScore: number | null;

  @Field(() => Float, { nullable: true, description: 'Two-sided p-value of that test.' })
  pValue: number | null;

  @Field({ description: 'Significant at 95% (this theme alone).' })
  significant: boolean;

  @Field(() => ScoreVerdict, { description: 'SIGNIFICANT_UP: the responses mentioning it score significantly higher than the others; SIGNIFICANT_DOWN: lower; NOT_COMPARABLE: either group is empty.' })
  verdict: ScoreVerdict;

  @Field(() => Float, {
    nullable: true,
    description: 'Benjamini-Hochberg adjusted p-value over the tests of every active theme of this answer (controls the false discovery rate when many themes are screened at once).',
  })
  adjustedPValue: number | null;

  @Field({ description: 'adjustedPValue <= 0.05: a discovery with the false discovery rate held at 5% across the themes.' })
  discovery: boolean;

  @Field(() => ThemeDriverChange, { nullable: true, description: 'Against the comparison period; null when the filter has no from and to (no period to compare).' })
  change: ThemeDriverChange | null;

  /**
   * Resolved by ThemeDriver.samples: which responses to sample (the filter, the category, and the
   * instant the counts stopped at: their context's respondedBefore). Not exposed.
   */
  sampling: { filter: ResponseFilter | null | undefined; category: NpsCategory | null; respondedBefore?: Date };
}

@ObjectType({ description: 'The themes one category of respondents talks about (BRIEF: what creates a promoter is not simply the opposite of what creates a detractor).' })
export class DriverList {
  @Field(() => NpsCategory)
  category: NpsCategory;

  @Field(() => Int, { description: 'Responses of this category in the period.' })
  responses: number;

  @Field(() => Int, { description: 'Of them, with a verbatim (a comment or follow-up answer that is not blank).' })
  verbatims: number;

  @Field(() => Int, { description: 'Of those with a verbatim, the ones mentioning no active theme.' })
  untagged: number;

  @Field(() => Float, { nullable: true, description: 'Percent of the verbatims mentioning no theme (what the themes do not explain); null with no verbatims.' })
  untaggedShare: number | null;

  @Field(() => [ThemeDriver], {
    description: 'The themes mentioned by at least one response of this category, most mentioned by it first (then by code); each with samples from this category.',
  })
  drivers: ThemeDriver[];
}

@ObjectType({ description: 'What customers talk about in the period and how it moves the NPS, from the themes their verbatims mention.' })
export class Drivers {
  @Field(() => Date, { nullable: true, description: 'filter.from (inclusive), or null.' })
  currentFrom: Date | null;

  @Field(() => Date, { nullable: true, description: 'filter.to (exclusive), or null.' })
  currentTo: Date | null;

  @Field(() => Date, { nullable: true, description: 'Start of the comparison period (as npsComparison); null when the filter lacks from or to.' })
  previousFrom: Date | null;

  @Field(() => Date, { nullable: true, description: 'End of the comparison period, exclusive; null when the filter lacks from or to.' })
  previousTo: Date | null;

  @Field(() => CompareTo)
  compareTo: CompareTo;

  @Field(() => String, { description: 'The time zone of the calendar periods (UTC by default).' })
  timeZone: string;

  @Field(() => CalendarUnit, { nullable: true, description: 'What the period was recognised as, in whole calendar units (as npsComparison.unit).' })
  unit: CalendarUnit | null;

  @Field({ description: 'False when there is no comparison period (no from or to) or no like-for-like one (ISO week 53 last year): changes are then NOT_COMPARABLE.' })
  comparable: boolean;

  @Field(() => NpsScore, { description: 'Every response of the period.' })
  score: NpsScore;

  @Field(() => Int, { description: 'Responses with a verbatim (comment or follow-up answer).' })
  verbatims: number;

  @Field(() => Int, { description: 'Of them, mentioning no active theme.' })
  untagged: number;

  @Field(() => Float, { nullable: true, description: 'Percent of the verbatims mentioning no theme; null with no verbatims.' })
  untaggedShare: number | null;

  @Field(() => DriverList, { description: 'What detractors (0-6) talk about.' })
  detractorDrivers: DriverList;

  @Field(() => DriverList, { description: 'What promoters (9-10) talk about.' })
  promoterDrivers: DriverList;

  @Field(() => [ThemeDriver], { description: 'Every active theme, by impact (largest first: the theme holding the NPS down most), then by code; samples from any category.' })
  themes: ThemeDriver[];

  @Field(() => ThemeTaggingJob, {
    nullable: true,
    description: 'The newest re-tagging: while it is RUNNING, these figures mix responses tagged with the themes before and after the change.',
  })
  tagging: ThemeTaggingJob | null;
}
