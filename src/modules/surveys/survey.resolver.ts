import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../context';
import { parseId } from '../../common/ids';
import { Survey } from './survey.entity';
import { SurveyInput } from './survey.inputs';
import { ReportCached } from '../../common/report-cache/cached.decorator';

@Resolver(() => Survey)
export class SurveyResolver {
  @ReportCached()
  @Query(() => [Survey], { description: 'All surveys, ordered by code.' })
  surveys(@Ctx() ctx: RequestContext): Promise<Survey[]> {
    return ctx.services.surveys.list(ctx);
  }

  @ReportCached()
  @Query(() => Survey, { description: 'One survey; NOT_FOUND when the id is unknown.' })
  survey(@Ctx() ctx: RequestContext, @Arg('id', () => ID, { description: 'The survey id.' }) id: string): Promise<Survey> {
    return ctx.services.surveys.byId(ctx, parseId(id, 'id'));
  }

  @Mutation(() => Survey, { description: 'Creates or updates a survey by code (idempotent). Needs WRITE_ORG.' })
  upsertSurvey(@Ctx() ctx: RequestContext, @Arg('input', { description: 'The survey; code is the key.' }) input: SurveyInput): Promise<Survey> {
    return ctx.services.surveys.upsert(ctx, input);
  }
}
