import { Field, Float, Int, ObjectType } from 'type-graphql';
import { ThemeDriver } from '../drivers/drivers.types';
import { KpiStatusCounts } from '../kpi-targets/scorecard.types';
import { KpiTarget } from '../kpi-targets/kpi-target.entity';
import { NpsCategory } from '../reporting/nps-category';
import { NpsScore } from '../reporting/nps-score.type';
import { SurveyKind } from '../surveys/survey.entity';
import { ThemeTaggingJob } from '../themes/theme.types';

@ObjectType({
  description:
    "The KPI targets running at the end of the summary, as kpiTargets(activeAt, asOf) lists them for the same key (a MANAGER key: the targets of its subtree's departments), measured as of ExecutiveSummary.asOf, with their statuses counted and the off-track ones listed.",
})
export class ExecutiveKpis {
  @Field({
    description:
      "The instant the targets are running at (period start <= activeAt < period end): the last instant the summary covers, i.e. just before to, or before asOf (the time of the request without it) when that is earlier.",
  })
  activeAt: Date;

  @Field(() => KpiStatusCounts, { description: 'The targets by status (KpiTarget.status, judged at ExecutiveSummary.asOf): how many are on track, at risk, off track, without data.' })
  counts: KpiStatusCounts;

  /** The OFF_TRACK targets, in kpiTargets' order (offTrack slices them). */
  offTrackTargets: KpiTarget[];
}

@ObjectType({ description: 'A KPI target that is OFF_TRACK, with the parts of its scope that pull it furthest below its target.' })
export class OffTrackTarget {
  @Field(() => KpiTarget, { description: 'The target: its owner, metric, target, actual, gap (negative: short of the target), status, and every contributor.' })
  target: KpiTarget;
}

@ObjectType({
  description:
    "The company's score for one kind of survey (or all kinds) and its gap to every benchmark and internal standard that applies to it (NpsScore.benchmarks' rules: industry benchmarks apply only to a score of one kind of survey, since relationship and transactional NPS are not comparable).",
})
export class BenchmarkGaps {
  @Field(() => SurveyKind, { nullable: true, description: 'The kind of survey counted; null: every kind together (the company score itself, which gets standards for any kind only, never an industry benchmark).' })
  surveyKind: SurveyKind | null;

  @Field(() => NpsScore, { description: "The company's score over from..to for this kind (before asOf): npsSummary with filter.surveyKind." })
  score: NpsScore;

  /** The industry asked for (null: the company's, COMPANY_INDUSTRY). */
  industry: string | null;
}

@ObjectType({
  description:
    "The themes one category of respondents (detractors or promoters) mentions most in the summary's period: drivers' DriverList for the same arguments, its drivers cut to the first `limit`.",
})
export class ExecutiveDriverList {
  @Field(() => NpsCategory, { description: 'DETRACTOR (scores 0-6) or PROMOTER (9-10).' })
  category: NpsCategory;

  @Field(() => Int, { description: 'Responses of this category in from..to (given before asOf).' })
  responses: number;

  @Field(() => Int, { description: 'Of them, with a verbatim (a comment or a follow-up answer that is not blank).' })
  verbatims: number;

  @Field(() => Int, { description: 'Of those with a verbatim, the ones mentioning no active theme.' })
  untagged: number;

  @Field(() => Float, { nullable: true, description: 'Percent of the verbatims mentioning no theme: how much of what this category says the themes do not explain; null with no verbatims.' })
  untaggedShare: number | null;

  @Field(() => Int, { description: 'How many themes at least one response of this category mentions; drivers lists the first `limit` of them.' })
  themesMentioned: number;

  @Field(() => [ThemeDriver], {
    description:
      "The first `limit` themes this category mentions, most mentioned by it first (then by code): exactly the first `limit` of drivers(...).detractorDrivers.drivers (or promoterDrivers). Each with its mentions and shares, the NPS of the responses mentioning it and of the others, impact (positive: holds the NPS down; negative: holds it up) with its test and discovery (false discovery rate held across the themes), change against the summary's earlier period, and samples from this category (given before asOf). " +
      'Most mentioned is not most harmful: compare impact and read discovery before acting on a theme.',
  })
  drivers: ThemeDriver[];
}

@ObjectType({
  description:
    "What detractors complain about and promoters praise in from..to, from the themes their verbatims mention: drivers(filter: { from, to }, compareTo, timeZone) for the summary's company (a MANAGER key's subtree) counting only responses given before asOf, its two lists cut to the first `limit` themes.",
})
export class ExecutiveDrivers {
  @Field({ description: "False when the summary's earlier period has no like-for-like counterpart (company.comparable false): each driver's change is then NOT_COMPARABLE." })
  comparable: boolean;

  @Field(() => Int, { description: 'Responses of the period with a verbatim, every category.' })
  verbatims: number;

  @Field(() => Int, { description: 'Of them, mentioning no active theme.' })
  untagged: number;

  @Field(() => Float, { nullable: true, description: 'Percent of the verbatims mentioning no theme; null with no verbatims. A high share: the themes miss much of what customers say.' })
  untaggedShare: number | null;

  @Field(() => ExecutiveDriverList, { description: 'What detractors (0-6) talk about most: the complaints to look at.' })
  detractorDrivers: ExecutiveDriverList;

  @Field(() => ExecutiveDriverList, { description: 'What promoters (9-10) talk about most: what to keep (not simply the opposite of the complaints).' })
  promoterDrivers: ExecutiveDriverList;

  @Field(() => ThemeTaggingJob, { nullable: true, description: 'The newest re-tagging (drivers.tagging): while it is RUNNING, these figures mix responses tagged with the themes before and after a change.' })
  tagging: ThemeTaggingJob | null;
}
