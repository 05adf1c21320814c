import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context';
import { loadRef } from '../../common/loader-factories';
import { parseId } from '../../common/ids';
import { Department } from '../departments/department.entity';
import { Person } from '../people/person.entity';
import { Response } from '../responses/response.entity';
import { ActionItem, ActionItemStatus } from './action-item.entity';
import { ActionItemEvent } from './action-item-event.entity';
import { ActionItemFilter, CreateActionItemInput, UpdateActionItemInput } from './action-item.inputs';
import { ActionItemConnection, BulkUpdateActionItemsPayload } from './action-item.types';
import { allowedTransitions } from './action-item-transitions';

@Resolver(() => ActionItem)
export class ActionItemResolver {
  @Query(() => ActionItemConnection, { description: 'Action items, newest first (createdAt desc, id desc). Managers see those of their department subtree.' })
  actionItems(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => ActionItemFilter, { nullable: true }) filter?: ActionItemFilter,
    @Arg('first', () => Int, { nullable: true, description: 'Page size: default 50, at most 500.' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'endCursor of the previous page.' }) after?: string,
  ): Promise<ActionItemConnection> {
    return ctx.services.actionItems.list(ctx, filter, first, after);
  }

  @Query(() => ActionItem)
  actionItem(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<ActionItem> {
    return ctx.services.actionItems.byId(ctx, parseId(id, 'id'));
  }

  @Mutation(() => ActionItem, {
    description:
      "Creates an action item, by default for the response's department, assigned to the department's owner and due after the department's SLA. Idempotent by externalRef.",
  })
  createActionItem(@Ctx() ctx: RequestContext, @Arg('input', () => CreateActionItemInput) input: CreateActionItemInput): Promise<ActionItem> {
    return ctx.services.actionItems.create(ctx, input);
  }

  @Mutation(() => ActionItem, { description: 'Changes an action item found by id or externalRef; see UpdateActionItemInput.' })
  updateActionItem(@Ctx() ctx: RequestContext, @Arg('input', () => UpdateActionItemInput) input: UpdateActionItemInput): Promise<ActionItem> {
    return ctx.services.actionItems.update(ctx, input);
  }

  @Mutation(() => BulkUpdateActionItemsPayload, {
    description: 'Applies up to 500 updates, each on its own, and reports per update: UPDATED, UNCHANGED (a harmless retry) or REJECTED with the error.',
  })
  bulkUpdateActionItems(
    @Ctx() ctx: RequestContext,
    @Arg('updates', () => [UpdateActionItemInput], { validate: false, description: 'At most 500; each is validated on its own.' })
    updates: UpdateActionItemInput[],
  ): Promise<BulkUpdateActionItemsPayload> {
    return ctx.services.actionItems.bulkUpdate(ctx, updates);
  }

  @FieldResolver(() => Response, {
    nullable: true,
    description:
      "The response followed up. Needs READ_RESPONSES; for a MANAGER key, FORBIDDEN when the response belongs to a department outside its subtree (an item of theirs may follow up another department's response).",
  })
  response(@Ctx() ctx: RequestContext, @Root() item: ActionItem): Promise<Response | null> {
    return ctx.services.actionItems.response(ctx, item);
  }

  @FieldResolver(() => Department, { nullable: true, description: 'The department that owns the item.' })
  department(@Ctx() ctx: RequestContext, @Root() item: ActionItem): Promise<Department | null> {
    return loadRef(ctx.loaders.department, item.departmentId);
  }

  @FieldResolver(() => Person, { nullable: true, description: 'The person accountable for the item.' })
  owner(@Ctx() ctx: RequestContext, @Root() item: ActionItem): Promise<Person | null> {
    return loadRef(ctx.loaders.person, item.ownerId);
  }

  @FieldResolver(() => Person, { nullable: true, description: 'The person working on the item.' })
  assignee(@Ctx() ctx: RequestContext, @Root() item: ActionItem): Promise<Person | null> {
    return loadRef(ctx.loaders.person, item.assigneeId);
  }

  @FieldResolver(() => [ActionItemEvent], { description: 'Every change, oldest first: created, then each field change with who, when, from, to and note.' })
  events(@Ctx() ctx: RequestContext, @Root() item: ActionItem): Promise<ActionItemEvent[]> {
    return ctx.services.actionItems.events(ctx, item);
  }

  @FieldResolver(() => [ActionItemStatus], { description: 'The statuses this item may move to now.' })
  allowedTransitions(@Root() item: ActionItem): readonly ActionItemStatus[] {
    return allowedTransitions(item.status);
  }
}
