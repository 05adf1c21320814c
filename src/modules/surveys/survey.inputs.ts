import { Field, InputType, Int } from 'type-graphql';
import { IsBoolean, IsEnum, IsInt, IsOptional, Length, Matches, Max, Min } from 'class-validator';
import { CODE_MESSAGE, CODE_PATTERN } from '../departments/department.inputs';
import { SurveyKind } from './survey.entity';
import { NotBlank } from '../../common/not-blank';

@InputType({ description: 'Creates the survey with this code, or updates it (idempotent). Optional fields left out keep their stored value.' })
export class SurveyInput {
  @Field({ description: 'Stable business key; the same code always means the same survey.' })
  @Matches(CODE_PATTERN, { message: `code ${CODE_MESSAGE}` })
  code: string;

  @Field()
  @Length(1, 200)
  @NotBlank()
  name: string;

  @Field(() => SurveyKind)
  @IsEnum(SurveyKind)
  kind: SurveyKind;

  @Field(() => String, { nullable: true, description: 'Default channel the survey is sent through (email, in-app, sms, web, phone...). Omitted: unchanged. null: none.' })
  @IsOptional()
  @Length(1, 100)
  channel?: string | null;

  @Field(() => Int, { nullable: true, description: 'For relationship surveys: days between sends (1-3650). Omitted: unchanged. null: none.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  cadenceDays?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether a low score opens a follow-up action item automatically (default true). Omitted or null: unchanged.' })
  @IsOptional()
  @IsBoolean()
  autoFollowUp?: boolean | null;

  @Field(() => Int, { nullable: true, description: 'Scores at or below this open a follow-up, 0-10 (default 6: every detractor). Omitted or null: unchanged.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  followUpThreshold?: number | null;
}
