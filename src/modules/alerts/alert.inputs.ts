import { Field, ID, InputType, Int } from 'type-graphql';
import { IsOptional, Length, Max, Min } from 'class-validator';
import { NotBlank } from '../../common/not-blank';
import { AlertComparison, AlertMetric, AlertWindow } from './alert-rule.entity';
import { AlertStatus } from './alert.entity';

@InputType({ description: 'A new significant-shift alert rule. A MANAGER key may create rules for departments of its subtree only.' })
export class CreateAlertRuleInput {
  @Field()
  @Length(1, 200)
  @NotBlank()
  name: string;

  @Field(() => AlertMetric)
  metric: AlertMetric;

  @Field(() => ID, { nullable: true, description: 'Scope: this department and its subtree; with neither department nor segment, the whole company.' })
  @IsOptional()
  departmentId?: string | null;

  @Field(() => ID, { nullable: true, description: "Scope: only responses matching this saved segment's filter (combined with the department, if any)." })
  @IsOptional()
  segmentId?: string | null;

  @Field(() => AlertWindow)
  window: AlertWindow;

  @Field(() => String, { nullable: true, description: 'IANA time zone the windows are cut in (default UTC).' })
  @IsOptional()
  timeZone?: string | null;

  @Field(() => AlertComparison, { nullable: true, description: 'Default PREVIOUS_WINDOW.' })
  @IsOptional()
  compareTo?: AlertComparison | null;

  @Field(() => Int, { nullable: true, description: 'Both windows need at least this sample to be tested (default 30; 1..1,000,000).' })
  @IsOptional()
  @Min(1)
  @Max(1_000_000)
  minSample?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  @IsOptional()
  active?: boolean | null;
}

@InputType({ description: 'Changes to an alert rule; omitted fields are unchanged. A rule\'s past alerts keep the figures they were raised on.' })
export class UpdateAlertRuleInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  @NotBlank()
  name?: string | null;

  @Field(() => AlertMetric, { nullable: true })
  @IsOptional()
  metric?: AlertMetric | null;

  @Field(() => ID, { nullable: true, description: 'null: no department (company-wide or segment only).' })
  @IsOptional()
  departmentId?: string | null;

  @Field(() => ID, { nullable: true, description: 'null: no segment.' })
  @IsOptional()
  segmentId?: string | null;

  @Field(() => AlertWindow, { nullable: true })
  @IsOptional()
  window?: AlertWindow | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  timeZone?: string | null;

  @Field(() => AlertComparison, { nullable: true })
  @IsOptional()
  compareTo?: AlertComparison | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1)
  @Max(1_000_000)
  minSample?: number | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  active?: boolean | null;
}

@InputType({ description: 'Which alerts to list; every criterion given must hold.' })
export class AlertFilter {
  @Field(() => [AlertStatus], { nullable: true, description: 'Only alerts in one of these states (a snooze that has run out counts as OPEN).' })
  @IsOptional()
  statuses?: AlertStatus[] | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  ruleId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only alerts of rules scoped to this department or one below it. NOT_FOUND when unknown; for a MANAGER key, FORBIDDEN outside its subtree.' })
  @IsOptional()
  departmentId?: string | null;

  @Field(() => [AlertMetric], { nullable: true })
  @IsOptional()
  metrics?: AlertMetric[] | null;

  @Field(() => Date, { nullable: true, description: 'Only alerts whose window starts at or after this instant.' })
  @IsOptional()
  windowFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Only alerts whose window starts before this instant.' })
  @IsOptional()
  windowTo?: Date | null;

  @Field(() => Int, { nullable: true, description: 'At most this many, newest window first (default 100, at most 500).' })
  @IsOptional()
  @Min(1)
  @Max(500)
  first?: number | null;
}
