import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { IsOptional, Length } from 'class-validator';
import { SurveyKind } from '../surveys/survey.entity';

/*
 * Lengths are checked here (class-validator); blanks, ranges, scopes and duplicates by the
 * services (benchmark.service.ts, nps-standard.service.ts), each BAD_USER_INPUT naming the field.
 */

@InputType({ description: 'A new industry benchmark.' })
export class CreateBenchmarkInput {
  @Field({ description: 'What the figure is, e.g. "B2B services, relationship NPS". Unique with industry, surveyKind and year (case-insensitively).' })
  @Length(1, 200)
  name: string;

  @Field({ description: 'The industry it describes, e.g. "B2B services".' })
  @Length(1, 200)
  industry: string;

  @Field(() => SurveyKind, { description: 'The kind of survey the figure comes from.' })
  surveyKind: SurveyKind;

  @Field(() => Float, { description: 'The benchmark NPS, -100 to 100.' })
  value: number;

  @Field({ description: 'Where the figure comes from (publisher, study, panel).' })
  @Length(1, 500)
  source: string;

  @Field(() => Int, { description: 'The year the figure describes (1990-2100).' })
  year: number;

  @Field(() => String, { nullable: true, description: 'Free text: sample, method, caveats.' })
  @IsOptional()
  @Length(0, 2000)
  notes?: string | null;
}

@InputType({ description: 'Changes to an industry benchmark; omitted fields are unchanged, null clears notes.' })
export class UpdateBenchmarkInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  name?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  industry?: string | null;

  @Field(() => SurveyKind, { nullable: true })
  @IsOptional()
  surveyKind?: SurveyKind | null;

  @Field(() => Float, { nullable: true, description: '-100 to 100.' })
  @IsOptional()
  value?: number | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 500)
  source?: string | null;

  @Field(() => Int, { nullable: true, description: '1990-2100.' })
  @IsOptional()
  year?: number | null;

  @Field(() => String, { nullable: true, description: 'null clears it.' })
  @IsOptional()
  @Length(0, 2000)
  notes?: string | null;
}

@InputType({ description: 'A new internal NPS standard, for exactly one department (with its subtree) or segment.' })
export class CreateStandardInput {
  @Field({ description: 'A label for dashboards, e.g. "Support standard".' })
  @Length(1, 200)
  name: string;

  @Field(() => String, { nullable: true, description: 'Why this value, who agreed it.' })
  @IsOptional()
  @Length(0, 2000)
  description?: string | null;

  @Field(() => Float, { description: 'The NPS to reach, -100 to 100.' })
  value: number;

  @Field(() => ID, { nullable: true, description: 'The department (its scores cover its subtree). Give departmentId or segmentId.' })
  @IsOptional()
  departmentId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The segment. Give departmentId or segmentId.' })
  @IsOptional()
  segmentId?: string | null;

  @Field(() => SurveyKind, {
    nullable: true,
    description: 'Only for scores of this kind of survey; omitted or null: for any score of the scope. One standard per scope and kind (CONFLICT otherwise).',
  })
  @IsOptional()
  surveyKind?: SurveyKind | null;
}

@InputType({
  description: 'Changes to an internal standard; omitted fields are unchanged. Its department or segment cannot change (delete it and create another).',
})
export class UpdateStandardInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'null clears it.' })
  @IsOptional()
  @Length(0, 2000)
  description?: string | null;

  @Field(() => Float, { nullable: true, description: '-100 to 100.' })
  @IsOptional()
  value?: number | null;

  @Field(() => SurveyKind, { nullable: true, description: 'null: for any kind of survey.' })
  @IsOptional()
  surveyKind?: SurveyKind | null;
}
