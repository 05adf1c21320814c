import { Field, Float, Int, ObjectType } from 'type-graphql';
import { compareScores, NpsCounts, scoreFromCounts } from '../../scoring';
import { NpsBand } from './nps-category';
import type { ResponseFilter } from './filter/response-filter.input';

/**
 * What a score counts, kept (not exposed) so that NpsScore.benchmarks can tell which benchmarks
 * and standards apply to it (src/modules/benchmarks/benchmark-scope.ts).
 */
export interface ScoreScope {
  /** The filter the responses were counted with, segmentId included. */
  filter: ResponseFilter | null | undefined;
  /** The department scored (departmentScores); when absent, the one the filter names, if any. */
  departmentId?: string;
}

@ObjectType({
  description:
    'Counts and the figures computed from them by the scoring module. Shares are percentages (0-100); NPS runs from -100 to 100. Figures are unrounded.',
})
export class NpsScore {
  @Field(() => Int)
  responses: number;

  @Field(() => Int)
  promoters: number;

  @Field(() => Int)
  passives: number;

  @Field(() => Int)
  detractors: number;

  @Field(() => Float, { nullable: true, description: 'Null when there are no responses.' })
  nps: number | null;

  @Field(() => Float, { nullable: true, description: 'Percent of responses that are promoters.' })
  promoterShare: number | null;

  @Field(() => Float, { nullable: true })
  passiveShare: number | null;

  @Field(() => Float, { nullable: true })
  detractorShare: number | null;

  @Field(() => NpsBand, { nullable: true })
  band: NpsBand | null;

  @Field(() => Float, { nullable: true, description: 'Half-width of the 95% confidence interval, in NPS points.' })
  marginOfError: number | null;

  @Field(() => Float, { nullable: true, description: 'Centre of the adjusted-Wald interval (Rocks 2016).' })
  adjustedNps: number | null;

  @Field(() => Float, { nullable: true, description: 'Adjusted-Wald standard error, in NPS points.' })
  standardError: number | null;

  @Field(() => Float, { nullable: true, description: 'Lower end of the 95% confidence interval.' })
  confidenceLow: number | null;

  @Field(() => Float, { nullable: true, description: 'Upper end of the 95% confidence interval.' })
  confidenceHigh: number | null;

  @Field({ description: 'Fewer responses than the low-sample threshold (30 by default): read with care.' })
  lowSample: boolean;

  /** Kept for comparisons; not exposed. */
  counts: NpsCounts;

  /** What was counted, for the benchmarks that apply; absent: none does. Not exposed. */
  scope?: ScoreScope;

  static from(counts: NpsCounts, lowSampleThreshold?: number, scope?: ScoreScope): NpsScore {
    const figures = scoreFromCounts(counts, { lowSampleThreshold });
    return Object.assign(new NpsScore(), figures, { band: figures.band as NpsBand | null, counts, scope });
  }
}

@ObjectType({
  description:
    'The change from a previous score. Significance uses a two-sided z-test on the adjusted-Wald values and assumes the two samples are independent; where the same customers answer in both periods it is approximate.',
})
export class ScoreChange {
  @Field(() => NpsScore)
  previous: NpsScore;

  @Field(() => Float, { nullable: true, description: 'NPS minus the previous NPS; null when either has no responses.' })
  delta: number | null;

  @Field({ description: 'Significant at 95%.' })
  significant: boolean;

  @Field(() => Float, { nullable: true, description: 'Two-sided p-value.' })
  pValue: number | null;

  @Field(() => Float, { nullable: true })
  zScore: number | null;

  static between(previous: NpsScore, current: NpsScore): ScoreChange {
    return Object.assign(new ScoreChange(), compareScores(previous.counts, current.counts), { previous });
  }
}
