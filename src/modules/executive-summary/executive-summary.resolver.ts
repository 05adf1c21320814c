import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from 'type-graphql';
import { selectsAny } from '../../common/selected-fields';
import type { RequestContext } from '../../context';
import { ReportCached } from '../../common/report-cache/cached.decorator';
import { BenchmarkComparison } from '../benchmarks/benchmark.types';
import { CLOSED_LOOP_MEDIANS, ClosedLoopMetrics } from '../closed-loop/closed-loop.types';
import { Department } from '../departments/department.entity';
import { KpiContributor } from '../kpi-targets/kpi-contributors';
import { MoverKind, Movers } from '../reporting/movers/movers.types';
import { BreakdownDimension, CompareTo, DepartmentScore, NpsComparison } from '../reporting/reporting.types';
import { BenchmarkGaps, ExecutiveDrivers, ExecutiveKpis, OffTrackTarget } from './executive-sections.types';
import { MAX_OFF_TRACK, MAX_SUMMARY_DEPTH, MAX_SUMMARY_DRIVERS, MAX_TOP_CONTRIBUTORS } from './executive-summary.service';
import { ExecutiveSummary, ExecutiveVolume } from './executive-summary.types';

const DEFAULT_SUMMARY_MOVERS = 10;
const DEFAULT_SUMMARY_DRIVERS = 3;

/**
 * executiveSummary and its sections: each section is a field resolver over a service, so a client
 * pays only for the sections it shows. A further section is one more field resolver here over its
 * service, called with the summary's period (and, for counts of responses, its as-of context).
 */
@Resolver(() => ExecutiveSummary)
export class ExecutiveSummaryResolver {
  @ReportCached()
  @Query(() => ExecutiveSummary, {
    description:
      'One period (from..to) against the earlier period compareTo names, for a leadership screen in one request: company score (band, interval, verdict), volume, departments ranked, significant movers, KPI targets (status counts, off-track targets with owners and top contributors), closed loop, top detractor and promoter drivers from verbatims, and benchmark gaps. ' +
      "Each section is counted only when selected, in a bounded number of SQL statements whatever the size of the organisation. Needs READ_REPORTS (the kpis section also READ_TARGETS, the drivers section READ_RESPONSES); a MANAGER key's company is its own department subtree. " +
      'The arguments are checked before anything is counted, as npsComparison checks them: BAD_USER_INPUT naming from, to, timeZone or asOf.',
  })
  executiveSummary(
    @Ctx() ctx: RequestContext,
    @Arg('from', () => Date, { description: 'Start of the period, inclusive.' }) from: Date,
    @Arg('to', () => Date, { description: 'End of the period, exclusive (after from). With PREVIOUS_CALENDAR_PERIOD both must be local midnights of timeZone spanning whole calendar units.' }) to: Date,
    @Arg('timeZone', () => String, { nullable: true, description: 'IANA time zone, e.g. "Europe/Paris" (default UTC): the calendar of compareTo.' }) timeZone?: string,
    @Arg('compareTo', () => CompareTo, { nullable: true, defaultValue: CompareTo.PREVIOUS_PERIOD, description: 'Which earlier period changes are against (default PREVIOUS_PERIOD), as in npsComparison.' })
    compareTo?: CompareTo | null,
    @Arg('asOf', () => Date, {
      nullable: true,
      description:
        'Reproduce the summary as it stood at this past instant (default: now): only responses given before it are counted, the periods unchanged, KPI statuses are judged at it (as kpiTargets(asOf)) and action items are read as their history left them at it (as closedLoop(asOf)). More than 5 minutes after the server clock: BAD_USER_INPUT (field asOf); within those 5 minutes it is read as now.',
    })
    asOf?: Date | null,
  ): ExecutiveSummary {
    return ctx.services.executiveSummary.open(ctx, { from, to, timeZone, compareTo, asOf });
  }

  @FieldResolver(() => Department, { nullable: true, description: "The company of this summary: a MANAGER key's own department (its subtree is what every section counts); null for ADMIN and EXECUTIVE keys, whose company is the whole organisation." })
  department(@Ctx() ctx: RequestContext): Promise<Department | null> {
    return ctx.services.executiveSummary.department(ctx);
  }

  @FieldResolver(() => NpsComparison, {
    description:
      "The company's score over from..to against the earlier period, exactly npsComparison(filter: { from, to }, compareTo, timeZone): current.nps with its band and 95% interval (confidenceLow..confidenceHigh, marginOfError), previous, and change (delta in points, pValue, verdict). " +
      'Read the verdict, not the delta: SIGNIFICANT_UP / SIGNIFICANT_DOWN only when the change is significant at 95%; NO_SIGNIFICANT_CHANGE means the difference is within what sampling alone produces; NOT_COMPARABLE when a side has no responses (or no like-for-like earlier period exists). current.benchmarks gives the standards that apply to the company as a whole.',
  })
  company(@Ctx() ctx: RequestContext, @Root() s: ExecutiveSummary): Promise<NpsComparison> {
    return ctx.services.executiveSummary.company(ctx, s);
  }

  @FieldResolver(() => ExecutiveVolume, { description: 'How many responses the company figures rest on, against the earlier period (the same counts as company).' })
  volume(@Ctx() ctx: RequestContext, @Root() s: ExecutiveSummary): Promise<ExecutiveVolume> {
    return ctx.services.executiveSummary.volume(ctx, s);
  }

  @FieldResolver(() => [DepartmentScore], {
    description:
      "The departments depth levels below the company, ranked: best NPS first (those without responses last; ties: more responses first). The company is a MANAGER key's own department, or the organisation's root when it has a single root (so depth 1 are the divisions); with several roots, the roots are depth 1. " +
      'Each row is departmentScores(parentId: <company>, levels: depth, compareTo, timeZone) restricted to that depth: its score over its whole subtree, change against the earlier period (verdict as in company), parent and depth (relative to the company). Rows of one depth do not overlap; responses recorded on a department above them, or without a department, are in the company score but in no row.',
  })
  departments(
    @Ctx() ctx: RequestContext,
    @Root() s: ExecutiveSummary,
    @Arg('depth', () => Int, { defaultValue: 1, description: `How many levels below the company (default 1: its direct children; at most ${MAX_SUMMARY_DEPTH}).` }) depth: number,
  ): Promise<DepartmentScore[]> {
    return ctx.services.executiveSummary.departments(ctx, s, depth);
  }

  @FieldResolver(() => Movers, {
    description:
      'What moved the company score: movers(filter: { from, to }, compareTo, timeZone, kinds, dimensions, limit) with significantOnly: only the discoveries after Benjamini-Hochberg (false discovery rate 5% over every group tested), largest |contribution| first. ' +
      "contribution is the points of the company's change a group accounts for; check lowSample, partial and mixShifted (then read surveyMix.mixAdjustedChange) before acting on one.",
  })
  movers(
    @Ctx() ctx: RequestContext,
    @Root() s: ExecutiveSummary,
    @Arg('kinds', () => [MoverKind], { nullable: true, description: 'Families screened (omitted or empty: departments, segments and breakdown values).' }) kinds?: MoverKind[] | null,
    @Arg('dimensions', () => [BreakdownDimension], { nullable: true, description: 'Breakdown dimensions screened (omitted or empty: all).' }) dimensions?: BreakdownDimension[] | null,
    @Arg('limit', () => Int, { defaultValue: DEFAULT_SUMMARY_MOVERS, description: `Most movers listed (default ${DEFAULT_SUMMARY_MOVERS}, at most 500); the tests cover every group whatever the limit.` }) limit?: number,
    @Arg('rawSegments', () => Boolean, {
      nullable: true,
      defaultValue: false,
      description: 'As movers(rawSegments): false (default) leaves out the segments on customer tenure or spend (listed in skippedSegments); true screens them at the cost of a scan of both periods.',
    })
    rawSegments?: boolean | null,
  ): Promise<Movers> {
    return ctx.services.executiveSummary.movers(ctx, s, { kinds, dimensions, limit, rawSegments });
  }

  @FieldResolver(() => ExecutiveKpis, { description: 'The KPI targets running at the end of the summary, measured as of asOf: how many have each status, and the off-track ones with their owners and what pulls them down. Needs READ_TARGETS.' })
  kpis(@Ctx() ctx: RequestContext, @Root() s: ExecutiveSummary): Promise<ExecutiveKpis> {
    return ctx.services.executiveSummary.kpis(ctx, s);
  }

  @FieldResolver(() => ClosedLoopMetrics, {
    description:
      "How the detractors of from..to were followed up: closedLoop(filter: { from, to }, asOf) (detractors given before asOf; their action items as their history left them at asOf, overdue judged at asOf; live without asOf). followUpRate: the share of detractors someone acted on; medianHoursToFirstAction / medianHoursToClose: how fast; closedWithinSlaRate: the share closed by their due date; open and overdue: what is still waiting.",
  })
  closedLoop(@Ctx() ctx: RequestContext, @Root() s: ExecutiveSummary, @Info() info: GraphQLResolveInfo): Promise<ClosedLoopMetrics> {
    return ctx.services.executiveSummary.closedLoop(ctx, s, { medians: selectsAny(info, CLOSED_LOOP_MEDIANS) });
  }

  @FieldResolver(() => ExecutiveDrivers, {
    description:
      "Why it moved, in the customers' words: the themes detractors and promoters mention most, drivers(filter: { from, to }, compareTo, timeZone) for the same company (a MANAGER key's subtree) and responses given before asOf, each list cut to the first `limit` themes (most mentioned by that category first). " +
      "Per theme: mentions and the share of the category mentioning it, its impact on the NPS with its test, its change against the summary's earlier period, and sample verbatims (given before asOf). Needs READ_RESPONSES as well (drivers are derived from the verbatims).",
  })
  drivers(
    @Ctx() ctx: RequestContext,
    @Root() s: ExecutiveSummary,
    @Arg('limit', () => Int, {
      defaultValue: DEFAULT_SUMMARY_DRIVERS,
      description: `Most themes listed per category (default ${DEFAULT_SUMMARY_DRIVERS}, 1 to ${MAX_SUMMARY_DRIVERS}; outside: BAD_USER_INPUT naming limit, before anything is counted). themesMentioned says how many there are.`,
    })
    limit: number,
  ): Promise<ExecutiveDrivers> {
    return ctx.services.executiveSummary.drivers(ctx, s, limit);
  }

  @FieldResolver(() => [BenchmarkGaps], {
    description:
      "The company against its benchmarks: first every kind of survey together (internal standards for any kind only: a MANAGER key's department standard), then each kind of survey with responses, most responses first, with the industry benchmarks of that kind and the standards. " +
      'A gap is NPS minus the benchmark, in points; significant says the benchmark lies outside the score\'s 95% interval. Industry figures are taken as exact.',
  })
  benchmarks(
    @Ctx() ctx: RequestContext,
    @Root() s: ExecutiveSummary,
    @Arg('industry', () => String, { nullable: true, description: "Compare with this industry's benchmarks (case-insensitive) instead of the company's (COMPANY_INDUSTRY; unset: every industry's)." }) industry?: string | null,
  ): Promise<BenchmarkGaps[]> {
    return ctx.services.executiveSummary.benchmarks(ctx, s, industry);
  }
}

@Resolver(() => ExecutiveKpis)
export class ExecutiveKpisResolver {
  @FieldResolver(() => [OffTrackTarget], { description: "The OFF_TRACK targets, in kpiTargets' order (period start, owner name, metric): each target with its owner, gap and top contributors." })
  offTrack(
    @Ctx() ctx: RequestContext,
    @Root() kpis: ExecutiveKpis,
    @Arg('limit', () => Int, { defaultValue: 20, description: `Most targets listed (default 20, at most ${MAX_OFF_TRACK}); counts.offTrack says how many there are.` }) limit: number,
  ): OffTrackTarget[] {
    return ctx.services.executiveSummary.offTrack(kpis, limit);
  }
}

@Resolver(() => OffTrackTarget)
export class OffTrackTargetResolver {
  @FieldResolver(() => [KpiContributor], {
    nullable: true,
    description:
      "The parts of the target's scope that pull its actual furthest below the target (KpiTarget.contributors with a negative contribution, most negative first): where to look first. For a closed-loop rate the parts are weighted by the rate's denominator (KpiContributor.base). Null for RESPONSE_COUNT, which has no contributors; empty when no part pulls it down.",
  })
  topContributors(
    @Ctx() ctx: RequestContext,
    @Root() o: OffTrackTarget,
    @Arg('limit', () => Int, { defaultValue: 3, description: `Most parts listed (default 3, at most ${MAX_TOP_CONTRIBUTORS}).` }) limit: number,
  ): Promise<KpiContributor[] | null> {
    return ctx.services.executiveSummary.topContributors(ctx, o, limit);
  }
}

@Resolver(() => BenchmarkGaps)
export class BenchmarkGapsResolver {
  @FieldResolver(() => [BenchmarkComparison], { description: "Every benchmark and standard that applies to score, with its gap (NpsScore.benchmarks' rules and figures): standards first, then industry benchmarks, newest year first." })
  gaps(@Ctx() ctx: RequestContext, @Root() g: BenchmarkGaps): Promise<BenchmarkComparison[]> {
    return ctx.services.executiveSummary.gaps(ctx, g);
  }
}
