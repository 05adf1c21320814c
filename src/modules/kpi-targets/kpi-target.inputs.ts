import { Field, Float, ID, InputType } from 'type-graphql';
import { IsEmail, IsOptional, Length, Matches, Min } from 'class-validator';
import { CODE_MESSAGE, CODE_PATTERN } from '../departments/department.inputs';
import { KpiMetric } from './kpi-target.entity';

/**
 * Creates a KPI target. The owner is named by ownerId or ownerEmail (exactly one); the department by
 * departmentId or departmentCode (at most one). Range checks that depend on the metric are made by
 * the service (validateTargetValue).
 */
@InputType({ description: 'A new KPI target: who owns it, what is measured, over which scope and period, and the value to reach.' })
export class CreateKpiTargetInput {
  @Field(() => ID, { nullable: true, description: 'The owner. Give ownerId or ownerEmail.' })
  @IsOptional()
  ownerId?: string | null;

  @Field(() => String, { nullable: true, description: "The owner's email (case-insensitive). Give ownerId or ownerEmail." })
  @IsOptional()
  @IsEmail()
  ownerEmail?: string | null;

  @Field(() => KpiMetric, { description: 'What is measured; decides the unit and range of target.' })
  metric: KpiMetric;

  @Field(() => Float, { description: 'NPS: -100..100. Shares and rates: 0..100 (percent). RESPONSE_COUNT: at least 0.' })
  target: number;

  @Field({ description: 'Inclusive.' })
  periodStart: Date;

  @Field({ description: 'Exclusive; must be after periodStart.' })
  periodEnd: Date;

  @Field(() => ID, { nullable: true, description: 'Scope: this department and its whole subtree. Give departmentId or departmentCode, or neither for the whole organisation.' })
  @IsOptional()
  departmentId?: string | null;

  @Field(() => String, { nullable: true, description: 'Scope by department code instead of id.' })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: `departmentCode ${CODE_MESSAGE}` })
  departmentCode?: string | null;

  @Field(() => ID, { nullable: true, description: "Scope: only responses matching this saved segment's filter (combined with the department, if any)." })
  @IsOptional()
  segmentId?: string | null;

  @Field(() => Float, { nullable: true, description: 'How far short of the target still counts as AT_RISK, in the unit of the metric (default: 5 points for percents and NPS, 10% of the target for counts).' })
  @IsOptional()
  @Min(0)
  tolerance?: number | null;

  @Field(() => String, { nullable: true, description: 'Optional label.' })
  @IsOptional()
  @Length(1, 200)
  name?: string | null;
}

/** Changes a KPI target. Omitted fields keep their value; null clears an optional one. */
@InputType({ description: 'Changes to a KPI target. Omitted fields are unchanged; null clears department, segment, tolerance or name.' })
export class UpdateKpiTargetInput {
  @Field(() => ID, { nullable: true, description: 'New owner. Give ownerId or ownerEmail, not both.' })
  @IsOptional()
  ownerId?: string | null;

  @Field(() => String, { nullable: true, description: 'New owner by email.' })
  @IsOptional()
  @IsEmail()
  ownerEmail?: string | null;

  @Field(() => KpiMetric, { nullable: true, description: 'New metric; the target (new or current) must fit its range.' })
  @IsOptional()
  metric?: KpiMetric | null;

  @Field(() => Float, { nullable: true, description: 'Checked against the (new or current) metric.' })
  @IsOptional()
  target?: number | null;

  @Field(() => Date, { nullable: true, description: 'Inclusive.' })
  @IsOptional()
  periodStart?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Exclusive; must stay after periodStart.' })
  @IsOptional()
  periodEnd?: Date | null;

  @Field(() => ID, { nullable: true, description: 'New department scope; null: the whole organisation.' })
  @IsOptional()
  departmentId?: string | null;

  @Field(() => String, { nullable: true, description: 'New department scope by code; null: the whole organisation.' })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: `departmentCode ${CODE_MESSAGE}` })
  departmentCode?: string | null;

  @Field(() => ID, { nullable: true, description: 'New segment; null: no segment.' })
  @IsOptional()
  segmentId?: string | null;

  @Field(() => Float, { nullable: true, description: 'null: the per-metric default.' })
  @IsOptional()
  @Min(0)
  tolerance?: number | null;

  @Field(() => String, { nullable: true, description: 'null: no label.' })
  @IsOptional()
  @Length(1, 200)
  name?: string | null;
}
