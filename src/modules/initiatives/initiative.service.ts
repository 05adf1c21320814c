import type { RequestContext, ServiceDeps } from '../../context';
import { badInput, conflict, forbidden, notFound } from '../../common/errors';
import { SqlParams } from '../../common/sql-params';
import { differenceInDifferences, NpsCounts } from '../../scoring';
import type { Services } from '../../services';
import { transaction } from '../../transaction';
import { ActionItem } from '../action-items/action-item.entity';
import { ACTION_ITEM_COLUMNS, toActionItem } from '../action-items/action-item-row';
import { Permission } from '../auth/permissions';
import { NpsScore, ScoreChange, ScoreVerdict } from '../reporting/nps-score.type';
import type { ResponseFilter } from '../reporting/filter/response-filter.input';
import { CreateInitiativeInput, DEFAULT_EFFECT_WINDOW_DAYS, Initiative, InitiativeEffect, InitiativeProgress, MAX_EFFECT_WINDOW_DAYS } from './initiative.types';

const DAY_MS = 86_400_000;
export const MAX_LINKED_ITEMS_PER_CALL = 500;

const toInitiative = (r: Record<string, any>): Initiative =>
  Object.assign(new Initiative(), {
    id: r.id,
    title: r.title,
    ownerId: r.owner_id,
    departmentId: r.department_id ?? null,
    segmentId: r.segment_id ?? null,
    themeId: r.theme_id ?? null,
    startsAt: new Date(r.starts_at),
    expectedEffect: r.expected_effect ?? null,
    windowDays: r.window_days,
    createdAt: new Date(r.created_at),
  });

function windowDays(value: number | null | undefined, field: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > MAX_EFFECT_WINDOW_DAYS) throw badInput(`${field} must be a whole number of days from 1 to ${MAX_EFFECT_WINDOW_DAYS}`, field);
  return value;
}

/**
 * Initiatives (action plans) with their action items and their measured effect. Reading them is
 * reading report figures (READ_REPORTS); creating and changing them needs WRITE_INITIATIVES
 * (ADMIN, EXECUTIVE, and MANAGER within its subtree: department-scoped initiatives of the
 * subtree, owned by one of its people; a MANAGER key does not see segment-scoped ones).
 */
export class InitiativeService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {}

  async list(ctx: RequestContext): Promise<Initiative[]> {
    this.services.access.require(ctx, Permission.READ_REPORTS);
    const scope = this.services.access.departmentScope(ctx);
    const rows = await ctx.em.query(
      `SELECT * FROM initiatives ${scope ? `WHERE department_id = ANY(department_subtree(ARRAY[$1]::uuid[]))` : ''} ORDER BY starts_at DESC, id`,
      scope ? [scope] : [],
    );
    return rows.map(toInitiative);
  }

  async byId(ctx: RequestContext, id: string): Promise<Initiative> {
    this.services.access.require(ctx, Permission.READ_REPORTS);
    const [row] = await ctx.em.query('SELECT * FROM initiatives WHERE id = $1', [id]);
    if (!row) throw notFound('Initiative', id, 'id');
    await this.assertVisible(ctx, toInitiative(row));
    return toInitiative(row);
  }

  async create(ctx: RequestContext, input: CreateInitiativeInput): Promise<Initiative> {
    this.services.access.require(ctx, Permission.WRITE_INITIATIVES);
    const title = typeof input.title === 'string' ? input.title.trim() : '';
    if (!title || title.length > 200 || title.includes('\u0000')) throw badInput('title must be 1-200 characters', 'input.title');
    if (!input.departmentId === !input.segmentId) throw badInput('Give the scope as departmentId or segmentId (exactly one)', 'input.departmentId');
    if (input.expectedEffect != null && !(Math.abs(input.expectedEffect) <= 200)) throw badInput('expectedEffect must be from -200 to 200 NPS points', 'input.expectedEffect');
    const days = windowDays(input.windowDays, 'input.windowDays') ?? DEFAULT_EFFECT_WINDOW_DAYS;
    if (Number.isNaN(new Date(input.startsAt).getTime())) throw badInput('startsAt must be a date-time', 'input.startsAt');
    if (!(await ctx.loaders.person.load(input.ownerId))) throw notFound('Person', input.ownerId, 'input.ownerId');
    if (input.departmentId) await this.services.access.assertDepartmentsVisible(ctx, [input.departmentId], 'input.departmentId');
    if (input.segmentId) {
      if (this.services.access.departmentScope(ctx)) throw forbidden('A MANAGER key creates initiatives for a department of its subtree, not for a segment');
      if (!(await ctx.loaders.segment.load(input.segmentId))) throw notFound('Segment', input.segmentId, 'input.segmentId');
    }
    if (input.themeId && !(await ctx.loaders.theme.load(input.themeId))) throw notFound('Theme', input.themeId, 'input.themeId');
    await this.services.access.assertPeopleInScope(ctx, { 'input.ownerId': input.ownerId });
    const [row] = await ctx.em.query(
      `INSERT INTO initiatives (title, owner_id, department_id, segment_id, theme_id, starts_at, expected_effect, window_days, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING *`,
      [title, input.ownerId, input.departmentId ?? null, input.segmentId ?? null, input.themeId ?? null, input.startsAt, input.expectedEffect ?? null, days, ctx.now()],
    );
    return toInitiative(row);
  }

  /**
   * Links action items to an initiative (linked true) or unlinks them. Each item exists (NOT_FOUND),
   * is the caller's to touch (a MANAGER's subtree, else FORBIDDEN) and belongs to at most one
   * initiative (linked to another: CONFLICT). All or nothing, in one transaction.
   */
  async setActionItems(ctx: RequestContext, initiativeId: string, actionItemIds: readonly string[], linked: boolean): Promise<Initiative> {
    this.services.access.require(ctx, Permission.WRITE_INITIATIVES);
    if (actionItemIds.length > MAX_LINKED_ITEMS_PER_CALL) throw badInput(`At most ${MAX_LINKED_ITEMS_PER_CALL} action items per call`, 'actionItemIds');
    return transaction(ctx, async (ctx) => {
      const [row] = await ctx.em.query('SELECT * FROM initiatives WHERE id = $1 FOR UPDATE', [initiativeId]);
      if (!row) throw notFound('Initiative', initiativeId, 'initiativeId');
      const initiative = toInitiative(row);
      await this.assertVisible(ctx, initiative);
      const ids = [...new Set(actionItemIds)];
      const items: { id: string; department_id: string | null; initiative_id: string | null }[] = await ctx.em.query(
        `SELECT a.id, a.department_id, l.initiative_id FROM action_items a LEFT JOIN initiative_action_items l ON l.action_item_id = a.id WHERE a.id = ANY($1::uuid[]) ORDER BY a.id FOR UPDATE OF a`,
        [ids],
      );
      const found = new Map(items.map((i) => [i.id, i]));
      const missing = ids.find((id) => !found.has(id));
      if (missing) throw notFound('Action item', missing, 'actionItemIds');
      for (const item of items) await this.services.access.assertDepartmentInScope(ctx, item.department_id);
      if (linked) {
        const taken = items.find((i) => i.initiative_id && i.initiative_id !== initiativeId);
        if (taken) throw conflict(`Action item ${taken.id} belongs to another initiative (${taken.initiative_id}); unlink it there first`);
        await ctx.em.query(
          `INSERT INTO initiative_action_items (action_item_id, initiative_id) SELECT unnest($1::uuid[]), $2 ORDER BY 1 ON CONFLICT (action_item_id) DO NOTHING`,
          [ids, initiativeId],
        );
      } else {
        await ctx.em.query('DELETE FROM initiative_action_items WHERE initiative_id = $1 AND action_item_id = ANY($2::uuid[])', [initiativeId, ids]);
      }
      return initiative;
    });
  }

  async actionItems(ctx: RequestContext, initiative: Initiative): Promise<ActionItem[]> {
    this.services.access.require(ctx, Permission.READ_ACTION_ITEMS);
    const scope = this.services.access.departmentScope(ctx);
    const rows = await ctx.em.query(
      `SELECT ${ACTION_ITEM_COLUMNS('a')} FROM initiative_action_items l JOIN action_items a ON a.id = l.action_item_id
       WHERE l.initiative_id = $1 ${scope ? 'AND a.department_id = ANY(department_subtree(ARRAY[$2]::uuid[]))' : ''} ORDER BY a.created_at, a.id`,
      scope ? [initiative.id, scope] : [initiative.id],
    );
    return rows.map(toActionItem);
  }

  async progress(ctx: RequestContext, initiative: Initiative): Promise<InitiativeProgress> {
    const [r] = await ctx.em.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE a.status = 'DONE')::int AS done, count(*) FILTER (WHERE a.status = 'WONT_DO')::int AS wont_do
       FROM initiative_action_items l JOIN action_items a ON a.id = l.action_item_id WHERE l.initiative_id = $1`,
      [initiative.id],
    );
    return Object.assign(new InitiativeProgress(), {
      actionItems: r.total,
      done: r.done,
      wontDo: r.wont_do,
      open: r.total - r.done - r.wont_do,
      percentClosed: r.total ? (100 * (r.done + r.wont_do)) / r.total : null,
    });
  }

  /**
   * The effect (InitiativeEffect): one statement counts the responses the caller may see in
   * [start - window, start + window), by inside/outside the scope (the filter compiler's condition
   * for the department subtree or segment) and before/after the start; the maths is the scoring
   * module's differenceInDifferences.
   */
  async effect(ctx: RequestContext, initiative: Initiative, windowDaysArg?: number | null): Promise<InitiativeEffect> {
    this.services.access.require(ctx, Permission.READ_REPORTS);
    const days = windowDays(windowDaysArg, 'windowDays') ?? initiative.windowDays;
    const start = initiative.startsAt.getTime();
    const from = new Date(start - days * DAY_MS);
    const to = new Date(start + days * DAY_MS);
    const params = new SqlParams();
    const scopeFilter: ResponseFilter = (initiative.departmentId ? { departmentIds: [initiative.departmentId] } : { segmentId: initiative.segmentId! }) as ResponseFilter;
    const inside = await this.services.filters.compile(ctx, scopeFilter, params, 'r');
    const visible = await this.services.filters.compile(ctx, {} as ResponseFilter, params, 'r');
    const rows: { inside: boolean; after: boolean; promoters: number; passives: number; detractors: number }[] = await ctx.em.query(
      `SELECT coalesce((${inside}), false) AS inside, r.responded_at >= ${params.p(initiative.startsAt)} AS after,
              count(*) FILTER (WHERE r.score >= 9)::int AS promoters, count(*) FILTER (WHERE r.score BETWEEN 7 AND 8)::int AS passives,
              count(*) FILTER (WHERE r.score <= 6)::int AS detractors
       FROM responses r
       WHERE r.responded_at >= ${params.p(from)} AND r.responded_at < ${params.p(to)} AND (${visible})
       GROUP BY 1, 2`,
      params.values,
    );
    const counts = (i: boolean, a: boolean): NpsCounts => {
      const r = rows.find((x) => x.inside === i && x.after === a);
      return { promoters: r?.promoters ?? 0, passives: r?.passives ?? 0, detractors: r?.detractors ?? 0 };
    };
    const g = { scopeBefore: counts(true, false), scopeAfter: counts(true, true), outsideBefore: counts(false, false), outsideAfter: counts(false, true) };
    const did = differenceInDifferences(g);
    const score = (c: NpsCounts) => NpsScore.from(c);
    const change = (before: NpsScore, after: NpsScore) => ScoreChange.between(before, after);
    const [sb, sa, ob, oa] = [score(g.scopeBefore), score(g.scopeAfter), score(g.outsideBefore), score(g.outsideAfter)];
    return Object.assign(new InitiativeEffect(), {
      windowDays: days,
      beforeFrom: from,
      afterTo: to,
      scopeBefore: sb,
      scopeAfter: sa,
      scopeChange: change(sb, sa),
      outsideBefore: ob,
      outsideAfter: oa,
      outsideChange: change(ob, oa),
      effect: did.estimate,
      adjustedEffect: did.adjustedEstimate,
      standardError: did.standardError,
      zScore: did.zScore,
      pValue: did.pValue,
      significant: did.significant,
      verdict: did.verdict as ScoreVerdict,
      expectedEffect: initiative.expectedEffect,
      lowSample: did.lowSample,
      tooEarly: ctx.now().getTime() < to.getTime(),
    });
  }

  /** FORBIDDEN for a MANAGER key when the initiative is not for a department of its subtree. */
  private async assertVisible(ctx: RequestContext, initiative: Initiative): Promise<void> {
    if (!this.services.access.departmentScope(ctx)) return;
    await this.services.access.assertDepartmentInScope(ctx, initiative.departmentId);
  }
}
