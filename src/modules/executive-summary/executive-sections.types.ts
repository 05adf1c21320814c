import { Field, ObjectType } from 'type-graphql';
import { KpiStatusCounts } from '../kpi-targets/scorecard.types';
import { KpiTarget } from '../kpi-targets/kpi-target.entity';
import { NpsScore } from '../reporting/nps-score.type';
import { SurveyKind } from '../surveys/survey.entity';

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
