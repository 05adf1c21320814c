import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../../context';
import { loadRef } from '../../../common/loader-factories';
import { ReportCached } from '../../../common/report-cache/cached.decorator';
import { Department } from '../../departments/department.entity';
import { Person } from '../../people/person.entity';
import { Segment } from '../../segments/segment.entity';
import { Survey } from '../../surveys/survey.entity';
import { ResponseFilter } from '../filter/response-filter.input';
import { BreakdownDimension, CompareTo } from '../reporting.types';
import { DEFAULT_MOVERS_LIMIT, MAX_MOVERS_LIMIT } from './movers.service';
import { Mover, MoverKind, Movers } from './movers.types';

@Resolver(() => Mover)
export class MoversResolver {
  @ReportCached()
  @Query(() => Movers, {
    description:
      'What moved the NPS between filter.from..filter.to and the earlier period compareTo names (as npsComparison: the same periods, time zone and checks): the departments (each department\'s own responses, so the leaves of the tree the filter covers, and no response counts twice), the saved segments (narrowed by the filter) and the values of the breakdown dimensions, ranked by their contribution to the total\'s change (share of the total\'s responses x NPS, current minus previous). ' +
      "Each group's change is tested on its own (ScoreChange), then the false discovery rate of the whole list is controlled with Benjamini-Hochberg at 5% over every group tested (Movers.tests): a change significant on its own can fail to be a discovery, and by default only the discoveries are listed. " +
      'Flags: lowSample, partial (the period is not over yet, or a segment\'s own dates cut it), mixShifted (the shares of survey kinds moved by more than 10 points: read the mix-adjusted change beside the raw one). ' +
      'A MANAGER key screens its own subtree only (total and groups). Counted in one statement whatever the size of the organisation.',
  })
  movers(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => ResponseFilter, { description: 'from and to (both required) give the current period; the other fields narrow both periods and every group.' }) filter: ResponseFilter,
    @Arg('compareTo', () => CompareTo, { nullable: true, defaultValue: CompareTo.PREVIOUS_PERIOD, description: 'Which earlier period the change is against (default PREVIOUS_PERIOD).' })
    compareTo?: CompareTo | null,
    @Arg('timeZone', () => String, { nullable: true, description: 'IANA time zone, e.g. "Europe/Paris" (default UTC): the calendar of compareTo.' }) timeZone?: string,
    @Arg('kinds', () => [MoverKind], { nullable: true, description: 'Which families to screen (omitted or empty: all three). Fewer families: fewer tests, so Benjamini-Hochberg is less strict.' })
    kinds?: MoverKind[],
    @Arg('dimensions', () => [BreakdownDimension], { nullable: true, description: 'For BREAKDOWN: which dimensions (omitted or empty: CHANNEL, TOUCHPOINT, REGION, PLAN, SURVEY, SURVEY_KIND and AGENT). THEME and FOLLOW_UP_ANSWER are BAD_USER_INPUT: a response may mention several themes, so their groups would not add up to the total; drivers answers for themes.' })
    dimensions?: BreakdownDimension[],
    @Arg('significantOnly', () => Boolean, {
      nullable: true,
      defaultValue: true,
      description: 'true (default): only the discoveries (adjustedPValue <= 0.05). false: every group with responses in either period, e.g. to show all contributions of a family.',
    })
    significantOnly?: boolean | null,
    @Arg('limit', () => Int, { nullable: true, description: `Most movers returned (default ${DEFAULT_MOVERS_LIMIT}, at most ${MAX_MOVERS_LIMIT}); the tests and the ranking cover every group whatever the limit.` })
    limit?: number,
    @Arg('rawSegments', () => Boolean, {
      nullable: true,
      defaultValue: false,
      description:
        'false (default): saved segments whose conditions read customer tenure or spend (raw rows only: a scan of both periods) are not screened and are listed in skippedSegments, so the screen stays as fast as its rollups. true: screen them too, at that cost.',
    })
    rawSegments?: boolean | null,
  ): Promise<Movers> {
    return ctx.services.movers.movers(ctx, { filter, compareTo, timeZone, kinds, dimensions, significantOnly, limit, rawSegments });
  }

  @FieldResolver(() => Department, { nullable: true, description: 'For DEPARTMENT: the department (null: the responses without a department).' })
  department(@Ctx() ctx: RequestContext, @Root() m: Mover): Promise<Department | null> {
    return loadRef(ctx.loaders.department, m.kind === MoverKind.DEPARTMENT ? m.id : null);
  }

  @FieldResolver(() => Segment, { nullable: true, description: 'For SEGMENT: the segment.' })
  segment(@Ctx() ctx: RequestContext, @Root() m: Mover): Promise<Segment | null> {
    return loadRef(ctx.loaders.segment, m.kind === MoverKind.SEGMENT ? m.id : null);
  }

  @FieldResolver(() => Survey, { nullable: true, description: 'For BREAKDOWN by SURVEY: the survey.' })
  survey(@Ctx() ctx: RequestContext, @Root() m: Mover): Promise<Survey | null> {
    return loadRef(ctx.loaders.survey, m.dimension === BreakdownDimension.SURVEY ? m.id : null);
  }

  @FieldResolver(() => Person, { nullable: true, description: 'For BREAKDOWN by AGENT: the agent.' })
  agent(@Ctx() ctx: RequestContext, @Root() m: Mover): Promise<Person | null> {
    return loadRef(ctx.loaders.person, m.dimension === BreakdownDimension.AGENT ? m.id : null);
  }
}
