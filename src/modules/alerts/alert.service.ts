import DataLoader from 'dataloader';
import type { RequestContext, ServiceDeps } from '../../context';
import { badInput, conflict, notFound } from '../../common/errors';
import { loadRef } from '../../common/loader-factories';
import { perRequest } from '../../common/request-cache';
import { transaction } from '../../transaction';
import type { Services } from '../../services';
import { Permission } from '../auth/permissions';
import type { Department } from '../departments/department.entity';
import type { Segment } from '../segments/segment.entity';
import { resolveTimeZone } from '../reporting/time-buckets';
import { AlertComparison, AlertRule } from './alert-rule.entity';
import { Alert, AlertStatus } from './alert.entity';
import { AlertEvent } from './alert-event.entity';
import { AlertFilter, CreateAlertRuleInput, UpdateAlertRuleInput } from './alert.inputs';

/** Ids parsed; the rest as the AlertFilter input. */
export type AlertQuery = Omit<AlertFilter, 'ruleId' | 'departmentId'> & { ruleId?: string; departmentId?: string };

const DEFAULT_MIN_SAMPLE = 30;
const MAX_NOTE = 2000;

/** A snooze that has run out counts as OPEN again (stored SNOOZED until someone acts). */
function settle(alert: Alert, now: Date): Alert {
  if (alert.status === AlertStatus.SNOOZED && alert.snoozedUntil && alert.snoozedUntil.getTime() <= now.getTime()) alert.status = AlertStatus.OPEN;
  return alert;
}

/**
 * Significant-shift alert rules and their alerts. Reading needs READ_REPORTS (alerts are report
 * figures); writing rules and acting on alerts needs WRITE_ALERTS. A MANAGER key sees and acts on
 * the rules and alerts of departments in its subtree only (company-wide and segment-only ones are
 * not its to see), and creates rules for those departments only. Evaluation: alert-evaluator.ts.
 */
export class AlertService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {}

  async rules(ctx: RequestContext): Promise<AlertRule[]> {
    this.services.access.require(ctx, Permission.READ_REPORTS);
    const qb = ctx.em.getRepository(AlertRule).createQueryBuilder('r').orderBy('r.name', 'ASC').addOrderBy('r.id', 'ASC');
    const scope = this.services.access.departmentScope(ctx);
    if (scope) qb.andWhere(`r.department_id IN (${this.services.access.subtreeSql(':scope')})`, { scope });
    return qb.getMany();
  }

  async createRule(ctx: RequestContext, input: CreateAlertRuleInput): Promise<AlertRule> {
    this.services.access.require(ctx, Permission.WRITE_ALERTS);
    return transaction(ctx, async (ctx) => {
      const rule = ctx.em.getRepository(AlertRule).create({
        name: input.name.trim(),
        metric: input.metric,
        windowUnit: input.window,
        timeZone: resolveTimeZone(input.timeZone ?? null),
        compareTo: input.compareTo ?? AlertComparison.PREVIOUS_WINDOW,
        minSample: input.minSample ?? DEFAULT_MIN_SAMPLE,
        active: input.active ?? true,
        departmentId: await this.department(ctx, input.departmentId),
        segmentId: await this.segment(ctx, input.segmentId),
      });
      await this.services.access.assertDepartmentInScope(ctx, rule.departmentId);
      return ctx.em.getRepository(AlertRule).save(rule);
    });
  }

  async updateRule(ctx: RequestContext, id: string, input: UpdateAlertRuleInput): Promise<AlertRule> {
    this.services.access.require(ctx, Permission.WRITE_ALERTS);
    return transaction(ctx, async (ctx) => {
      const repo = ctx.em.getRepository(AlertRule);
      const rule = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!rule) throw notFound('Alert rule', id, 'id');
      await this.services.access.assertDepartmentInScope(ctx, rule.departmentId);
      for (const field of ['name', 'metric', 'window', 'compareTo', 'minSample', 'active'] as const) {
        if (input[field] === null) throw badInput(`${field} cannot be null`, field);
      }
      if (input.name !== undefined) rule.name = input.name!.trim();
      if (input.metric) rule.metric = input.metric;
      if (input.window) rule.windowUnit = input.window;
      if (input.timeZone !== undefined) rule.timeZone = resolveTimeZone(input.timeZone);
      if (input.compareTo) rule.compareTo = input.compareTo;
      if (input.minSample !== undefined) rule.minSample = input.minSample!;
      if (input.active !== undefined) rule.active = input.active!;
      if (input.departmentId !== undefined) rule.departmentId = await this.department(ctx, input.departmentId);
      if (input.segmentId !== undefined) rule.segmentId = await this.segment(ctx, input.segmentId);
      await this.services.access.assertDepartmentInScope(ctx, rule.departmentId);
      return repo.save(rule);
    });
  }

  async deleteRule(ctx: RequestContext, id: string): Promise<string> {
    this.services.access.require(ctx, Permission.WRITE_ALERTS);
    return transaction(ctx, async (ctx) => {
      const rule = await ctx.em.getRepository(AlertRule).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!rule) throw notFound('Alert rule', id, 'id');
      await this.services.access.assertDepartmentInScope(ctx, rule.departmentId);
      await ctx.em.getRepository(AlertRule).delete({ id });
      return id;
    });
  }

  /** Alerts the caller may see, newest window first. */
  async list(ctx: RequestContext, q: AlertQuery): Promise<Alert[]> {
    this.services.access.require(ctx, Permission.READ_REPORTS);
    if (q.departmentId) await this.services.access.assertDepartmentsVisible(ctx, [q.departmentId], 'filter.departmentId');
    if (q.windowFrom && q.windowTo && q.windowFrom.getTime() >= q.windowTo.getTime()) throw badInput('filter.windowTo must be after filter.windowFrom', 'filter.windowTo');
    const now = ctx.now();
    const qb = ctx.em.getRepository(Alert).createQueryBuilder('a').orderBy('a.windowStart', 'DESC').addOrderBy('a.detectedAt', 'DESC').addOrderBy('a.id', 'ASC');
    const scope = this.services.access.departmentScope(ctx);
    if (scope) qb.andWhere(`a.department_id IN (${this.services.access.subtreeSql(':scope')})`, { scope });
    if (q.ruleId) qb.andWhere('a.rule_id = :rule', { rule: q.ruleId });
    if (q.departmentId) qb.andWhere(`a.department_id IN (${this.services.access.subtreeSql(':dept')})`, { dept: q.departmentId });
    if (q.metrics?.length) qb.andWhere('a.metric IN (:...metrics)', { metrics: [...new Set(q.metrics)] });
    if (q.windowFrom) qb.andWhere('a.window_start >= :wf', { wf: q.windowFrom });
    if (q.windowTo) qb.andWhere('a.window_start < :wt', { wt: q.windowTo });
    if (q.statuses?.length) {
      const wanted = new Set(q.statuses);
      const parts: string[] = [];
      for (const s of [AlertStatus.ACKNOWLEDGED, AlertStatus.RESOLVED]) if (wanted.has(s)) parts.push(`a.status = '${s}'`);
      if (wanted.has(AlertStatus.OPEN)) parts.push(`a.status = 'OPEN' OR (a.status = 'SNOOZED' AND a.snoozed_until <= :now)`);
      if (wanted.has(AlertStatus.SNOOZED)) parts.push(`(a.status = 'SNOOZED' AND a.snoozed_until > :now)`);
      qb.andWhere(`(${parts.join(' OR ')})`, { now });
    }
    qb.take(q.first ?? 100);
    return (await qb.getMany()).map((a) => settle(a, now));
  }

  async byId(ctx: RequestContext, id: string): Promise<Alert> {
    this.services.access.require(ctx, Permission.READ_REPORTS);
    const alert = await ctx.em.getRepository(Alert).findOneBy({ id });
    if (!alert) throw notFound('Alert', id, 'id');
    await this.services.access.assertDepartmentInScope(ctx, alert.departmentId);
    return settle(alert, ctx.now());
  }

  acknowledge(ctx: RequestContext, id: string, note?: string | null): Promise<Alert> {
    return this.act(ctx, id, AlertStatus.ACKNOWLEDGED, note, null);
  }

  snooze(ctx: RequestContext, id: string, until: Date, note?: string | null): Promise<Alert> {
    if (!(until instanceof Date) || !Number.isFinite(until.getTime()) || until.getTime() <= ctx.now().getTime()) throw badInput('until must be in the future', 'until');
    return this.act(ctx, id, AlertStatus.SNOOZED, note, until);
  }

  resolve(ctx: RequestContext, id: string, note?: string | null): Promise<Alert> {
    return this.act(ctx, id, AlertStatus.RESOLVED, note, null);
  }

  /** One step of an alert's life, with its audit event; a RESOLVED alert is final (CONFLICT). */
  private async act(ctx: RequestContext, id: string, to: AlertStatus, note: string | null | undefined, until: Date | null): Promise<Alert> {
    this.services.access.require(ctx, Permission.WRITE_ALERTS);
    const text = note?.trim() ? note.trim() : null;
    if (text && text.length > MAX_NOTE) throw badInput(`note must be at most ${MAX_NOTE} characters`, 'note');
    return transaction(ctx, async (ctx) => {
      const repo = ctx.em.getRepository(Alert);
      const alert = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!alert) throw notFound('Alert', id, 'id');
      await this.services.access.assertDepartmentInScope(ctx, alert.departmentId);
      if (alert.status === AlertStatus.RESOLVED) throw conflict(`Alert ${id} is already resolved`, { status: alert.status });
      alert.status = to;
      alert.snoozedUntil = until;
      await repo.save(alert);
      await ctx.em.getRepository(AlertEvent).insert({ alertId: id, action: to, actor: ctx.viewer.name, note: text, snoozedUntil: until, at: ctx.now() });
      return alert;
    });
  }

  /** Alert.history: the audit trail, oldest first; batched over the alerts of a response. */
  events(ctx: RequestContext, alert: Alert): Promise<AlertEvent[]> {
    const loader = perRequest(ctx, 'alert-events', () =>
      new DataLoader<string, AlertEvent[]>(async (ids) => {
        const rows = await ctx.em.getRepository(AlertEvent).createQueryBuilder('e').where('e.alert_id IN (:...ids)', { ids: [...ids] }).orderBy('e.at', 'ASC').addOrderBy('e.id', 'ASC').getMany();
        return ids.map((id) => rows.filter((r) => r.alertId === id));
      }),
    );
    return loader.load(alert.id);
  }

  rule(ctx: RequestContext, alert: Alert): Promise<AlertRule | null> {
    const loader = perRequest(ctx, 'alert-rules', () =>
      new DataLoader<string, AlertRule | null>(async (ids) => {
        const rows = await ctx.em.getRepository(AlertRule).createQueryBuilder('r').where('r.id IN (:...ids)', { ids: [...ids] }).getMany();
        return ids.map((id) => rows.find((r) => r.id === id) ?? null);
      }),
    );
    return loader.load(alert.ruleId);
  }

  departmentOf(ctx: RequestContext, x: { departmentId: string | null }): Promise<Department | null> {
    return loadRef(ctx.loaders.department, x.departmentId);
  }

  segmentOf(ctx: RequestContext, x: { segmentId: string | null }): Promise<Segment | null> {
    return loadRef(ctx.loaders.segment, x.segmentId);
  }

  private async department(ctx: RequestContext, id: string | null | undefined): Promise<string | null> {
    if (id === null || id === undefined) return null;
    if (!(await ctx.loaders.department.load(id))) throw notFound('Department', id, 'departmentId');
    return id;
  }

  private async segment(ctx: RequestContext, id: string | null | undefined): Promise<string | null> {
    if (id === null || id === undefined) return null;
    if (!(await ctx.loaders.segment.load(id))) throw notFound('Segment', id, 'segmentId');
    return id;
  }
}
