import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { SurveyKind } from '../surveys/survey.entity';
import { Benchmark } from './benchmark.entity';
import { NpsStandard } from './nps-standard.entity';

export enum BenchmarkKind {
  INDUSTRY = 'INDUSTRY',
  DEPARTMENT_STANDARD = 'DEPARTMENT_STANDARD',
  SEGMENT_STANDARD = 'SEGMENT_STANDARD',
}
registerEnumType(BenchmarkKind, {
  name: 'BenchmarkKind',
  description:
    "INDUSTRY: an industry benchmark (Benchmark). DEPARTMENT_STANDARD: the internal standard of the department scored, or of its nearest ancestor that has one. SEGMENT_STANDARD: the internal standard of the segment scored.",
});

export enum BenchmarkOutcome {
  SIGNIFICANTLY_ABOVE = 'SIGNIFICANTLY_ABOVE',
  SIGNIFICANTLY_BELOW = 'SIGNIFICANTLY_BELOW',
  NOT_SIGNIFICANT = 'NOT_SIGNIFICANT',
  NO_DATA = 'NO_DATA',
}
registerEnumType(BenchmarkOutcome, {
  name: 'BenchmarkOutcome',
  description:
    'How the score stands against the value at 95%: SIGNIFICANTLY_ABOVE or SIGNIFICANTLY_BELOW when the value lies outside the score\'s 95% interval, NOT_SIGNIFICANT when inside it (the gap may be chance), NO_DATA when the score has no responses.',
});

@ObjectType({
  description:
    'A benchmark or internal standard that applies to a score, with the gap and whether the score differs significantly from it. ' +
    "The test is one-sample: z = (adjusted NPS - value) / standard error (the score's adjusted-Wald figures); the value is taken as exact (no sampling error of its own).",
})
export class BenchmarkComparison {
  @Field(() => BenchmarkKind)
  kind: BenchmarkKind;

  @Field({ description: "The benchmark's or standard's name." })
  name: string;

  @Field(() => Float, { description: 'The value compared with, in NPS points.' })
  value: number;

  @Field(() => String, { nullable: true, description: 'INDUSTRY: where the figure comes from. Null for standards.' })
  source: string | null;

  @Field(() => Int, { nullable: true, description: 'INDUSTRY: the year the figure describes. Null for standards.' })
  year: number | null;

  @Field(() => String, { nullable: true, description: 'INDUSTRY: the industry. Null for standards.' })
  industry: string | null;

  @Field(() => SurveyKind, { nullable: true, description: 'The kind of survey the value is for; null for a standard that applies to any kind.' })
  surveyKind: SurveyKind | null;

  @Field(() => Benchmark, { nullable: true, description: 'INDUSTRY: the benchmark.' })
  benchmark: Benchmark | null;

  @Field(() => NpsStandard, { nullable: true, description: 'DEPARTMENT_STANDARD, SEGMENT_STANDARD: the standard (its department or segment says whose it is).' })
  standard: NpsStandard | null;

  @Field({ description: "DEPARTMENT_STANDARD: true when the standard is an ancestor department's, inherited because the department has none of its own." })
  inherited: boolean;

  @Field(() => Float, { nullable: true, description: 'NPS minus value, in NPS points (positive: better than the value). Null when the score has no responses.' })
  gap: number | null;

  @Field({ description: 'Whether the score differs from the value at 95% (two-sided).' })
  significant: boolean;

  @Field(() => Float, { nullable: true, description: 'Two-sided p-value of the one-sample test; null when the score has no responses.' })
  pValue: number | null;

  @Field(() => Float, { nullable: true, description: '(adjusted NPS - value) / standard error; null when the score has no responses.' })
  zScore: number | null;

  @Field(() => BenchmarkOutcome)
  outcome: BenchmarkOutcome;
}
