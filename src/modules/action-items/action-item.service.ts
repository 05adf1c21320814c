import { validate } from 'class-validator';
import type { RequestContext, ServiceDeps } from '../../context';
import type { Services } from '../../services';
import { transaction } from '../../transaction';
import { badInput, classifyError, conflict, forbidden, notFound } from '../../common/errors';
import { assertRangeOrder } from '../../common/range-order';
import { parseIds, parseOptionalId } from '../../common/ids';
import { Connection, decodeCursor, pageSize, toConnection } from '../../common/pagination';
import { forgetDerived } from '../../common/request-cache';
import { SqlParams } from '../../common/sql-params';
import { UserError } from '../../common/user-error';
import { Permission } from '../auth/permissions';
import { subtreeIdsSql } from '../auth/access.service';
import { Response } from '../responses/response.entity';
import { ActionItem, ActionItemPriority, ActionItemStatus } from './action-item.entity';
import { ActionItemEvent } from './action-item-event.entity';
import { ACTION_ITEM_COLUMNS, CREATE_FIELDS, CreateField, creationSnapshot, insertEvents, itemPayload, ItemChange, toActionItem } from './action-item-row';
import { diffChanges, ItemKey, itemKeyOf, requestedChanges } from './action-item-changes';
import { assertTransition, isClosed } from './action-item-transitions';
import { ActionItemFilter, CreateActionItemInput, UpdateActionItemInput } from './action-item.inputs';
import { ActionItemUpdateResult, ActionItemUpdateStatus, BulkUpdateActionItemsPayload, MAX_BULK_UPDATES } from './action-item.types';

/** SLA when an item has no department (departments default to the same). */
export const DEFAULT_SLA_HOURS = 48;
const HOUR_MS = 3_600_000;

const OPEN_STATUSES = [ActionItemStatus.OPEN, ActionItemStatus.IN_PROGRESS, ActionItemStatus.BLOCKED];

/**
 * Action items: the closed loop's unit of work. Creation (idempotent by externalRef), updates with
 * optimistic versions and a recorded history, bulk updates with per-item results, scoped lists.
 * Every write runs in one transaction with its events and outbox entries.
 */
export class ActionItemService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {}

  // ---------------------------------------------------------------- reads

  async byId(ctx: RequestContext, id: string): Promise<ActionItem> {
    this.services.access.require(ctx, Permission.READ_ACTION_ITEMS);
    const [row] = await ctx.em.query(`SELECT ${ACTION_ITEM_COLUMNS()} FROM action_items a WHERE a.id = $1`, [id]);
    if (!row) throw notFound('Action item', id, 'id');
    const item = toActionItem(row);
    await this.services.access.assertDepartmentInScope(ctx, item.departmentId);
    return item;
  }

  /** Newest first (createdAt desc, id desc); managers see the items of their subtree only. */
  async list(ctx: RequestContext, filter: ActionItemFilter | null | undefined, first?: number | null, after?: string | null): Promise<Connection<ActionItem>> {
    this.services.access.require(ctx, Permission.READ_ACTION_ITEMS);
    const limit = pageSize(first);
    const cursor = decodeCursor(after);
    const params = new SqlParams();
    const where = await this.listConditions(ctx, filter ?? {}, params);
    const countSql = `SELECT count(*)::int AS n FROM action_items a WHERE ${where.join(' AND ')}`;
    const countParams = [...params.values];
    if (cursor) where.push(`(a.created_at, a.id) < (${params.p(cursor.at)}, ${params.p(cursor.id)}::uuid)`);
    const rows: Record<string, unknown>[] = await ctx.em.query(
      `SELECT ${ACTION_ITEM_COLUMNS()} FROM action_items a WHERE ${where.join(' AND ')}
       ORDER BY a.created_at DESC, a.id DESC LIMIT ${params.p(limit + 1)}`,
      params.values,
    );
    const [{ n }] = await ctx.em.query(countSql, countParams);
    return toConnection(rows.map(toActionItem), limit, (i) => ({ at: i.createdAt, id: i.id }), n);
  }

  private async listConditions(ctx: RequestContext, f: ActionItemFilter, params: SqlParams): Promise<string[]> {
    const where = ['TRUE'];
    const scope = this.services.access.departmentScope(ctx);
    if (scope) where.push(`a.department_id IN (${subtreeIdsSql(params.p([scope]))})`);
    const departmentIds = parseIds(f.departmentIds, 'filter.departmentIds');
    if (departmentIds?.length) {
      // Unknown departments are NOT_FOUND; departments outside the caller's subtree are FORBIDDEN.
      await this.services.access.assertDepartmentsVisible(ctx, departmentIds, 'filter.departmentIds');
      where.push(`a.department_id IN (${subtreeIdsSql(params.p(departmentIds))})`);
    }
    if (f.statuses?.length) where.push(`a.status = ANY(${params.p([...new Set(f.statuses)])}::text[])`);
    if (f.priority?.length) where.push(`a.priority = ANY(${params.p([...new Set(f.priority)])}::text[])`);
    const assigneeId = parseOptionalId(f.assigneeId, 'filter.assigneeId');
    if (assigneeId) where.push(`a.assignee_id = ${params.p(assigneeId)}`);
    const responseId = parseOptionalId(f.responseId, 'filter.responseId');
    if (responseId) where.push(`a.response_id = ${params.p(responseId)}`);
    if (f.createdFrom) where.push(`a.created_at >= ${params.p(f.createdFrom)}`);
    if (f.createdTo) where.push(`a.created_at < ${params.p(f.createdTo)}`);
    assertRangeOrder({ field: 'filter.createdFrom', value: f.createdFrom }, { field: 'filter.createdTo', value: f.createdTo });
    if (f.autoCreated !== null && f.autoCreated !== undefined) where.push(f.autoCreated ? 'a.auto_created' : 'NOT a.auto_created');
    if (f.overdue !== null && f.overdue !== undefined) {
      const overdue = `(a.status = ANY(${params.p(OPEN_STATUSES)}::text[]) AND a.due_at < ${params.p(ctx.now())})`;
      where.push(f.overdue ? overdue : `NOT coalesce(${overdue}, false)`);
    }
    return where;
  }

  events(ctx: RequestContext, item: ActionItem): Promise<ActionItemEvent[]> {
    return ctx.loaders.actionItemEvents.load(item.id);
  }

  /**
   * The followed-up response; needs READ_RESPONSES (verbatims and customer details) and, for a
   * MANAGER, a response of their subtree: an item of theirs may follow up another department's
   * response (created by an admin or an integration), which response(id) would not show them
   * either. FORBIDDEN on the field then, as Response.comment is for a key without READ_RESPONSES.
   * Batched: one load of all the page's responses, one read of the subtree per request.
   */
  async response(ctx: RequestContext, item: ActionItem): Promise<Response | null> {
    if (!item.responseId) return null;
    this.services.access.require(ctx, Permission.READ_RESPONSES);
    const [response, inside] = await Promise.all([ctx.loaders.response.load(item.responseId), this.services.access.scopeDepartmentIds(ctx)]);
    if (response && inside && !(response.departmentId && inside.has(response.departmentId))) {
      throw forbidden('The response this item follows up belongs to a department outside the subtree your key may see');
    }
    return response;
  }

  // ---------------------------------------------------------------- create

  async create(ctx: RequestContext, given: CreateActionItemInput): Promise<ActionItem> {
    this.services.access.require(ctx, Permission.WRITE_ACTION_ITEMS);
    const input = await this.resolveResponseRef(ctx, given);
    const responseId = parseOptionalId(input.responseId, 'responseId');
    const title = input.title === null || input.title === undefined ? undefined : input.title.trim();
    if (title === '') throw badInput('title must not be blank', 'title');
    if (title === undefined && !responseId) throw badInput('title is required unless responseId is given', 'title');
    const externalRef = input.externalRef ?? null;
    if (externalRef !== null && !externalRef.trim()) throw badInput('externalRef must not be blank', 'externalRef');
    if (input.dueAt && Number.isNaN(input.dueAt.getTime())) throw badInput('dueAt is not a valid date-time', 'dueAt');
    const explicitDept = input.departmentId === undefined ? undefined : (parseOptionalId(input.departmentId, 'departmentId') ?? null);
    const explicitAssignee = input.assigneeId === undefined ? undefined : (parseOptionalId(input.assigneeId, 'assigneeId') ?? null);
    const explicitOwner = input.ownerId === undefined ? undefined : (parseOptionalId(input.ownerId, 'ownerId') ?? null);
    const now = ctx.now();

    const created = await transaction(ctx, async (ctx) => {
      let response: { id: string; score: number; department_id: string | null; survey_name: string } | undefined;
      if (responseId) {
        [response] = await ctx.em.query(
          `SELECT r.id, r.score, r.department_id, s.name AS survey_name FROM responses r JOIN surveys s ON s.id = r.survey_id WHERE r.id = $1`,
          [responseId],
        );
        // A manager may only follow up responses of their own subtree; the others are NOT_FOUND to
        // them, as in response(id), so that the answer does not tell which ids exist.
        if (!response || !(await this.services.access.isDepartmentInScope(ctx, response.department_id))) {
          throw notFound('Response', responseId, 'responseId');
        }
      }
      const departmentId = explicitDept !== undefined ? explicitDept : (response?.department_id ?? null);
      let dept: { owner_id: string | null; sla_hours: number } | undefined;
      if (departmentId) {
        [dept] = await ctx.em.query('SELECT owner_id, sla_hours FROM departments WHERE id = $1', [departmentId]);
        if (!dept) throw notFound('Department', departmentId, 'departmentId');
      }
      await this.services.access.assertDepartmentInScope(ctx, departmentId);
      await this.assertPeople(ctx, { assigneeId: explicitAssignee, ownerId: explicitOwner });

      const values: Record<CreateField, unknown> = {
        title: title ?? `Follow up: score ${response!.score}/10 on ${response!.survey_name}`,
        description: input.description ?? null,
        priority: input.priority ?? ActionItemPriority.MEDIUM,
        responseId: responseId ?? null,
        departmentId,
        ownerId: explicitOwner !== undefined ? explicitOwner : (dept?.owner_id ?? null),
        assigneeId: explicitAssignee !== undefined ? explicitAssignee : (dept?.owner_id ?? null),
        dueAt: input.dueAt !== undefined ? input.dueAt : new Date(now.getTime() + (dept?.sla_hours ?? DEFAULT_SLA_HOURS) * HOUR_MS),
      };
      const [row] = await ctx.em.query(
        `INSERT INTO action_items (external_ref, title, description, status, priority, version, auto_created, response_id,
                                   department_id, owner_id, assignee_id, due_at, created_at, updated_at)
         VALUES ($1, $2, $3, 'OPEN', $4, 1, false, $5, $6, $7, $8, $9, $10, $10)
         ON CONFLICT (external_ref) DO NOTHING
         RETURNING ${ACTION_ITEM_COLUMNS('action_items')}`,
        [externalRef, values.title, values.description, values.priority, values.responseId, values.departmentId, values.ownerId, values.assigneeId, values.dueAt, now],
      );
      if (!row) return this.existingForRetry(ctx, externalRef!, input, values);

      const item = toActionItem(row);
      const snapshot = creationSnapshot({ ...values, externalRef });
      await insertEvents(ctx, [{ actionItemId: item.id, actor: ctx.viewer.name, at: now, field: 'created', from: null, to: JSON.stringify(snapshot), note: null }]);
      await this.services.outbox.enqueue(ctx, [
        { type: 'action_item.created', aggregateId: item.id, payload: { item: itemPayload(item), changes: [], actor: ctx.viewer.name, note: null } },
      ]);
      return item;
    });
    this.forgetCached(ctx, created.id);
    return created;
  }

  /**
   * After a committed write of an item: its events and the request's derived figures (closed-loop
   * rates of KPI targets) are read again by later fields of the same request.
   */
  private forgetCached(ctx: RequestContext, itemId: string): void {
    ctx.loaders.actionItemEvents.clear(itemId);
    forgetDerived(ctx);
  }

  /**
   * Turns responseExternalRef into responseId (one or the other), so the rest sees one shape. A
   * response outside a MANAGER's subtree is NOT_FOUND, like an unknown ref: refs do not leak.
   */
  private async resolveResponseRef(ctx: RequestContext, input: CreateActionItemInput): Promise<CreateActionItemInput> {
    const ref = input.responseExternalRef;
    if (ref === null || ref === undefined) return input;
    if (input.responseId !== null && input.responseId !== undefined) {
      throw badInput('Give responseId or responseExternalRef, not both', 'responseExternalRef');
    }
    const [row] = await ctx.em.query('SELECT id, department_id FROM responses WHERE external_ref = $1', [ref]);
    if (!row || !(await this.services.access.isDepartmentInScope(ctx, row.department_id))) {
      throw notFound('Response with externalRef', ref, 'responseExternalRef');
    }
    return Object.assign(new CreateActionItemInput(), input, { responseId: row.id as string, responseExternalRef: undefined });
  }

  /**
   * A create whose externalRef exists: the existing item when every field the input gives equals
   * the value the item was created with (a retry), else CONFLICT naming the differing fields.
   */
  private async existingForRetry(
    ctx: RequestContext,
    externalRef: string,
    input: CreateActionItemInput,
    values: Record<CreateField, unknown>,
  ): Promise<ActionItem> {
    const [row] = await ctx.em.query(`SELECT ${ACTION_ITEM_COLUMNS()} FROM action_items a WHERE a.external_ref = $1`, [externalRef]);
    const existing = toActionItem(row);
    await this.services.access.assertDepartmentInScope(ctx, existing.departmentId);
    const [created] = await ctx.em.query(
      `SELECT to_value FROM action_item_events WHERE action_item_id = $1 AND field = 'created' ORDER BY at, id LIMIT 1`,
      [existing.id],
    );
    const original: Record<string, unknown> = created?.to_value ? JSON.parse(created.to_value) : creationSnapshot(existing);
    const asked = creationSnapshot(values);
    const givenFields = CREATE_FIELDS.filter((f) => input[f] !== undefined);
    const differing = givenFields.filter((f) => asked[f] !== (original[f] ?? null));
    if (differing.length) {
      throw conflict(
        `An action item with externalRef ${JSON.stringify(externalRef)} already exists with a different ${differing.join(', ')}; use updateActionItem to change it`,
        { existingId: existing.id, currentVersion: existing.version, fields: differing },
      );
    }
    return existing;
  }

  /**
   * The people put into assigneeId / ownerId exist (NOT_FOUND naming the field) and, for a
   * MANAGER, belong to a department of their subtree (FORBIDDEN naming the field).
   */
  private async assertPeople(ctx: RequestContext, ids: Record<string, string | null | undefined>): Promise<void> {
    const wanted = Object.entries(ids).filter((e): e is [string, string] => typeof e[1] === 'string');
    if (!wanted.length) return;
    const rows: { id: string }[] = await ctx.em.query('SELECT id FROM people WHERE id = ANY($1::uuid[])', [wanted.map(([, id]) => id)]);
    const found = new Set(rows.map((r) => r.id));
    const missing = wanted.find(([, id]) => !found.has(id));
    if (missing) throw notFound('Person', missing[1], missing[0]);
    await this.services.access.assertPeopleInScope(ctx, ids);
  }

  // ---------------------------------------------------------------- update

  async update(ctx: RequestContext, input: UpdateActionItemInput): Promise<ActionItem> {
    return (await this.applyUpdate(ctx, input)).item;
  }

  /**
   * Up to 500 updates, each applied on its own transaction in input order: a rejected one changes
   * nothing and does not stop the others. Internal failures are not turned into results.
   */
  async bulkUpdate(ctx: RequestContext, updates: readonly UpdateActionItemInput[]): Promise<BulkUpdateActionItemsPayload> {
    this.services.access.require(ctx, Permission.WRITE_ACTION_ITEMS);
    if (updates.length > MAX_BULK_UPDATES) {
      throw badInput(`At most ${MAX_BULK_UPDATES} updates per call; got ${updates.length}`, 'updates', { max: MAX_BULK_UPDATES });
    }
    const results: ActionItemUpdateResult[] = [];
    for (const [index, raw] of updates.entries()) {
      const input = raw instanceof UpdateActionItemInput ? raw : Object.assign(new UpdateActionItemInput(), raw);
      try {
        await validateInput(input);
        const { item, changed } = await this.applyUpdate(ctx, input);
        const status = changed ? ActionItemUpdateStatus.UPDATED : ActionItemUpdateStatus.UNCHANGED;
        results.push(Object.assign(new ActionItemUpdateResult(), { index, status, item, error: null }));
      } catch (err) {
        const error = UserError.from(err);
        if (!error) throw err;
        results.push(Object.assign(new ActionItemUpdateResult(), { index, status: ActionItemUpdateStatus.REJECTED, item: null, error }));
      }
    }
    const count = (s: ActionItemUpdateStatus) => results.filter((r) => r.status === s).length;
    return Object.assign(new BulkUpdateActionItemsPayload(), {
      updated: count(ActionItemUpdateStatus.UPDATED),
      unchanged: count(ActionItemUpdateStatus.UNCHANGED),
      rejected: count(ActionItemUpdateStatus.REJECTED),
      results,
    });
  }

  /**
   * Locks the item (SELECT ... FOR UPDATE), so concurrent updates of one item serialise. Order of
   * checks: scope (FORBIDDEN); nothing to change (no-op, whatever expectedVersion says: a retry of
   * an applied update succeeds); stale expectedVersion (CONFLICT); transition (BAD_USER_INPUT);
   * assignee exists (NOT_FOUND) and, for a MANAGER, is in their subtree (FORBIDDEN). Then one UPDATE, its events and one outbox event.
   */
  private async applyUpdate(ctx: RequestContext, input: UpdateActionItemInput): Promise<{ item: ActionItem; changed: boolean }> {
    this.services.access.require(ctx, Permission.WRITE_ACTION_ITEMS);
    const key = itemKeyOf(input);
    const requested = requestedChanges(input);
    const note = input.note?.trim() || null;
    const result = await transaction(ctx, async (ctx) => {
      const item = await this.lockItem(ctx, key);
      await this.services.access.assertDepartmentInScope(ctx, item.departmentId);
      const changes = diffChanges(item, requested);
      if (!changes.length) return { item, changed: false };
      const expected = input.expectedVersion;
      if (expected !== null && expected !== undefined && expected !== item.version) {
        throw conflict(`The action item is at version ${item.version}, not ${expected}: reload it and retry`, {
          currentVersion: item.version,
          expectedVersion: expected,
        });
      }
      if (requested.status !== undefined && requested.status !== item.status) assertTransition(item.status, requested.status);
      if (requested.assigneeId && requested.assigneeId !== item.assigneeId) await this.assertPeople(ctx, { assigneeId: requested.assigneeId });

      const now = ctx.now();
      const updated = applyChanges(item, requested, now);
      // Wrapped in a SELECT: TypeORM returns [rows, count] for a bare UPDATE.
      const [row] = await ctx.em.query(
        `WITH u AS (
           UPDATE action_items SET status = $2, assignee_id = $3, title = $4, priority = $5, due_at = $6, description = $7,
                  first_action_at = $8, closed_at = $9, version = version + 1, updated_at = $10
           WHERE id = $1 RETURNING *)
         SELECT ${ACTION_ITEM_COLUMNS('u')} FROM u`,
        [item.id, updated.status, updated.assigneeId, updated.title, updated.priority, updated.dueAt, updated.description, updated.firstActionAt, updated.closedAt, now],
      );
      const saved = toActionItem(row);
      await insertEvents(
        ctx,
        changes.map((c) => ({ actionItemId: item.id, actor: ctx.viewer.name, at: now, note, ...c })),
      );
      await this.services.outbox.enqueue(ctx, [
        { type: 'action_item.changed', aggregateId: item.id, payload: changedPayload(saved, changes, ctx.viewer.name, note) },
      ]);
      return { item: saved, changed: true };
    });
    if (result.changed) this.forgetCached(ctx, result.item.id);
    return result;
  }

  private async lockItem(ctx: RequestContext, key: ItemKey): Promise<ActionItem> {
    const column = key.field === 'id' ? 'id' : 'external_ref';
    const [row] = await ctx.em.query(`SELECT ${ACTION_ITEM_COLUMNS()} FROM action_items a WHERE a.${column} = $1 FOR UPDATE`, [key.value]);
    if (!row) throw notFound(key.field === 'id' ? 'Action item' : 'Action item with externalRef', key.value, key.field);
    return toActionItem(row);
  }
}

/** The item after the requested changes, with firstActionAt and closedAt kept in step with the status. */
function applyChanges(item: ActionItem, req: ReturnType<typeof requestedChanges>, now: Date): ActionItem {
  const next = Object.assign(new ActionItem(), item);
  if (req.assigneeId !== undefined) next.assigneeId = req.assigneeId;
  if (req.title !== undefined) next.title = req.title;
  if (req.priority !== undefined) next.priority = req.priority;
  if (req.dueAt !== undefined) next.dueAt = req.dueAt;
  if (req.description !== undefined) next.description = req.description;
  if (req.status !== undefined && req.status !== item.status) {
    next.status = req.status;
    if (req.status !== ActionItemStatus.OPEN && !item.firstActionAt) next.firstActionAt = now;
    if (isClosed(req.status) && !isClosed(item.status)) next.closedAt = now;
    if (!isClosed(req.status)) next.closedAt = null;
  }
  return next;
}

function changedPayload(item: ActionItem, changes: ItemChange[], actor: string, note: string | null): Record<string, unknown> {
  return { item: itemPayload(item), changes, actor, note };
}

/** Runs the input's class-validator rules (as type-graphql does for a single argument). */
async function validateInput(input: object): Promise<void> {
  const errors = await validate(input, { skipMissingProperties: true, forbidUnknownValues: false });
  if (!errors.length) return;
  const c = classifyError({ extensions: { validationErrors: errors } })!;
  const problems = (c.extensions?.problems ?? []) as { field: string }[];
  throw badInput(c.message, problems[0]?.field);
}
