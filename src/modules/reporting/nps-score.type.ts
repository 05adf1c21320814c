import { Field, Float, Int, ObjectType } from 'type-graphql';
import { compareScores, NpsCounts, scoreFromCounts } from '../../scoring';
import { NpsBand } from './nps-category';

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

  static from(counts: NpsCounts, lowSampleThreshold?: number): NpsScore {
    const figures = scoreFromCounts(counts, { lowSampleThreshold });
    return Object.assign(new NpsScore(), figures, { band: figures.band as NpsBand | null, counts });
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
