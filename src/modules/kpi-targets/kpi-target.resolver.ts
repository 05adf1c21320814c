import { Arg, Ctx, FieldResolver, Float, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context';
import { parseId, parseOptionalId } from '../../common/ids';
import { AS_OF_DESCRIPTION } from './kpi-as-of.docs';
import { Person } from '../people/person.entity';
import { Department } from '../departments/department.entity';
import { Segment } from '../segments/segment.entity';
import { NpsScore } from '../reporting/nps-score.type';
import { KpiMetric, KpiStatus, KpiTarget } from './kpi-target.entity';
import { CreateKpiTargetInput, UpdateKpiTargetInput } from './kpi-target.inputs';
import { KpiContributor } from './kpi-contributors';
import { KpiHistoryPoint } from './kpi-history';
import { Scorecard } from './scorecard.types';
import { TrendInterval } from '../reporting/reporting.types';
import { ReportCached } from '../../common/report-cache/cached.decorator';

@Resolver(() => KpiTarget)
export class KpiTargetResolver {
  @ReportCached()
  @Query(() => [KpiTarget], {
    description:
      'KPI targets visible to the caller, ordered by period start, owner name, metric. A MANAGER sees only targets of departments in their subtree.',
  })
  kpiTargets(
    @Ctx() ctx: RequestContext,
    @Arg('ownerId', () => ID, { nullable: true, description: 'Only targets owned by this person.' }) ownerId?: string,
    @Arg('activeAt', () => Date, { nullable: true, description: 'Only targets whose period [periodStart, periodEnd) contains this instant.' }) activeAt?: Date,
    @Arg('includeReports', () => Boolean, {
      nullable: true,
      description: "With ownerId: also the targets of everyone reporting to the owner, directly or through their managers (the accountability chain).",
    })
    includeReports?: boolean,
    @Arg('departmentId', () => ID, {
      nullable: true,
      description: "Only targets scoped to this department or a department below it. NOT_FOUND when unknown; for a MANAGER key, FORBIDDEN outside its subtree.",
    }) departmentId?: string,
    @Arg('metric', () => KpiMetric, { nullable: true, description: 'Only targets of this metric.' }) metric?: KpiMetric,
    @Arg('metrics', () => [KpiMetric], {
      nullable: true,
      description: 'Only targets of one of these metrics (with metric, both must hold). Empty or null: no restriction.',
    })
    metrics?: KpiMetric[] | null,
    @Arg('status', () => [KpiStatus], {
      nullable: true,
      description:
        'Only targets whose status is one of these, e.g. [OFF_TRACK, AT_RISK] for the ones needing attention. Status is computed at request time (like the status field, as of now, or as of asOf): the targets the other arguments select are measured (once, in one batch, shared with the figures selected) and filtered after. Empty or null: no restriction.',
    })
    status?: KpiStatus[] | null,
    @Arg('asOf', () => Date, { nullable: true, description: AS_OF_DESCRIPTION }) asOf?: Date | null,
  ): Promise<KpiTarget[]> {
    return ctx.services.kpiTargets.list(ctx, {
      ownerId: parseOptionalId(ownerId, 'ownerId'),
      activeAt: activeAt ?? undefined,
      includeReports: includeReports ?? false,
      departmentId: parseOptionalId(departmentId, 'departmentId'),
      metric: metric ?? undefined,
      metrics: metrics ?? undefined,
      statuses: status ?? undefined,
      asOf,
    });
  }

  @ReportCached()
  @Query(() => KpiTarget, { description: 'One KPI target. FORBIDDEN for a MANAGER when its department is outside their subtree (or it has none).' })
  kpiTarget(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('asOf', () => Date, { nullable: true, description: AS_OF_DESCRIPTION }) asOf?: Date | null,
  ): Promise<KpiTarget> {
    return ctx.services.kpiTargets.byId(ctx, parseId(id, 'id'), asOf);
  }

  @ReportCached()
  @Query(() => Scorecard, {
    description:
      "A person's scorecard: their KPI targets and those of everyone below them in the management chain (people.manager_id, any depth), with status counts per person and per level (distance from the owner), as of one instant. Targets are those whose period contains activeAt; figures are as of asOf. A MANAGER key sees only targets of departments in its subtree, and every count is over those. Needs READ_TARGETS and READ_REPORTS (INTEGRATION keys are refused). NOT_FOUND for an unknown owner.",
  })
  scorecard(
    @Ctx() ctx: RequestContext,
    @Arg('ownerId', () => ID, { description: 'The person at the top of the scorecard (level 0).' }) ownerId: string,
    @Arg('asOf', () => Date, { nullable: true, description: AS_OF_DESCRIPTION }) asOf?: Date | null,
    @Arg('activeAt', () => Date, {
      nullable: true,
      description: 'Which targets: those whose period [periodStart, periodEnd) contains this instant. Default: asOf (or now). To see how a finished quarter ended, give an instant inside it here and its end as asOf.',
    })
    activeAt?: Date | null,
  ): Promise<Scorecard> {
    return ctx.services.kpiTargets.scorecard(ctx, parseId(ownerId, 'ownerId'), { asOf, activeAt });
  }

  @Mutation(() => KpiTarget, { description: 'Creates a KPI target (ADMIN, EXECUTIVE).' })
  createKpiTarget(@Ctx() ctx: RequestContext, @Arg('input') input: CreateKpiTargetInput): Promise<KpiTarget> {
    return ctx.services.kpiTargets.create(ctx, input);
  }

  @Mutation(() => KpiTarget, { description: 'Changes a KPI target (ADMIN, EXECUTIVE); omitted fields are unchanged.' })
  updateKpiTarget(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Arg('input') input: UpdateKpiTargetInput): Promise<KpiTarget> {
    return ctx.services.kpiTargets.update(ctx, parseId(id, 'id'), input);
  }

  @Mutation(() => ID, { description: 'Deletes a KPI target (ADMIN, EXECUTIVE) and returns its id.' })
  deleteKpiTarget(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<string> {
    return ctx.services.kpiTargets.delete(ctx, parseId(id, 'id'));
  }

  @FieldResolver(() => Person, { description: 'Who is accountable for the target.' })
  async owner(@Ctx() ctx: RequestContext, @Root() target: KpiTarget): Promise<Person | null> {
    return ctx.services.kpiTargets.owner(ctx, target);
  }

  @FieldResolver(() => Department, { nullable: true, description: 'Scope: this department and its whole subtree; null for the whole organisation.' })
  department(@Ctx() ctx: RequestContext, @Root() target: KpiTarget): Promise<Department | null> {
    return ctx.services.kpiTargets.department(ctx, target);
  }

  @FieldResolver(() => Segment, { nullable: true, description: "Scope: only responses matching this segment's filter (combined with the department)." })
  segment(@Ctx() ctx: RequestContext, @Root() target: KpiTarget): Promise<Segment | null> {
    return ctx.services.kpiTargets.segment(ctx, target);
  }

  @FieldResolver(() => NpsScore, { description: 'Counts and NPS over the scope and the period (so far, for a running period; up to asOf when the query gives one).' })
  async score(@Ctx() ctx: RequestContext, @Root() target: KpiTarget): Promise<NpsScore> {
    return (await ctx.services.kpiTargets.measure(ctx, target)).score;
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description:
      'The metric over the scope and period so far (up to asOf when the query gives one), in its unit. Null when there is nothing to measure (no responses; for RESPONSE_COUNT, a period not yet begun).',
  })
  async actual(@Ctx() ctx: RequestContext, @Root() target: KpiTarget): Promise<number | null> {
    return (await ctx.services.kpiTargets.measure(ctx, target)).actual;
  }

  @FieldResolver(() => Float, { nullable: true, description: 'actual - target, signed so that positive is better (target - actual for DETRACTOR_SHARE).' })
  async gap(@Ctx() ctx: RequestContext, @Root() target: KpiTarget): Promise<number | null> {
    return (await ctx.services.kpiTargets.measure(ctx, target)).gap;
  }

  @FieldResolver(() => KpiStatus, {
    description: 'ON_TRACK when the gap is >= 0; AT_RISK when short by no more than the tolerance (or, for NPS, the margin of error, whichever is larger); else OFF_TRACK; NO_DATA when actual is null. RESPONSE_COUNT, a count that grows over the period, is judged on pace while the period runs: against target x progress, with tolerance x progress (the gap stays to the full target). Judged now, or at asOf when the query gives one.',
  })
  async status(@Ctx() ctx: RequestContext, @Root() target: KpiTarget): Promise<KpiStatus> {
    return (await ctx.services.kpiTargets.measure(ctx, target)).status;
  }

  @FieldResolver(() => [KpiContributor], {
    nullable: true,
    description:
      "Where the gap comes from, for NPS, PROMOTER_SHARE, DETRACTOR_SHARE, FOLLOW_UP_RATE and CLOSED_WITHIN_SLA_RATE targets: the parts of the scope, each with its responses, score, base and the points it pulls the actual away from the target. The contributions add up to gap (up to floating-point rounding), since the parts partition the target's responses: for a department with children, each direct child department (with its subtree) plus the department's own responses (OWN_DEPARTMENT); for a department without children, each agent plus the responses with no agent; for an organisation-wide target, each top-level department plus the responses with no department. A rate's parts are weighted by their share of its denominator (detractors; closed items with a due date) and hold the action items of their responses. Parts with nothing to weigh (no responses; for a rate, a base of 0) are left out; empty when the target's own base is 0. Ordered by |contribution|, largest first (then base, responses, label). Null for RESPONSE_COUNT (a sum, not a mean). As of asOf when the query gives one.",
  })
  contributors(@Ctx() ctx: RequestContext, @Root() target: KpiTarget): Promise<KpiContributor[] | null> {
    return ctx.services.kpiTargets.contributors(ctx, target);
  }

  @FieldResolver(() => [KpiHistoryPoint], {
    nullable: true,
    description:
      "How the target got where it is: its period cut into calendar buckets (DAY, WEEK, MONTH or QUARTER of timeZone; the first and last buckets cut at periodStart and periodEnd), and at each bucket's end the actual to date (cumulative from periodStart), gap and status as they were then (progress and pace judged at that instant). Buckets up to the instant the target is measured at (now, or asOf): the running one ends at that instant (complete: false); none before the period begins. Late data and corrections change past points like any figure. BAD_USER_INPUT naming interval beyond 1000 buckets, timeZone for an unknown zone. Null for FOLLOW_UP_RATE and CLOSED_WITHIN_SLA_RATE: their past values need each action item as its events left it at every bucket end, which the closed-loop figures do not keep yet.",
  })
  history(
    @Ctx() ctx: RequestContext,
    @Root() target: KpiTarget,
    @Arg('interval', () => TrendInterval, { description: 'Bucket length (calendar units of timeZone; weeks are ISO weeks).' }) interval: TrendInterval,
    @Arg('timeZone', () => String, { nullable: true, description: 'IANA time zone of the calendar buckets; UTC by default.' }) timeZone?: string | null,
  ): Promise<KpiHistoryPoint[] | null> {
    return ctx.services.kpiTargets.history(ctx, target, interval, timeZone);
  }

  @FieldResolver(() => Float, { description: 'Fraction of the period elapsed (0..1) at the time of the request, or at asOf when the query gives one.' })
  progress(@Ctx() ctx: RequestContext, @Root() target: KpiTarget): number {
    return ctx.services.kpiTargets.progress(ctx, target);
  }

  @FieldResolver(() => Date, {
    description:
      'The figures cover responses up to this instant: now for a running period, periodEnd for a finished one; with an asOf argument, asOf held within [periodStart, periodEnd].',
  })
  asOf(@Ctx() ctx: RequestContext, @Root() target: KpiTarget): Date {
    return ctx.services.kpiTargets.asOf(ctx, target);
  }
}
