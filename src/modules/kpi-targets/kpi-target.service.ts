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
import { KpiMeasurement, KpiMeasurer } from './kpi-measurement';
import { KpiContributor, KpiContributorsLoader } from './kpi-contributors';
import { measuredUntil, periodProgress, validatePeriod, validateTargetValue } from './kpi-target.rules';
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

  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {
    this.measurer = new KpiMeasurer(deps, services);
    this.contributorsLoader = new KpiContributorsLoader(deps);
  }

  /** Ordered by period start, owner name, metric, period end, id. */
  async list(ctx: RequestContext, q: KpiTargetQuery): Promise<KpiTarget[]> {
    this.services.access.require(ctx, Permission.READ_TARGETS);
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
    const targets = await qb.getMany();
    if (!q.statuses?.length) return targets;
    // Measured through the request's measurement loader: one batch now, and the figures the
    // caller selects on the listed targets read the same measurements (no second count).
    const wanted = new Set(q.statuses);
    const measured = await Promise.all(targets.map((t) => this.measurer.measure(ctx, t)));
    return targets.filter((_, i) => wanted.has(measured[i].status));
  }

  async byId(ctx: RequestContext, id: string): Promise<KpiTarget> {
    this.services.access.require(ctx, Permission.READ_TARGETS);
    const target = await ctx.em.getRepository(KpiTarget).findOneBy({ id });
    if (!target) throw notFound('KPI target', id, 'id');
    await this.services.access.assertDepartmentInScope(ctx, target.departmentId);
    return target;
  }

  /** Person.targets: batched over every person in the response (one statement per activeAt value). */
  async forOwner(ctx: RequestContext, ownerId: string, activeAt?: Date): Promise<KpiTarget[]> {
    this.services.access.require(ctx, Permission.READ_TARGETS);
    const key = activeAt ? activeAt.toISOString() : '';
    const loader = perRequest(ctx, `kpi-targets-by-owner:${key}`, () =>
      new DataLoader<string, KpiTarget[]>(async (ownerIds) => {
        const qb = this.visible(ctx).andWhere('t.owner_id IN (:...owners)', { owners: [...ownerIds] });
        if (activeAt) this.activeAt(qb, activeAt);
        const rows = await qb.getMany();
        return ownerIds.map((id) => rows.filter((r) => r.ownerId === id));
      }),
    );
    return loader.load(ownerId);
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

  progress(ctx: RequestContext, target: KpiTarget): number {
    return periodProgress(target.periodStart, target.periodEnd, ctx.now());
  }

  asOf(ctx: RequestContext, target: KpiTarget): Date {
    return measuredUntil(target.periodStart, target.periodEnd, ctx.now());
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
