import DataLoader from 'dataloader';
import { SelectQueryBuilder } from 'typeorm';
import type { RequestContext, ServiceDeps } from '../../context';
import { badInput, notFound } from '../../common/errors';
import { parseId } from '../../common/ids';
import { Permission } from '../auth/permissions';
import type { Services } from '../../services';
import { transaction } from '../../transaction';
import { Person } from '../people/person.entity';
import { Department } from '../departments/department.entity';
import { Segment } from '../segments/segment.entity';
import { loadRef } from '../../common/loader-factories';
import { KpiMetric, KpiStatus, KpiTarget } from './kpi-target.entity';
import { CreateKpiTargetInput, UpdateKpiTargetInput } from './kpi-target.inputs';
import { judgedAt, KpiMeasurement, KpiMeasurer } from './kpi-measurement';
import { KpiContributor, KpiContributorsLoader } from './kpi-contributors';
import { KpiHistoryLoader, KpiHistoryPoint } from './kpi-history';
import { KpiStatusCounts, Scorecard, ScorecardLevel, ScorecardPerson } from './scorecard.types';
import { measuredUntil, periodProgress, resolveAsOf, validatePeriod, validateTargetValue } from './kpi-target.rules';
import { TrendInterval } from '../reporting/reporting.types';
import { resolveTimeZone } from '../reporting/time-buckets';
import { afterCommit, perRequest } from '../../common/request-cache';

/** Which targets a list asks for; ids are already parsed. */
export interface KpiTargetQuery {
  ownerId?: string;
  /** With ownerId: also everyone reporting to the owner, directly or not (people.manager_id). */
  includeReports?: boolean;
  activeAt?: Date;
  departmentId?: string;
  metric?: KpiMetric;
  /** Only targets of one of these metrics (with metric: both must hold). Empty: no restriction. */
  metrics?: readonly KpiMetric[];
  /**
   * Only targets whose computed status is one of these. Status is measured, not stored: the targets
   * the other criteria select are measured (once, batched, as their figures are) and filtered after.
   * A target that cannot be measured fails the list (its status is unknown, so the filter cannot
   * honestly keep or drop it). Empty: no restriction.
   */
  statuses?: readonly KpiStatus[];
  /** Figures as they stood at this instant (validated here: BAD_USER_INPUT in the future); absent: live. */
  asOf?: Date | null;
}

/** Marks targets as measured as of an instant (null: live), for the fields resolved on them. */
function stamp(targets: KpiTarget[], asOf: Date | null): KpiTarget[] {
  if (asOf) for (const t of targets) t.requestedAsOf = asOf;
  return targets;
}

/** Each person's distance below `ownerId` along manager_id, walking down from the owner (people outside the walk: absent). */
function levelsBelow(ownerId: string, people: readonly Person[]): Map<string, number> {
  const reports = new Map<string, Person[]>();
  for (const p of people) if (p.managerId) reports.set(p.managerId, [...(reports.get(p.managerId) ?? []), p]);
  const level = new Map<string, number>([[ownerId, 0]]);
  const queue = [ownerId];
  while (queue.length) {
    const id = queue.shift()!;
    for (const r of reports.get(id) ?? []) {
      if (level.has(r.id)) continue;
      level.set(r.id, level.get(id)! + 1);
      queue.push(r.id);
    }
  }
  return level;
}

/** SQL for the ids of a person and everyone below them in the manager chain. */
const chainIdsSql = (ownerParam: string) =>
  `WITH RECURSIVE chain(id) AS (SELECT id FROM people WHERE id = ${ownerParam}
     UNION SELECT pr.id FROM people pr JOIN chain ON pr.manager_id = chain.id) SELECT id FROM chain`;

/**
 * KPI targets: who is accountable for which figure, and how it is going. Reads need READ_TARGETS;
 * a MANAGER sees only targets whose department lies in their subtree (organisation-wide targets,
 * with no department, are not theirs to see). Writes need WRITE_TARGETS.
 */
export class KpiTargetService {
  private readonly measurer: KpiMeasurer;
  private readonly contributorsLoader: KpiContributorsLoader;
  private readonly historyLoader: KpiHistoryLoader;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {
    this.measurer = new KpiMeasurer(deps, services);
    this.contributorsLoader = new KpiContributorsLoader(deps);
    this.historyLoader = new KpiHistoryLoader(this.measurer);
  }

  /** Ordered by period start, owner name, metric, period end, id. */
  async list(ctx: RequestContext, q: KpiTargetQuery): Promise<KpiTarget[]> {
    this.services.access.require(ctx, Permission.READ_TARGETS);
    const asOf = resolveAsOf(q.asOf, ctx.now());
    if (q.includeReports && !q.ownerId) throw badInput('includeReports needs ownerId', 'includeReports');
    if (q.ownerId && !(await ctx.loaders.person.load(q.ownerId))) throw notFound('Person', q.ownerId, 'ownerId');
    // Unknown: NOT_FOUND; for a MANAGER, outside their subtree: FORBIDDEN (not an empty list).
    if (q.departmentId) await this.services.access.assertDepartmentsVisible(ctx, [q.departmentId], 'departmentId');
    const qb = this.visible(ctx);
    if (q.ownerId) {
      if (q.includeReports) qb.andWhere(`t.owner_id IN (${chainIdsSql(':owner')})`, { owner: q.ownerId });
      else qb.andWhere('t.owner_id = :owner', { owner: q.ownerId });
    }
    if (q.departmentId) qb.andWhere(`t.department_id IN (${this.services.access.subtreeSql(':dept')})`, { dept: q.departmentId });
    if (q.metric) qb.andWhere('t.metric = :metric', { metric: q.metric });
    if (q.metrics?.length) qb.andWhere('t.metric IN (:...metrics)', { metrics: [...new Set(q.metrics)] });
    if (q.activeAt) this.activeAt(qb, q.activeAt);
    const targets = stamp(await qb.getMany(), asOf);
    if (!q.statuses?.length) return targets;
    // Measured through the request's measurement loader: one batch now, and the figures the
    // caller selects on the listed targets read the same measurements (no second count).
    const wanted = new Set(q.statuses);
    const measured = await Promise.all(targets.map((t) => this.measurer.measure(ctx, t)));
    return targets.filter((_, i) => wanted.has(measured[i].status));
  }

  async byId(ctx: RequestContext, id: string, asOfArg?: Date | null): Promise<KpiTarget> {
    this.services.access.require(ctx, Permission.READ_TARGETS);
    const asOf = resolveAsOf(asOfArg, ctx.now());
    const target = await ctx.em.getRepository(KpiTarget).findOneBy({ id });
    if (!target) throw notFound('KPI target', id, 'id');
    await this.services.access.assertDepartmentInScope(ctx, target.departmentId);
    return stamp([target], asOf)[0];
  }

  /** Person.targets: batched over every person in the response (one statement per activeAt and asOf value). */
  async forOwner(ctx: RequestContext, ownerId: string, activeAt?: Date, asOfArg?: Date | null): Promise<KpiTarget[]> {
    this.services.access.require(ctx, Permission.READ_TARGETS);
    const asOf = resolveAsOf(asOfArg, ctx.now());
    const key = `${activeAt ? activeAt.toISOString() : ''}|${asOf ? asOf.toISOString() : ''}`;
    const loader = perRequest(ctx, `kpi-targets-by-owner:${key}`, () =>
      new DataLoader<string, KpiTarget[]>(async (ownerIds) => {
        const qb = this.visible(ctx).andWhere('t.owner_id IN (:...owners)', { owners: [...ownerIds] });
        if (activeAt) this.activeAt(qb, activeAt);
        const rows = stamp(await qb.getMany(), asOf);
        return ownerIds.map((id) => rows.filter((r) => r.ownerId === id));
      }),
    );
    return loader.load(ownerId);
  }

  /**
   * The targets of `ownerId` and of everyone below them in the management chain (people.manager_id)
   * that the caller may see and whose period contains activeAt (default: asOf, else now), measured
   * as of asOf (default: live, now), with status counts per person and per level (distance from the
   * owner). A bounded number of statements whatever the chain's size: the chain, the targets, then
   * the one batched measurement (the fields selected on the targets read the same measurements).
   */
  async scorecard(ctx: RequestContext, ownerId: string, opts: { asOf?: Date | null; activeAt?: Date | null } = {}): Promise<Scorecard> {
    this.services.access.require(ctx, Permission.READ_TARGETS);
    this.services.access.require(ctx, Permission.READ_REPORTS);
    const asOf = resolveAsOf(opts.asOf, ctx.now());
    const at = asOf ?? ctx.now();
    const activeAt = opts.activeAt ?? at;
    const chain = await ctx.em.getRepository(Person).createQueryBuilder('p').where(`p.id IN (${chainIdsSql(':owner')})`, { owner: ownerId }).getMany();
    const owner = chain.find((p) => p.id === ownerId);
    if (!owner) throw notFound('Person', ownerId, 'ownerId');
    for (const p of chain) ctx.loaders.person.prime(p.id, p);
    const qb = this.visible(ctx).andWhere('t.owner_id = ANY(:owners)', { owners: chain.map((p) => p.id) });
    this.activeAt(qb, activeAt);
    const [targets, scope] = await Promise.all([qb.getMany().then((list) => stamp(list, asOf)), this.services.access.scopeDepartmentIds(ctx)]);
    const statuses = new Map<string, KpiStatus>();
    const measured = await Promise.all(targets.map((t) => this.measurer.measure(ctx, t)));
    targets.forEach((t, i) => statuses.set(t.id, measured[i].status));
    const byOwner = new Map<string, KpiTarget[]>();
    for (const t of targets) byOwner.set(t.ownerId, [...(byOwner.get(t.ownerId) ?? []), t]);
    const level = levelsBelow(owner.id, chain);
    // A MANAGER: the people of its subtree, and those owning a target it sees (their names are on those targets anyway).
    const shown = chain.filter((p) => level.has(p.id) && (!scope || byOwner.has(p.id) || (p.departmentId !== null && scope.has(p.departmentId))));
    shown.sort((a, b) => level.get(a.id)! - level.get(b.id)! || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    const countsOf = (list: readonly KpiTarget[]) => KpiStatusCounts.of(list.map((t) => statuses.get(t.id)!));
    const people = shown.map((person) => {
      const own = byOwner.get(person.id) ?? [];
      return Object.assign(new ScorecardPerson(), { person, level: level.get(person.id)!, targets: own, counts: countsOf(own) });
    });
    const perLevel = new Map<number, { people: number; targets: KpiTarget[] }>();
    for (const row of people) {
      const entry = perLevel.get(row.level) ?? { people: 0, targets: [] };
      entry.people += 1;
      entry.targets.push(...row.targets);
      perLevel.set(row.level, entry);
    }
    const levels = [...perLevel.entries()].map(([n, e]) => Object.assign(new ScorecardLevel(), { level: n, people: e.people, counts: countsOf(e.targets) }));
    return Object.assign(new Scorecard(), { owner, asOf: at, activeAt, counts: countsOf(targets), levels, people, targets });
  }

  /** Person.reports: direct reports, ordered by name; a MANAGER sees only those in their subtree. */
  async reportsOf(ctx: RequestContext, person: Person): Promise<Person[]> {
    this.services.access.require(ctx, Permission.READ_ORG);
    const [reports, scope] = await Promise.all([ctx.loaders.personReports.load(person.id), this.services.access.scopeDepartmentIds(ctx)]);
    return scope ? reports.filter((p) => p.departmentId !== null && scope.has(p.departmentId)) : reports;
  }

  owner(ctx: RequestContext, target: KpiTarget): Promise<Person | null> {
    return ctx.loaders.person.load(target.ownerId);
  }

  department(ctx: RequestContext, target: KpiTarget): Promise<Department | null> {
    return loadRef(ctx.loaders.department, target.departmentId);
  }

  segment(ctx: RequestContext, target: KpiTarget): Promise<Segment | null> {
    return loadRef(ctx.loaders.segment, target.segmentId);
  }

  /** Score, actual, gap and status: computed once per target per request, batched across targets. */
  measure(ctx: RequestContext, target: KpiTarget): Promise<KpiMeasurement> {
    this.services.access.require(ctx, Permission.READ_TARGETS);
    return this.measurer.measure(ctx, target);
  }

  /** The parts of the target's scope and their contributions to its gap; null for metrics without such a split. Batched across targets. */
  contributors(ctx: RequestContext, target: KpiTarget): Promise<KpiContributor[] | null> {
    this.services.access.require(ctx, Permission.READ_TARGETS);
    return this.contributorsLoader.load(ctx, target);
  }

  /**
   * KpiTarget.history: cumulative figures and status at the end of each calendar bucket of the
   * period (in timeZone), up to the instant the target is measured at; null for closed-loop rates.
   */
  history(ctx: RequestContext, target: KpiTarget, interval: TrendInterval, timeZone?: string | null): Promise<KpiHistoryPoint[] | null> {
    this.services.access.require(ctx, Permission.READ_TARGETS);
    return this.historyLoader.load(ctx, target, interval, resolveTimeZone(timeZone));
  }

  /** Fraction of the period elapsed at the instant the target is measured at (asOf, or now). */
  progress(ctx: RequestContext, target: KpiTarget): number {
    return periodProgress(target.periodStart, target.periodEnd, judgedAt(ctx, target));
  }

  asOf(ctx: RequestContext, target: KpiTarget): Date {
    return measuredUntil(target.periodStart, target.periodEnd, judgedAt(ctx, target));
  }

  async create(ctx: RequestContext, input: CreateKpiTargetInput): Promise<KpiTarget> {
    this.services.access.require(ctx, Permission.WRITE_TARGETS);
    return transaction(ctx, async (ctx) => {
      if (!input.ownerId && !input.ownerEmail) throw badInput('Give ownerId or ownerEmail', 'ownerId');
      const target = ctx.em.getRepository(KpiTarget).create({ name: null, tolerance: null, departmentId: null, segmentId: null });
      target.ownerId = await this.resolveOwner(ctx, input.ownerId, input.ownerEmail);
      target.metric = input.metric;
      target.target = input.target;
      target.periodStart = input.periodStart;
      target.periodEnd = input.periodEnd;
      target.departmentId = (await this.resolveDepartment(ctx, input.departmentId, input.departmentCode)) ?? null;
      target.segmentId = (await this.resolveSegment(ctx, input.segmentId)) ?? null;
      target.tolerance = input.tolerance ?? null;
      target.name = input.name ?? null;
      this.validate(target);
      await this.services.access.assertDepartmentInScope(ctx, target.departmentId);
      return ctx.em.getRepository(KpiTarget).save(target);
    }).then(afterCommit(ctx)); // later fields of the request measure the target as written
  }

  async update(ctx: RequestContext, id: string, input: UpdateKpiTargetInput): Promise<KpiTarget> {
    this.services.access.require(ctx, Permission.WRITE_TARGETS);
    return transaction(ctx, async (ctx) => {
      const repo = ctx.em.getRepository(KpiTarget);
      const target = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!target) throw notFound('KPI target', id, 'id');
      await this.services.access.assertDepartmentInScope(ctx, target.departmentId);
      for (const field of ['metric', 'target', 'periodStart', 'periodEnd', 'ownerId', 'ownerEmail'] as const) {
        if (input[field] === null) throw badInput(`${field} cannot be null`, field);
      }
      if (input.ownerId !== undefined || input.ownerEmail !== undefined) target.ownerId = await this.resolveOwner(ctx, input.ownerId, input.ownerEmail);
      if (input.metric) target.metric = input.metric;
      if (input.target !== undefined) target.target = input.target!;
      if (input.periodStart) target.periodStart = input.periodStart;
      if (input.periodEnd) target.periodEnd = input.periodEnd;
      const dept = await this.resolveDepartment(ctx, input.departmentId, input.departmentCode);
      if (dept !== undefined) target.departmentId = dept;
      const segment = await this.resolveSegment(ctx, input.segmentId);
      if (segment !== undefined) target.segmentId = segment;
      if (input.tolerance !== undefined) target.tolerance = input.tolerance;
      if (input.name !== undefined) target.name = input.name;
      this.validate(target);
      await this.services.access.assertDepartmentInScope(ctx, target.departmentId);
      return repo.save(target);
    }).then(afterCommit(ctx)); // later fields of the request measure the target as written (no stale gap/status/score)
  }

  /** Returns the id of the deleted target. */
  async delete(ctx: RequestContext, id: string): Promise<string> {
    this.services.access.require(ctx, Permission.WRITE_TARGETS);
    return transaction(ctx, async (ctx) => {
      const target = await ctx.em.getRepository(KpiTarget).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!target) throw notFound('KPI target', id, 'id');
      await this.services.access.assertDepartmentInScope(ctx, target.departmentId);
      await ctx.em.getRepository(KpiTarget).delete({ id });
      return id;
    }).then(afterCommit(ctx));
  }

  /** Targets the caller may see, joined to their owner for ordering. */
  private visible(ctx: RequestContext): SelectQueryBuilder<KpiTarget> {
    const qb = ctx.em
      .getRepository(KpiTarget)
      .createQueryBuilder('t')
      .innerJoin('t.owner', 'p')
      .orderBy('t.periodStart', 'ASC')
      .addOrderBy('p.name', 'ASC')
      .addOrderBy('t.metric', 'ASC')
      .addOrderBy('t.periodEnd', 'ASC')
      .addOrderBy('t.id', 'ASC');
    const scope = this.services.access.departmentScope(ctx);
    if (scope) qb.andWhere(`t.department_id IN (${this.services.access.subtreeSql(':scope')})`, { scope });
    return qb;
  }

  /** Targets whose period [start, end) contains the instant. */
  private activeAt(qb: SelectQueryBuilder<KpiTarget>, at: Date): void {
    qb.andWhere('t.period_start <= :at AND t.period_end > :at', { at });
  }

  private validate(target: KpiTarget): void {
    validateTargetValue(target.metric, target.target);
    validatePeriod(target.periodStart, target.periodEnd);
    if (target.tolerance !== null && (!Number.isFinite(target.tolerance) || target.tolerance < 0)) {
      throw badInput('tolerance must be a number of at least 0', 'tolerance');
    }
  }

  private async resolveOwner(ctx: RequestContext, ownerId?: string | null, ownerEmail?: string | null): Promise<string> {
    const hasId = ownerId !== undefined && ownerId !== null;
    const hasEmail = ownerEmail !== undefined && ownerEmail !== null;
    if (hasId && hasEmail) throw badInput('Give ownerId or ownerEmail, not both', 'ownerEmail');
    if (!hasId && !hasEmail) throw badInput('A KPI target needs an owner: give ownerId or ownerEmail', 'ownerId');
    if (hasId) {
      ownerId = parseId(ownerId!, 'ownerId');
      const owner = await ctx.em.getRepository(Person).findOneBy({ id: ownerId });
      if (!owner) throw notFound('Person', ownerId, 'ownerId');
      return owner.id;
    }
    if (!ownerEmail!.trim()) throw badInput('ownerEmail must not be blank', 'ownerEmail');
    const owner = await this.services.people.findByEmail(ctx, ownerEmail!);
    if (!owner) throw notFound('Person with email', ownerEmail!, 'ownerEmail');
    return owner.id;
  }

  /** undefined: not given; null: cleared; otherwise the department's id (checked to exist and be in scope). */
  private async resolveDepartment(
    ctx: RequestContext,
    departmentId?: string | null,
    departmentCode?: string | null,
  ): Promise<string | null | undefined> {
    if (departmentId !== undefined && departmentCode !== undefined) {
      throw badInput('Give departmentId or departmentCode, not both', 'departmentCode');
    }
    let id: string | null | undefined;
    if (departmentId !== undefined) {
      id = departmentId === null ? null : parseId(departmentId, 'departmentId');
      if (id && !(await ctx.em.getRepository(Department).existsBy({ id }))) throw notFound('Department', id, 'departmentId');
    } else if (departmentCode !== undefined) {
      if (departmentCode === null) id = null;
      else {
        id = (await this.services.departments.idsByCode(ctx, [departmentCode])).get(departmentCode);
        if (!id) throw notFound('Department with code', departmentCode, 'departmentCode');
      }
    }
    return id;
  }

  /** Reads through ctx.em: inside the caller's transaction (on the embedded database the pool has one connection). */
  private async resolveSegment(ctx: RequestContext, segmentId?: string | null): Promise<string | null | undefined> {
    if (segmentId === undefined || segmentId === null) return segmentId;
    segmentId = parseId(segmentId, 'segmentId');
    if (!(await ctx.em.getRepository(Segment).existsBy({ id: segmentId }))) throw notFound('Segment', segmentId, 'segmentId');
    return segmentId;
  }
}
