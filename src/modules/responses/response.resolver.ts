import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { GraphQLInputObjectType, GraphQLResolveInfo } from 'graphql';
import { GraphQLJSON } from 'graphql-scalars';
import type { RequestContext } from '../../context';
import { loadRef } from '../../common/loader-factories';
import { parseId } from '../../common/ids';
import { categorize } from '../../scoring';
import { NpsCategory } from '../reporting/nps-category';
import { ResponseFilter } from '../reporting/filter/response-filter.input';
import { Survey } from '../surveys/survey.entity';
import { Customer } from '../customers/customer.entity';
import { Department } from '../departments/department.entity';
import { Person } from '../people/person.entity';
import { FollowUpAnswer, Response } from './response.entity';
import { ResponseInput } from './response.inputs';
import { ResponseConnection } from './response.types';
import { SubmitResponsesPayload } from './submit.types';
import { CorrectResponsesPayload, DeleteResponsesPayload, ResponseCorrectionInput, ResponseHistoryEntry } from './correction.types';
import { Permission } from '../auth/permissions';

@Resolver(() => Response)
export class ResponseResolver {
  @Query(() => ResponseConnection, {
    description: 'Responses matching the filter, newest first (respondedAt desc, id desc). A MANAGER key sees its subtree only. Needs READ_RESPONSES.',
  })
  responses(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => ResponseFilter, { nullable: true, description: 'Which responses; all when left out.' }) filter?: ResponseFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size: default 50, at most 500.' }) first?: number | null,
    @Arg('after', () => String, { nullable: true, description: 'endCursor of the previous page.' }) after?: string | null,
  ): Promise<ResponseConnection> {
    return ctx.services.responses.list(ctx, filter, first, after);
  }

  @Query(() => Response, { description: 'One response; NOT_FOUND when unknown (for a MANAGER key also when outside their subtree).' })
  response(@Ctx() ctx: RequestContext, @Arg('id', () => ID, { description: 'The response id.' }) id: string): Promise<Response> {
    return ctx.services.responses.byId(ctx, parseId(id, 'id'));
  }

  @Mutation(() => SubmitResponsesPayload, {
    description:
      'Stores up to 1,000 responses in one transaction, idempotent by externalRef: a row already stored with the same content (or repeated in the batch) is DUPLICATE and counted once; with different content it is CONFLICT (nothing changes; see conflictingFields). Each row is validated on its own; invalid rows are REJECTED while the others are stored. A row the GraphQL types refuse (a string score, a date without a time) fails the whole request (extensions.index and extensions.field name it): send such rows through submitResponseRows instead. More than 1,000 rows: BAD_USER_INPUT, nothing stored. Needs WRITE_RESPONSES.',
  })
  submitResponses(
    @Ctx() ctx: RequestContext,
    // Rows are validated one by one in the service (a bad row is REJECTED, not the whole call).
    @Arg('responses', () => [ResponseInput], { validate: false, description: 'At most 1,000 rows.' }) responses: ResponseInput[],
  ): Promise<SubmitResponsesPayload> {
    return ctx.services.ingest.submit(ctx, responses);
  }

  @Mutation(() => SubmitResponsesPayload, {
    description:
      'submitResponses for loosely typed rows: each row is a JSON object with the fields of ResponseInput, read through that type row by row, so a row with a field of the wrong type (a string score, a date without a time, an unknown or missing field) is REJECTED with BAD_USER_INPUT naming the field, and the others are stored. Same rules, statuses and limits as submitResponses. Needs WRITE_RESPONSES.',
  })
  submitResponseRows(
    @Ctx() ctx: RequestContext,
    @Arg('rows', () => [GraphQLJSON], { nullable: 'items', description: 'At most 1,000 rows, each a JSON object shaped like ResponseInput.' }) rows: unknown[],
    @Info() info: GraphQLResolveInfo,
  ): Promise<SubmitResponsesPayload> {
    return ctx.services.ingest.submitLoose(ctx, rows, info.schema.getType('ResponseInput') as GraphQLInputObjectType);
  }

  @Mutation(() => CorrectResponsesPayload, {
    description:
      'Corrects stored responses by externalRef (score, comment, follow-up answers, respondedAt, department, channel, touchpoint, agent), each with the version it was read at; every figure and pre-aggregate follows in the same transaction, the change is kept in Response.history and response.corrected goes out. A correction that makes a detractor opens its automatic follow-up; one that stops being a detractor leaves its items as they are. Per-row results; at most 1,000. Needs WRITE_RESPONSES (ADMIN, INTEGRATION).',
  })
  correctResponses(
    @Ctx() ctx: RequestContext,
    @Arg('corrections', () => [ResponseCorrectionInput], { description: 'At most 1,000; one per response.' }) corrections: ResponseCorrectionInput[],
  ): Promise<CorrectResponsesPayload> {
    return ctx.services.corrections.correct(ctx, corrections);
  }

  @Mutation(() => DeleteResponsesPayload, {
    description:
      "Deletes responses by externalRef, from every figure and pre-aggregate. Their still-OPEN automatic follow-ups are closed as WONT_DO with a note; other items keep their history. response.deleted goes out. An unknown (or already deleted) ref is NOT_FOUND, so a retry is safe. At most 1,000. Needs WRITE_RESPONSES (ADMIN, INTEGRATION).",
  })
  deleteResponses(
    @Ctx() ctx: RequestContext,
    @Arg('externalRefs', () => [String], { description: 'At most 1,000.' }) externalRefs: string[],
    @Arg('note', () => String, { nullable: true, description: 'Why; added to the notes of the follow-ups closed and to the events.' }) note?: string | null,
  ): Promise<DeleteResponsesPayload> {
    return ctx.services.corrections.delete(ctx, externalRefs, note);
  }

  @FieldResolver(() => [ResponseHistoryEntry], { description: 'Its corrections (correctResponses), oldest first; empty when never corrected. Needs READ_RESPONSES.' })
  history(@Ctx() ctx: RequestContext, @Root() response: Response): Promise<ResponseHistoryEntry[]> {
    return ctx.services.corrections.history(ctx, response);
  }

  @FieldResolver(() => NpsCategory, { description: '0-6 DETRACTOR, 7-8 PASSIVE, 9-10 PROMOTER (from the scoring module).' })
  category(@Root() response: Response): NpsCategory {
    return categorize(response.score) as NpsCategory;
  }

  @FieldResolver(() => Survey)
  async survey(@Ctx() ctx: RequestContext, @Root() response: Response): Promise<Survey> {
    return (await ctx.loaders.survey.load(response.surveyId))!;
  }

  // Verbatims and customer details need READ_RESPONSES even where a Response is reachable
  // otherwise (e.g. an integration key's submitResponses results): FORBIDDEN on the field.
  @FieldResolver(() => String, { nullable: true, description: 'The verbatim. Needs READ_RESPONSES.' })
  comment(@Ctx() ctx: RequestContext, @Root() response: Response): string | null {
    ctx.services.access.require(ctx, Permission.READ_RESPONSES);
    return response.comment;
  }

  @FieldResolver(() => [FollowUpAnswer], {
    description: "Answers to follow-up questions such as 'Why did you give that score?'. Needs READ_RESPONSES.",
  })
  followUpAnswers(@Ctx() ctx: RequestContext, @Root() response: Response): FollowUpAnswer[] {
    ctx.services.access.require(ctx, Permission.READ_RESPONSES);
    return response.followUpAnswers;
  }

  @FieldResolver(() => Customer, { nullable: true, description: 'Needs READ_RESPONSES.' })
  customer(@Ctx() ctx: RequestContext, @Root() response: Response): Promise<Customer | null> {
    ctx.services.access.require(ctx, Permission.READ_RESPONSES);
    return loadRef(ctx.loaders.customer, response.customerId);
  }

  @FieldResolver(() => Department, { nullable: true, description: 'The department responsible.' })
  department(@Ctx() ctx: RequestContext, @Root() response: Response): Promise<Department | null> {
    return loadRef(ctx.loaders.department, response.departmentId);
  }

  @FieldResolver(() => Person, { nullable: true, description: 'The frontline person (agent) involved, if any.' })
  agent(@Ctx() ctx: RequestContext, @Root() response: Response): Promise<Person | null> {
    return loadRef(ctx.loaders.person, response.agentId);
  }
}
