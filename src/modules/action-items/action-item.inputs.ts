import { Field, ID, InputType, Int } from 'type-graphql';
import { ArrayMaxSize, IsInt, IsOptional, Length, MaxLength, Min } from 'class-validator';
import { ActionItemPriority, ActionItemStatus } from './action-item.entity';

const OMIT_NULL = 'Omitted: unchanged. null: cleared.';

@InputType({
  description:
    'Creates an action item. With externalRef the call is idempotent: repeating it returns the existing item when every field it gives equals the value the item was created with, and fails with CONFLICT when one differs.',
})
export class CreateActionItemInput {
  @Field(() => String, {
    nullable: true,
    description: 'Required unless responseId is given; then it defaults to "Follow up: score N/10 on <survey>".',
  })
  @IsOptional()
  @Length(1, 300)
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'Key in the source system (e.g. the ticket id); unique, makes retries safe.' })
  @IsOptional()
  @Length(1, 200)
  externalRef?: string | null;

  @Field(() => ID, { nullable: true, description: 'The response being followed up. NOT_FOUND when unknown or, for a MANAGER key, outside its subtree.' })
  @IsOptional()
  responseId?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The response being followed up, by the externalRef it was submitted with (instead of responseId): integrations link tickets to responses without reading them. NOT_FOUND when unknown or, for a MANAGER key, outside its subtree.",
  })
  @IsOptional()
  @Length(1, 200)
  responseExternalRef?: string | null;

  @Field(() => ID, { nullable: true, description: "Owning department. Defaults to the response's department." })
  @IsOptional()
  departmentId?: string | null;

  @Field(() => ID, { nullable: true, description: "Omitted: the department's owner. null: unassigned. A MANAGER key may only name people of its subtree." })
  @IsOptional()
  assigneeId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: "Person accountable for the item. Omitted: the department's owner. null: none. A MANAGER key may only name people of its subtree.",
  })
  @IsOptional()
  ownerId?: string | null;

  @Field(() => Date, { nullable: true, description: "SLA deadline. Omitted: now plus the department's SLA hours. null: none." })
  @IsOptional()
  dueAt?: Date | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(5000)
  description?: string | null;

  @Field(() => ActionItemPriority, { nullable: true, description: 'Default MEDIUM.' })
  @IsOptional()
  priority?: ActionItemPriority | null;
}

@InputType({
  description:
    'Changes an action item found by id or by externalRef (exactly one). An update that changes nothing is a no-op (same version, no event), so retries are harmless; every real change increments the version by one and is recorded as events.',
})
export class UpdateActionItemInput {
  @Field(() => ID, { nullable: true, description: 'Either id or externalRef.' })
  @IsOptional()
  id?: string | null;

  @Field(() => String, { nullable: true, description: 'Either id or externalRef.' })
  @IsOptional()
  @Length(1, 200)
  externalRef?: string | null;

  @Field(() => ActionItemStatus, {
    nullable: true,
    description: 'New status; must be an allowed move (see ActionItem.allowedTransitions). Omitted or null: unchanged.',
  })
  @IsOptional()
  status?: ActionItemStatus | null;

  @Field(() => ID, { nullable: true, description: `Person the item is assigned to. ${OMIT_NULL} A MANAGER key may only name people of its subtree.` })
  @IsOptional()
  assigneeId?: string | null;

  @Field(() => String, { nullable: true, description: 'Kept with the events of this change. A note alone changes nothing.' })
  @IsOptional()
  @MaxLength(2000)
  note?: string | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'When given and stale, an update that would change something fails with extensions.code CONFLICT (extensions.currentVersion tells the current one) and changes nothing.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number | null;

  @Field(() => String, { nullable: true, description: 'Omitted or null: unchanged.' })
  @IsOptional()
  @Length(1, 300)
  title?: string | null;

  @Field(() => ActionItemPriority, { nullable: true, description: 'Omitted or null: unchanged.' })
  @IsOptional()
  priority?: ActionItemPriority | null;

  @Field(() => Date, { nullable: true, description: `SLA deadline. ${OMIT_NULL}` })
  @IsOptional()
  dueAt?: Date | null;

  @Field(() => String, { nullable: true, description: OMIT_NULL })
  @IsOptional()
  @MaxLength(5000)
  description?: string | null;
}

@InputType({ description: 'Which action items to list. Fields combine with AND; values within a list with OR.' })
export class ActionItemFilter {
  @Field(() => [ActionItemStatus], { nullable: true, description: 'An empty list is the same as leaving the field out.' })
  @IsOptional()
  statuses?: ActionItemStatus[] | null;

  @Field(() => [ID], { nullable: true, description: 'Each department counts with its whole subtree.' })
  @IsOptional()
  @ArrayMaxSize(500)
  departmentIds?: string[] | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  assigneeId?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true: only items not closed whose dueAt has passed; false: only the others.',
  })
  @IsOptional()
  overdue?: boolean | null;

  @Field(() => ID, { nullable: true, description: 'Only the items of this response.' })
  @IsOptional()
  responseId?: string | null;

  @Field(() => [ActionItemPriority], { nullable: true, description: 'One priority or a list of them.' })
  @IsOptional()
  priority?: ActionItemPriority[] | null;

  @Field(() => Date, { nullable: true, description: 'Created at or after (inclusive).' })
  @IsOptional()
  createdFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Created before (exclusive).' })
  @IsOptional()
  createdTo?: Date | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only items opened automatically for a detractor; false: only the others.' })
  @IsOptional()
  autoCreated?: boolean | null;
}
