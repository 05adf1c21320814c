import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import { selectsAny } from '../../common/selected-fields';
import type { RequestContext } from '../../context';
import { notFound } from '../../common/errors';
import { parseOptionalId } from '../../common/ids';
import { Department } from '../departments/department.entity';
import { ResponseFilter } from '../reporting/filter/response-filter.input';
import { TrendInterval } from '../reporting/reporting.types';
import { MAX_TREND_BUCKETS } from '../reporting/time-buckets';
import { CLOSED_LOOP_MEDIANS, ClosedLoopMetrics, ClosedLoopTrendPoint, DepartmentClosedLoop } from './closed-loop.types';
import { ReportCached } from '../../common/report-cache/cached.decorator';

const SCOPE = 'A MANAGER key only ever counts responses of its own department subtree.';
const AS_OF =
  'The figures as they stood at this instant (default: now): responses given before it, and their action items created before it as their recorded history (status, due date, assignee) left them then; overdue is judged at it. ' +
  'Late responses (given before the instant, stored after it) and corrections no history records (a response corrected, moved or deleted, an item deleted) change past figures too. BAD_USER_INPUT (field asOf) when more than 5 minutes in the future (less, for clock skew, is read as now). Computed from the raw rows and the history: slower than the figures as of now.';

@Resolver()
export class ClosedLoopResolver {
  @ReportCached()
  @Query(() => ClosedLoopMetrics, { description: `Closed-loop metrics of the responses matching the filter and their action items. ${SCOPE}` })
  closedLoop(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => ResponseFilter, { nullable: true }) filter: ResponseFilter | undefined,
    @Arg('asOf', () => Date, { nullable: true, description: AS_OF }) asOf: Date | undefined,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ClosedLoopMetrics> {
    return ctx.services.closedLoop.summary(ctx, filter, asOf, { medians: selectsAny(info, CLOSED_LOOP_MEDIANS) });
  }

  @ReportCached()
  @Query(() => [DepartmentClosedLoop], {
    description:
      "Closed-loop metrics of the children of parentId (of the roots when null; for a MANAGER key, of its own department), each over its whole subtree, ordered by code. Responses without a department are in no subtree (closedLoop counts them). A parentId outside a MANAGER key's subtree is FORBIDDEN.",
  })
  closedLoopByDepartment(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => ResponseFilter, { nullable: true }) filter: ResponseFilter | undefined,
    @Arg('parentId', () => ID, { nullable: true }) parentId: string | undefined,
    @Arg('asOf', () => Date, { nullable: true, description: AS_OF }) asOf: Date | undefined,
    @Info() info: GraphQLResolveInfo,
  ): Promise<DepartmentClosedLoop[]> {
    return ctx.services.closedLoop.byDepartment(ctx, filter, parseOptionalId(parentId, 'parentId'), asOf, { medians: selectsAny(info, CLOSED_LOOP_MEDIANS, ['metrics']) });
  }

  @ReportCached()
  @Query(() => [ClosedLoopTrendPoint], {
    description:
      'Closed-loop metrics per time bucket of the response date, oldest first, every bucket included. The range is filter.from (inclusive) to filter.to ' +
      `(exclusive, default now); without filter.from it starts at the first matching response. At most ${MAX_TREND_BUCKETS} buckets. ${SCOPE}`,
  })
  closedLoopTrend(
    @Ctx() ctx: RequestContext,
    @Arg('interval', () => TrendInterval) interval: TrendInterval,
    @Arg('filter', () => ResponseFilter, { nullable: true }) filter: ResponseFilter | undefined,
    @Arg('timeZone', () => String, { nullable: true, description: 'IANA time zone in which buckets start at local midnight (default UTC). Weeks start on Monday (ISO).' })
    timeZone?: string,
    @Arg('asOf', () => Date, { nullable: true, description: `${AS_OF} Every bucket is as of this instant, and filter.to defaults to it.` })
    asOf?: Date,
  ): Promise<ClosedLoopTrendPoint[]> {
    return ctx.services.closedLoop.trend(ctx, filter, interval, timeZone, asOf);
  }
}

@Resolver(() => DepartmentClosedLoop)
export class DepartmentClosedLoopResolver {
  @FieldResolver(() => Department)
  async department(@Ctx() ctx: RequestContext, @Root() row: DepartmentClosedLoop): Promise<Department> {
    const dept = await ctx.loaders.department.load(row.departmentId);
    if (!dept) throw notFound('Department', row.departmentId);
    return dept;
  }
}
