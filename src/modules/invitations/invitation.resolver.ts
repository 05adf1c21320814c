import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../context';
import { TrendInterval } from '../reporting/reporting.types';
import { ContactRuleInput, RateDimension, ResponseRateFilter, SurveyInvitationInput } from './invitation.inputs';
import { ContactEligibility, ContactRule, RecordInvitationsPayload, ResponseRate } from './invitation.types';
import { responseRates } from './response-rates';

@Resolver()
export class InvitationResolver {
  @Mutation(() => RecordInvitationsPayload, {
    description:
      'Records up to 1,000 survey invitations sent, idempotent by externalRef (a row stored before, or repeated in the batch, is DUPLICATE). Each row is validated on its own. Needs WRITE_RESPONSES (ADMIN and INTEGRATION keys).',
  })
  recordSurveyInvitations(
    @Ctx() ctx: RequestContext,
    @Arg('invitations', () => [SurveyInvitationInput], { validate: false, description: 'At most 1,000 rows.' }) invitations: SurveyInvitationInput[],
  ): Promise<RecordInvitationsPayload> {
    return ctx.services.invitations.record(ctx, invitations);
  }

  @Query(() => [ResponseRate], {
    description:
      'Response rates (invitations with a linked response over invitations sent, by the day they were sent, UTC) with a 95% Wilson interval, broken down as asked. One row per group with invitations. Needs READ_REPORTS; a MANAGER key counts its subtree only.',
  })
  responseRates(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => ResponseRateFilter, { nullable: true }) filter?: ResponseRateFilter | null,
    @Arg('by', () => [RateDimension], { defaultValue: [], description: 'Break down by these (none: one overall rate).' }) by?: RateDimension[],
    @Arg('interval', () => TrendInterval, { nullable: true, description: 'Also by UTC period of this length.' }) interval?: TrendInterval | null,
  ): Promise<ResponseRate[]> {
    return responseRates(ctx, ctx.services, filter, by ?? [], interval);
  }

  @Query(() => [ContactRule], { description: 'The contact rules: company-wide first, then by survey code. Needs READ_ORG.' })
  contactRules(@Ctx() ctx: RequestContext): Promise<ContactRule[]> {
    return ctx.services.contactRules.list(ctx);
  }

  @Mutation(() => ContactRule, { description: 'Sets (creates or replaces) the contact rules of a survey, or the company-wide ones. Needs WRITE_ORG.' })
  setContactRule(@Ctx() ctx: RequestContext, @Arg('input') input: ContactRuleInput): Promise<ContactRule> {
    return ctx.services.contactRules.set(ctx, input);
  }

  @Mutation(() => Boolean, { description: 'Removes the contact rules of a survey (or the company-wide ones, surveyCode left out); whether there were any. Needs WRITE_ORG.' })
  deleteContactRule(@Ctx() ctx: RequestContext, @Arg('surveyCode', () => String, { nullable: true }) surveyCode?: string | null): Promise<boolean> {
    return ctx.services.contactRules.remove(ctx, surveyCode);
  }

  @Mutation(() => Int, {
    description:
      'Puts customers on the do-not-contact list (listed true; unknown customers are created with their reference) or takes them off (listed false). Returns how many entries changed. At most 1,000 refs. Needs WRITE_RESPONSES.',
  })
  setDoNotContact(
    @Ctx() ctx: RequestContext,
    @Arg('customerRefs', () => [String]) customerRefs: string[],
    @Arg('listed', { defaultValue: true }) listed: boolean,
    @Arg('reason', () => String, { nullable: true, description: 'Why (unsubscribed, complaint...); at most 500 characters.' }) reason?: string | null,
  ): Promise<number> {
    return ctx.services.contactRules.setDoNotContact(ctx, customerRefs, listed, reason);
  }

  @Query(() => [ContactEligibility], {
    description:
      "Whether each customer may be invited to the survey at `at` (default now) under the survey's contact rules, the company-wide ones and the do-not-contact list; answered in one statement for up to 1,000 customers, in input order. Needs WRITE_RESPONSES (ADMIN and INTEGRATION keys).",
  })
  contactEligibility(
    @Ctx() ctx: RequestContext,
    @Arg('surveyCode') surveyCode: string,
    @Arg('customerRefs', () => [String], { description: 'At most 1,000 customer externalRefs.' }) customerRefs: string[],
    @Arg('at', () => Date, { nullable: true }) at?: Date | null,
  ): Promise<ContactEligibility[]> {
    return ctx.services.contactRules.eligibility(ctx, surveyCode, customerRefs, at);
  }
}
