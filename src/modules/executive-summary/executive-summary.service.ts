import type { RequestContext, ServiceDeps } from '../../context';
import { badInput } from '../../common/errors';
import { loadRef } from '../../common/loader-factories';
import { perRequest, respondedBeforeContext } from '../../common/request-cache';
import type { Services } from '../../services';
import { Permission } from '../auth/permissions';
import type { ClosedLoopMetrics } from '../closed-loop/closed-loop.types';
import type { Department } from '../departments/department.entity';
import type { BenchmarkComparison } from '../benchmarks/benchmark.types';
import type { DriverList } from '../drivers/drivers.types';
import type { KpiContributor } from '../kpi-targets/kpi-contributors';
import { KpiStatusCounts } from '../kpi-targets/scorecard.types';
import { KpiStatus } from '../kpi-targets/kpi-target.entity';
import { MAX_DEPARTMENT_LEVELS } from '../reporting/department-rollup';
import type { Movers, MoverKind } from '../reporting/movers/movers.types';
import { BreakdownDimension, DepartmentScore, NpsComparison } from '../reporting/reporting.types';
import { SurveyKind } from '../surveys/survey.entity';
import { BenchmarkGaps, ExecutiveDriverList, ExecutiveDrivers, ExecutiveKpis, OffTrackTarget } from './executive-sections.types';
import { ExecutiveSummary, ExecutiveVolume } from './executive-summary.types';
import { rankByNps } from './rank-departments';
import { ExecutiveSummaryArgs, summaryPeriod } from './summary-period';

export const MAX_SUMMARY_DEPTH = MAX_DEPARTMENT_LEVELS - 1;
export const MAX_OFF_TRACK = 500;
export const MAX_TOP_CONTRIBUTORS = 100;
export const MAX_SUMMARY_DRIVERS = 20;

/**
 * executiveSummary: one period against an earlier one, section by section, each a call of the
 * service that answers the single query of the same name (reporting, movers, kpiTargets,
 * closedLoop, drivers, benchmarks), so the figures are theirs. A section is counted only when asked for.
 *
 * asOf: the sections counted from responses run on counting(ctx, s), a context whose filter
 * compiler counts only responses given before asOf (RequestContext.respondedBefore), while each
 * service computes its periods from from, to and compareTo as usual. The KPI targets are measured
 * as of asOf by their own service (kpiTargets.list's asOf, rate targets' action items as their
 * history left them then); the closed loop likewise reads the action items as of asOf
 * (closedLoop.summary's asOf).
 */
export class ExecutiveSummaryService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {}

  /** Checks the arguments (before anything is counted) and returns the summary; its sections resolve on demand. */
  open(ctx: RequestContext, args: ExecutiveSummaryArgs): ExecutiveSummary {
    this.services.access.require(ctx, Permission.READ_REPORTS);
    const period = summaryPeriod(ctx, args);
    const at = period.asOf ?? ctx.now();
    return Object.assign(new ExecutiveSummary(), {
      from: period.range.from,
      to: period.range.to,
      compareTo: period.range.mode,
      timeZone: period.range.zone,
      asOf: at,
      partialPeriod: period.range.to.getTime() > at.getTime(),
      period,
    });
  }

  /** The company: a MANAGER key's own department; null for the whole organisation. */
  department(ctx: RequestContext): Promise<Department | null> {
    return loadRef(ctx.loaders.department, this.services.access.departmentScope(ctx));
  }

  /** npsComparison of from..to: counted once per request, shared with volume and benchmarks. */
  company(ctx: RequestContext, s: ExecutiveSummary): Promise<NpsComparison> {
    const { range, filter } = s.period;
    return perRequest(ctx, `executive-summary:company:${s.period.key}`, () =>
      this.services.reporting.comparison(this.counting(ctx, s), filter, range.mode, range.zone),
    );
  }

  async volume(ctx: RequestContext, s: ExecutiveSummary): Promise<ExecutiveVolume> {
    const { current, previous } = await this.company(ctx, s);
    const change = current.responses - previous.responses;
    return Object.assign(new ExecutiveVolume(), {
      responses: current.responses,
      previousResponses: previous.responses,
      change,
      changePercent: previous.responses ? (100 * change) / previous.responses : null,
      lowSample: current.lowSample || previous.lowSample,
    });
  }

  /**
   * The departments `depth` levels below the company, best NPS first (departmentScores' rows, with
   * their change). The company is a MANAGER key's own department, or the organisation's root when
   * it has one root (the demo's CO); with several roots the roots are depth 1. One statement for
   * the scores and one for the changes, whatever the number of departments.
   */
  async departments(ctx: RequestContext, s: ExecutiveSummary, depth: number): Promise<DepartmentScore[]> {
    if (!Number.isInteger(depth) || depth < 1 || depth > MAX_SUMMARY_DEPTH) throw badInput(`depth must be between 1 and ${MAX_SUMMARY_DEPTH}`, 'depth');
    const { range, filter } = s.period;
    const rows = await this.services.reporting.departmentScores(this.counting(ctx, s), filter, undefined, { levels: depth + 1, compareTo: range.mode, timeZone: range.zone });
    // departmentScores without parentId starts at the roots, or at a MANAGER key's own department.
    const below = rows.filter((r) => r.depth === 1).length === 1 ? 1 : 0;
    const level = rows.filter((r) => r.depth === depth + below).map((r) => Object.assign(new DepartmentScore(), r, { depth: r.depth - below }));
    return rankByNps(level);
  }

  /** The significant movers (movers' discoveries), as movers(filter: { from, to }, compareTo, timeZone). */
  movers(ctx: RequestContext, s: ExecutiveSummary, opts: { kinds?: MoverKind[] | null; dimensions?: BreakdownDimension[] | null; limit?: number | null; rawSegments?: boolean | null }): Promise<Movers> {
    const { range, filter } = s.period;
    return this.services.movers.movers(this.counting(ctx, s), { filter, compareTo: range.mode, timeZone: range.zone, ...opts, significantOnly: true });
  }

  /**
   * The targets running at the summary's last instant, measured as of asOf (live without it) in one
   * batch (the off-track ones' fields read the same measurements), counted by status.
   */
  async kpis(ctx: RequestContext, s: ExecutiveSummary): Promise<ExecutiveKpis> {
    const activeAt = new Date(Math.min(s.to.getTime(), s.asOf.getTime()) - 1);
    const targets = await this.services.kpiTargets.list(ctx, { activeAt, asOf: s.period.asOf });
    const statuses = (await Promise.all(targets.map((t) => this.services.kpiTargets.measure(ctx, t)))).map((m) => m.status);
    return Object.assign(new ExecutiveKpis(), {
      activeAt,
      counts: KpiStatusCounts.of(statuses),
      offTrackTargets: targets.filter((_, i) => statuses[i] === KpiStatus.OFF_TRACK),
    });
  }

  offTrack(kpis: ExecutiveKpis, limit: number): OffTrackTarget[] {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_OFF_TRACK) throw badInput(`limit must be between 1 and ${MAX_OFF_TRACK}`, 'limit');
    return kpis.offTrackTargets.slice(0, limit).map((target) => Object.assign(new OffTrackTarget(), { target }));
  }

  /** The parts pulling the target furthest below it: negative contributions, most negative first; null for metrics without contributors. */
  async topContributors(ctx: RequestContext, o: OffTrackTarget, limit: number): Promise<KpiContributor[] | null> {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_TOP_CONTRIBUTORS) throw badInput(`limit must be between 1 and ${MAX_TOP_CONTRIBUTORS}`, 'limit');
    const all = await this.services.kpiTargets.contributors(ctx, o.target);
    return all && all.filter((c) => c.contribution < 0).sort((a, b) => a.contribution - b.contribution).slice(0, limit);
  }

  /**
   * closedLoop(filter: { from, to }, asOf): the detractors of the period given before asOf, with their
   * action items as their history left them at asOf (the exact as-of path; overdue judged at asOf),
   * as KPI rate targets read them; live without asOf (the counters).
   */
  closedLoop(ctx: RequestContext, s: ExecutiveSummary, opts: { medians?: boolean } = {}): Promise<ClosedLoopMetrics> {
    return this.services.closedLoop.summary(this.counting(ctx, s), s.period.filter, s.period.asOf, opts);
  }

  /**
   * The top `limit` detractor and promoter drivers: drivers(filter: { from, to }, compareTo, timeZone)
   * counted on the summary's context (responses given before asOf; a MANAGER key's subtree), its two
   * lists cut to `limit`. The drivers service's statements, whatever `limit` (the counts of both
   * periods in one, the samples of every listed theme in one when selected).
   */
  async drivers(ctx: RequestContext, s: ExecutiveSummary, limit: number): Promise<ExecutiveDrivers> {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SUMMARY_DRIVERS) throw badInput(`limit must be between 1 and ${MAX_SUMMARY_DRIVERS}`, 'limit');
    const { range, filter } = s.period;
    const d = await this.services.drivers.drivers(this.counting(ctx, s), filter, range.mode, range.zone);
    const top = (list: DriverList): ExecutiveDriverList =>
      Object.assign(new ExecutiveDriverList(), {
        category: list.category,
        responses: list.responses,
        verbatims: list.verbatims,
        untagged: list.untagged,
        untaggedShare: list.untaggedShare,
        themesMentioned: list.drivers.length,
        drivers: list.drivers.slice(0, limit),
      });
    return Object.assign(new ExecutiveDrivers(), {
      comparable: d.comparable,
      verbatims: d.verbatims,
      untagged: d.untagged,
      untaggedShare: d.untaggedShare,
      detractorDrivers: top(d.detractorDrivers),
      promoterDrivers: top(d.promoterDrivers),
      tagging: d.tagging,
    });
  }

  /** The company score of every kind together, then per kind of survey (most responses first), each with the benchmarks that apply. */
  async benchmarks(ctx: RequestContext, s: ExecutiveSummary, industry: string | null | undefined): Promise<BenchmarkGaps[]> {
    if (industry !== null && industry !== undefined && industry.trim() === '') throw badInput('industry must not be blank', 'industry');
    const [company, kinds] = await Promise.all([
      this.company(ctx, s),
      this.services.reporting.breakdown(this.counting(ctx, s), BreakdownDimension.SURVEY_KIND, s.period.filter),
    ]);
    const gaps = (surveyKind: SurveyKind | null, score: NpsComparison['current']) => Object.assign(new BenchmarkGaps(), { surveyKind, score, industry: industry ?? null });
    return [gaps(null, company.current), ...kinds.filter((k) => k.value !== null).map((k) => gaps(k.value as SurveyKind, k.score))];
  }

  gaps(ctx: RequestContext, g: BenchmarkGaps): Promise<BenchmarkComparison[]> {
    return this.services.benchmarks.forScore(ctx, g.score, g.industry);
  }

  /**
   * The context the response figures are counted with: the request's own, or with asOf one that
   * counts only responses given before it (one per request and instant, so its per-request caches
   * are shared by the sections and never mixed with the request's live figures).
   */
  private counting(ctx: RequestContext, s: ExecutiveSummary): RequestContext {
    return respondedBeforeContext(ctx, s.period.asOf ?? undefined);
  }
}
