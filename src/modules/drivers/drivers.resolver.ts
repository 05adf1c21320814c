import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context';
import { ReportCached } from '../../common/report-cache/cached.decorator';
import { ResponseFilter } from '../reporting/filter/response-filter.input';
import { CompareTo } from '../reporting/reporting.types';
import { SAMPLES_PER_THEME } from './driver-samples';
import { Drivers, ThemeDriver, VerbatimSample } from './drivers.types';

@Resolver(() => Drivers)
export class DriversResolver {
  @ReportCached()
  @Query(() => Drivers, {
    description:
      'Drivers from verbatims: per active theme, its mentions among promoters, passives and detractors, the share of detractors mentioning it, the NPS of the responses that mention it and of those that do not, ' +
      'its impact (NPS without those responses minus NPS of all) with the test of mentioning against not mentioning (and the false discovery rate held across themes), its change against the comparison period, and sample verbatims; ' +
      'detractor and promoter drivers listed apart, with the share of verbatims no theme explains. Counts come from the per-theme rollup through the fact planner. ' +
      'A MANAGER key counts its own department subtree only. Derived from the verbatims: needs READ_REPORTS and READ_RESPONSES (not INTEGRATION keys).',
  })
  drivers(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => ResponseFilter, { nullable: true, description: 'Which responses count (all when omitted). With from and to, the changes are against the period compareTo names.' })
    filter?: ResponseFilter,
    @Arg('compareTo', () => CompareTo, { nullable: true, defaultValue: CompareTo.PREVIOUS_PERIOD, description: 'Which earlier period the changes are against (default PREVIOUS_PERIOD; as npsComparison).' })
    compareTo?: CompareTo | null,
    @Arg('timeZone', () => String, { nullable: true, description: 'IANA time zone of the calendar units (default UTC).' }) timeZone?: string,
  ): Promise<Drivers> {
    return ctx.services.drivers.drivers(ctx, filter, compareTo, timeZone);
  }
}

@Resolver(() => ThemeDriver)
export class ThemeDriverResolver {
  @FieldResolver(() => [VerbatimSample], {
    description: `Up to ${SAMPLES_PER_THEME} verbatims of the period mentioning the theme, newest first: in detractorDrivers from detractors, in promoterDrivers from promoters, in themes from any. Needs READ_RESPONSES.`,
  })
  samples(@Ctx() ctx: RequestContext, @Root() driver: ThemeDriver): Promise<VerbatimSample[]> {
    return ctx.services.drivers.samples(ctx, driver);
  }
}
