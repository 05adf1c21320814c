import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context';
import { notFound } from '../../common/errors';
import { parseOptionalId } from '../../common/ids';
import { loadRef } from '../../common/loader-factories';
import { Department } from '../departments/department.entity';
import { Person } from '../people/person.entity';
import { Survey } from '../surveys/survey.entity';
import { Theme } from '../themes/theme.types';
import { DEFAULT_BREAKDOWN_LIMIT, DEFAULT_FOLLOW_UP_QUESTION, MAX_BREAKDOWN_LIMIT } from './breakdown';
import { ResponseFilter } from './filter/response-filter.input';
import { NpsScore, ScoreChange } from './nps-score.type';
import { MAX_DEPARTMENT_LEVELS } from './department-rollup';
import { BreakdownDimension, CompareTo, DepartmentScore, NpsBreakdownItem, NpsComparison, TrendInterval, TrendPoint } from './reporting.types';
import { MAX_TREND_BUCKETS } from './time-buckets';
import { ReportCached } from '../../common/report-cache/cached.decorator';

const FILTER = 'Which responses count (all when omitted).';
const SCOPE = 'A MANAGER key only ever counts responses of its own department subtree.';
const ZONE_ARG = 'IANA time zone, e.g. "Europe/Paris" (default UTC).';
const COMPARE_TO_ARG = 'Which earlier period the change is against (default PREVIOUS_PERIOD).';
const CHANGE_NULL =
  'default PREVIOUS_PERIOD, as npsComparison: the current period is filter.from..filter.to; without both bounds change is null; with compareTo given both are required, BAD_USER_INPUT otherwise).';
const CHANGE_FIELD =
  'Against the same scope over the period compareTo names (npsComparison\'s rules: PREVIOUS_PERIOD by default, PREVIOUS_CALENDAR_PERIOD, SAME_PERIOD_LAST_YEAR; no like-for-like period gives NOT_COMPARABLE with an empty previous). Null when the filter lacks from or to. Counted on first use for every row of the list at once (one statement), through the fact planner.';

@Resolver()
export class ReportingResolver {
  @ReportCached()
  @Query(() => NpsScore, { description: `The score of the responses matching the filter (all responses when none). ${SCOPE}` })
  npsSummary(@Ctx() ctx: RequestContext, @Arg('filter', () => ResponseFilter, { nullable: true, description: FILTER }) filter?: ResponseFilter): Promise<NpsScore> {
    return ctx.services.reporting.summary(ctx, filter);
  }

  @ReportCached()
  @Query(() => [TrendPoint], {
    description:
      'The score per time bucket, oldest first, every bucket included (empty ones have responses 0 and nps null), each with its change against the previous point (or, with compareTo SAME_PERIOD_LAST_YEAR, against the same bucket a year earlier). ' +
      'The range is filter.from (inclusive) to filter.to (exclusive); when filter.to is missing it is now, and when filter.from is missing it is the first matching response ' +
      `(no matching response: an empty list). The first and last buckets may be partial (TrendPoint.partial). At most ${MAX_TREND_BUCKETS} buckets (more: BAD_USER_INPUT). ${SCOPE}`,
  })
  npsTrend(
    @Ctx() ctx: RequestContext,
    @Arg('interval', () => TrendInterval, { description: 'Bucket length.' }) interval: TrendInterval,
    @Arg('filter', () => ResponseFilter, { nullable: true, description: FILTER }) filter?: ResponseFilter,
    @Arg('timeZone', () => String, {
      nullable: true,
      description: 'IANA time zone in which buckets start at local midnight, e.g. "Europe/Paris" (default UTC). Weeks start on Monday (ISO).',
    })
    timeZone?: string,
    @Arg('compareTo', () => CompareTo, {
      nullable: true,
      defaultValue: CompareTo.PREVIOUS_PERIOD,
      description:
        "What each point's change is against. PREVIOUS_PERIOD (default) and PREVIOUS_CALENDAR_PERIOD: the previous point (buckets are calendar units of the time zone already); the first point has none. SAME_PERIOD_LAST_YEAR: the same part of the same bucket a year earlier, for every point.",
    })
    compareTo?: CompareTo | null,
  ): Promise<TrendPoint[]> {
    return ctx.services.reporting.trend(ctx, filter, interval, timeZone, compareTo);
  }

  @ReportCached()
  @Query(() => [DepartmentScore], {
    description:
      "Scores of the children of parentId (of the roots when null; for a MANAGER key, of its own department), each over its whole subtree; with levels > 1 also the departments below them down to that depth (a whole subtree in one request: each row says its parent and depth), depth first, siblings ordered by code. Departments without responses appear with responses 0. Responses without a department are in no subtree: npsSummary counts them, these scores do not. A parentId outside a MANAGER key's subtree is FORBIDDEN. " +
      `Each row's change is against the period compareTo names (${CHANGE_NULL})`,
  })
  departmentScores(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => ResponseFilter, { nullable: true, description: FILTER }) filter?: ResponseFilter,
    @Arg('parentId', () => ID, { nullable: true, description: 'The department whose children are scored; omitted: the roots (a MANAGER key: its own department).' }) parentId?: string,
    @Arg('levels', () => Int, {
      nullable: true,
      description: `How many levels to return (default 1: the children of parentId, or the roots, only; 2 adds their children, and so on; at most ${MAX_DEPARTMENT_LEVELS}). Every row is over its own whole subtree, so a parent's score includes its children's rows: do not add rows of different depths.`,
    })
    levels?: number,
    @Arg('compareTo', () => CompareTo, { nullable: true, description: `${COMPARE_TO_ARG} Giving it requires filter.from and filter.to.` }) compareTo?: CompareTo | null,
    @Arg('timeZone', () => String, { nullable: true, description: `${ZONE_ARG} The calendar of compareTo.` }) timeZone?: string,
  ): Promise<DepartmentScore[]> {
    return ctx.services.reporting.departmentScores(ctx, filter, parentOf(parentId), { levels, compareTo, timeZone });
  }

  @ReportCached()
  @Query(() => [NpsBreakdownItem], {
    description: `The score per value of one dimension (channel, touchpoint, region, plan, survey, survey kind, agent, theme or the answer to a follow-up question), most responses first. Each item's change is against the period compareTo names (${CHANGE_NULL}) ${SCOPE}`,
  })
  npsBreakdown(
    @Ctx() ctx: RequestContext,
    @Arg('by', () => BreakdownDimension, { description: 'What to group by.' }) by: BreakdownDimension,
    @Arg('filter', () => ResponseFilter, { nullable: true, description: FILTER }) filter?: ResponseFilter,
    @Arg('limit', () => Int, { nullable: true, description: `Most values returned (default ${DEFAULT_BREAKDOWN_LIMIT}, at most ${MAX_BREAKDOWN_LIMIT}).` })
    limit?: number,
    @Arg('compareTo', () => CompareTo, { nullable: true, description: `${COMPARE_TO_ARG} Giving it requires filter.from and filter.to.` }) compareTo?: CompareTo | null,
    @Arg('timeZone', () => String, { nullable: true, description: `${ZONE_ARG} The calendar of compareTo.` }) timeZone?: string,
    @Arg('question', () => String, {
      nullable: true,
      description: `For by: FOLLOW_UP_ANSWER: the follow-up question whose answers are grouped (matched trimmed and case-insensitively; default "${DEFAULT_FOLLOW_UP_QUESTION}"). With another dimension: BAD_USER_INPUT.`,
    })
    question?: string,
  ): Promise<NpsBreakdownItem[]> {
    return ctx.services.reporting.breakdown(ctx, by, filter, limit, { compareTo, timeZone, question });
  }

  @ReportCached()
  @Query(() => NpsComparison, {
    description:
      'The period filter.from..filter.to (both required) against an earlier period, with the change, its significance and its verdict. ' +
      'compareTo (default PREVIOUS_PERIOD, the period of equal length immediately before) can ask for the previous calendar unit(s) or the same period last year, in timeZone. ' +
      `The test assumes independent samples; where the same customers answer in both periods it is approximate. ${SCOPE}`,
  })
  npsComparison(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => ResponseFilter, { description: 'from and to (both required) give the current period; the other fields narrow both periods.' }) filter: ResponseFilter,
    @Arg('compareTo', () => CompareTo, { nullable: true, defaultValue: CompareTo.PREVIOUS_PERIOD, description: COMPARE_TO_ARG }) compareTo?: CompareTo | null,
    @Arg('timeZone', () => String, { nullable: true, description: `${ZONE_ARG} Calendar units (days, ISO weeks, months, quarters, years) are those of this zone.` }) timeZone?: string,
  ): Promise<NpsComparison> {
    return ctx.services.reporting.comparison(ctx, filter, compareTo, timeZone);
  }
}

const parentOf = (parentId: string | undefined) => parseOptionalId(parentId, 'parentId');

@Resolver(() => DepartmentScore)
export class DepartmentScoreResolver {
  @FieldResolver(() => Department, { description: 'The department scored (with its subtree).' })
  async department(@Ctx() ctx: RequestContext, @Root() row: DepartmentScore): Promise<Department> {
    const dept = await ctx.loaders.department.load(row.departmentId);
    if (!dept) throw notFound('Department', row.departmentId);
    return dept;
  }

  @FieldResolver(() => Department, { nullable: true, description: "The department's parent (null for a root); with levels > 1, the row it sits under is that parent's row (depth one less), except at depth 1." })
  parent(@Ctx() ctx: RequestContext, @Root() row: DepartmentScore): Promise<Department | null> {
    return loadRef(ctx.loaders.department, row.parentId);
  }

  @FieldResolver(() => ScoreChange, { nullable: true, description: `The subtree's change. ${CHANGE_FIELD}` })
  async change(@Root() row: DepartmentScore): Promise<ScoreChange | null> {
    return row.previousScore ? ScoreChange.between(await row.previousScore(), row.score) : null;
  }
}

@Resolver(() => NpsBreakdownItem)
export class NpsBreakdownItemResolver {
  @FieldResolver(() => Survey, { nullable: true, description: 'For SURVEY: the survey.' })
  survey(@Ctx() ctx: RequestContext, @Root() item: NpsBreakdownItem): Promise<Survey | null> {
    return loadRef(ctx.loaders.survey, item.dimension === BreakdownDimension.SURVEY ? item.id : null);
  }

  @FieldResolver(() => Person, { nullable: true, description: 'For AGENT: the person.' })
  agent(@Ctx() ctx: RequestContext, @Root() item: NpsBreakdownItem): Promise<Person | null> {
    return loadRef(ctx.loaders.person, item.dimension === BreakdownDimension.AGENT ? item.id : null);
  }

  @FieldResolver(() => ScoreChange, { nullable: true, description: `The value's change (the same value, the same filter). ${CHANGE_FIELD}` })
  async change(@Root() item: NpsBreakdownItem): Promise<ScoreChange | null> {
    return item.previousScore ? ScoreChange.between(await item.previousScore(), item.score) : null;
  }

  @FieldResolver(() => Theme, { nullable: true, description: 'For THEME: the theme.' })
  theme(@Ctx() ctx: RequestContext, @Root() item: NpsBreakdownItem): Promise<Theme | null> {
    return loadRef(ctx.loaders.theme, item.dimension === BreakdownDimension.THEME ? item.id : null);
  }
}
