import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context';
import { parseId } from '../../common/ids';
import { ResponseFilter } from '../reporting/filter/response-filter.input';
import { NpsScore } from '../reporting/nps-score.type';
import { Department } from '../departments/department.entity';
import { Survey } from '../surveys/survey.entity';
import { SegmentFilter } from './segment-filter.type';
import { CreateSegmentInput, UpdateSegmentInput } from './segment.inputs';
import { Segment } from './segment.entity';
import { ReportCached } from '../../common/report-cache/cached.decorator';

@Resolver(() => Segment)
export class SegmentResolver {
  @ReportCached()
  @Query(() => [Segment], { description: 'Every saved segment, ordered by name.' })
  segments(@Ctx() ctx: RequestContext): Promise<Segment[]> {
    return ctx.services.segments.list(ctx);
  }

  @ReportCached()
  @Query(() => Segment, { description: 'One segment; NOT_FOUND when it does not exist.' })
  segment(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<Segment> {
    return ctx.services.segments.byId(ctx, parseId(id, 'id'));
  }

  @Mutation(() => Segment, { description: 'Saves a named filter. A name already used (in any case) is a CONFLICT.' })
  createSegment(@Ctx() ctx: RequestContext, @Arg('input') input: CreateSegmentInput): Promise<Segment> {
    return ctx.services.segments.create(ctx, input);
  }

  @Mutation(() => Segment, { description: 'Renames a segment, or changes its description or filter.' })
  updateSegment(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Arg('input') input: UpdateSegmentInput): Promise<Segment> {
    return ctx.services.segments.update(ctx, parseId(id, 'id'), input);
  }

  @Mutation(() => ID, {
    description: 'Deletes a segment and returns its id. A segment used by KPI targets is refused with CONFLICT (extensions.kpiTargets says how many).',
  })
  deleteSegment(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<string> {
    return ctx.services.segments.delete(ctx, parseId(id, 'id'));
  }

  @FieldResolver(() => SegmentFilter, { description: 'The saved filter, field by field.' })
  filter(@Ctx() ctx: RequestContext, @Root() segment: Segment): SegmentFilter {
    return ctx.services.segments.filterOf(ctx, segment);
  }

  @FieldResolver(() => NpsScore, {
    description:
      "The segment's own filter, narrowed by the one given (both apply). filter.segmentId may only name this segment. Scores of several segments in one request are computed in one statement.",
  })
  score(
    @Ctx() ctx: RequestContext,
    @Root() segment: Segment,
    @Arg('filter', () => ResponseFilter, { nullable: true }) filter?: ResponseFilter,
  ): Promise<NpsScore> {
    return ctx.services.segments.score(ctx, segment, filter);
  }
}

@Resolver(() => SegmentFilter)
export class SegmentFilterResolver {
  @FieldResolver(() => [Department], { description: 'The departments of departmentIds or departmentCodes that still exist.' })
  departments(@Ctx() ctx: RequestContext, @Root() filter: SegmentFilter): Promise<Department[]> {
    return ctx.services.segments.filterDepartments(ctx, filter);
  }

  @FieldResolver(() => [Survey], { description: 'The surveys of surveyIds that still exist.' })
  surveys(@Ctx() ctx: RequestContext, @Root() filter: SegmentFilter): Promise<Survey[]> {
    return ctx.services.segments.filterSurveys(ctx, filter);
  }
}
