import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { compareWithVerdict, NpsCounts, scoreFromCounts } from '../../scoring';
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

/** What a change amounts to, in one word (src/scoring/verdict.ts: verdictOf). Values equal the scoring module's ScoreVerdict. */
export enum ScoreVerdict {
  SIGNIFICANT_UP = 'SIGNIFICANT_UP',
  SIGNIFICANT_DOWN = 'SIGNIFICANT_DOWN',
  NO_SIGNIFICANT_CHANGE = 'NO_SIGNIFICANT_CHANGE',
  NOT_COMPARABLE = 'NOT_COMPARABLE',
}
registerEnumType(ScoreVerdict, {
  name: 'ScoreVerdict',
  description: 'What a change amounts to at 95%, in one word; it agrees with ScoreChange.significant.',
  valuesConfig: {
    SIGNIFICANT_UP: { description: 'Significant, upwards (by the sign of zScore, which compares the adjusted-Wald values; delta compares the plain NPS and can only differ in sign when a side is tiny).' },
    SIGNIFICANT_DOWN: { description: 'Significant, downwards (by the sign of zScore).' },
    NO_SIGNIFICANT_CHANGE: { description: 'Both sides have responses and the change is not significant at 95%.' },
    NOT_COMPARABLE: {
      description:
        'Either side has no responses, or there is no like-for-like earlier period (SAME_PERIOD_LAST_YEAR for an ISO week 53); then previous has no responses and delta, pValue and zScore are null.',
    },
  },
});

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

  @Field(() => ScoreVerdict, { description: 'SIGNIFICANT_UP or SIGNIFICANT_DOWN exactly when significant is true; NOT_COMPARABLE when either side has no responses.' })
  verdict: ScoreVerdict;

  /** The change and its verdict, both from the scoring module (compareWithVerdict), so they always agree. */
  static between(previous: NpsScore, current: NpsScore): ScoreChange {
    const change = compareWithVerdict(previous.counts, current.counts);
    return Object.assign(new ScoreChange(), change, { verdict: change.verdict as ScoreVerdict, previous });
  }
}
