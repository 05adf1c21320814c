import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context';
import { parseId } from '../../common/ids';
import { ActionItem } from '../action-items/action-item.entity';
import { CreateInitiativeInput, Initiative, InitiativeEffect, InitiativeProgress } from './initiative.types';

const WRITERS = 'Needs WRITE_INITIATIVES (ADMIN, EXECUTIVE; MANAGER within its subtree)';

@Resolver(() => Initiative)
export class InitiativeResolver {
  @Query(() => [Initiative], { description: 'Initiatives, latest start first. Needs READ_REPORTS; a MANAGER key sees those for departments of its subtree.' })
  initiatives(@Ctx() ctx: RequestContext): Promise<Initiative[]> {
    return ctx.services.initiatives.list(ctx);
  }

  @Query(() => Initiative, { description: 'One initiative; NOT_FOUND when unknown, FORBIDDEN for a MANAGER key outside its subtree.' })
  initiative(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<Initiative> {
    return ctx.services.initiatives.byId(ctx, parseId(id, 'id'));
  }

  @Mutation(() => Initiative, { description: `Creates an initiative. ${WRITERS}.` })
  createInitiative(@Ctx() ctx: RequestContext, @Arg('input') input: CreateInitiativeInput): Promise<Initiative> {
    return ctx.services.initiatives.create(ctx, input);
  }

  @Mutation(() => Initiative, {
    description: `Links action items to an initiative (linked true, the default) or unlinks them; all or nothing. An item belongs to at most one initiative (CONFLICT). ${WRITERS}.`,
  })
  setInitiativeActionItems(
    @Ctx() ctx: RequestContext,
    @Arg('initiativeId', () => ID) initiativeId: string,
    @Arg('actionItemIds', () => [ID]) actionItemIds: string[],
    @Arg('linked', { defaultValue: true }) linked: boolean,
  ): Promise<Initiative> {
    return ctx.services.initiatives.setActionItems(ctx, parseId(initiativeId, 'initiativeId'), actionItemIds.map((id) => parseId(id, 'actionItemIds')), linked);
  }

  @FieldResolver(() => [ActionItem], { description: 'Its action items (a MANAGER key: those of its subtree). Needs READ_ACTION_ITEMS.' })
  actionItems(@Ctx() ctx: RequestContext, @Root() initiative: Initiative): Promise<ActionItem[]> {
    return ctx.services.initiatives.actionItems(ctx, initiative);
  }

  @FieldResolver(() => InitiativeProgress, { description: 'Its action items by status.' })
  progress(@Ctx() ctx: RequestContext, @Root() initiative: Initiative): Promise<InitiativeProgress> {
    return ctx.services.initiatives.progress(ctx, initiative);
  }

  @FieldResolver(() => InitiativeEffect, { description: 'The measured effect: NPS before and after the start in the scope and outside it, and the difference in differences with its significance.' })
  effect(
    @Ctx() ctx: RequestContext,
    @Root() initiative: Initiative,
    @Arg('windowDays', () => Int, { nullable: true, description: "Days of each window; default the initiative's windowDays." }) windowDays?: number | null,
  ): Promise<InitiativeEffect> {
    return ctx.services.initiatives.effect(ctx, initiative, windowDays);
  }
}
