import type { RequestContext } from '../../context';
import { ActionItem, ActionItemPriority, ActionItemStatus } from './action-item.entity';

/** The select list of action_items for raw queries (alias `a`), mapped back by toActionItem. */
export const ACTION_ITEM_COLUMNS = (a = 'a') =>
  ['id', 'external_ref', 'title', 'description', 'status', 'priority', 'version', 'auto_created', 'response_id', 'department_id', 'owner_id', 'assignee_id', 'due_at', 'first_action_at', 'closed_at', 'created_at', 'updated_at']
    .map((c) => `${a}.${c}`)
    .join(', ');

/** A raw action_items row (snake_case, as pg returns it) as an ActionItem. */
export function toActionItem(row: Record<string, any>): ActionItem {
  return Object.assign(new ActionItem(), {
    id: row.id,
    externalRef: row.external_ref,
    title: row.title,
    description: row.description,
    status: row.status as ActionItemStatus,
    priority: row.priority as ActionItemPriority,
    version: Number(row.version),
    autoCreated: row.auto_created,
    responseId: row.response_id,
    departmentId: row.department_id,
    ownerId: row.owner_id,
    assigneeId: row.assignee_id,
    dueAt: row.due_at,
    firstActionAt: row.first_action_at,
    closedAt: row.closed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The item as outbox payloads and the 'created' event carry it (dates as ISO strings). */
export function itemPayload(item: ActionItem): Record<string, unknown> {
  return {
    id: item.id,
    externalRef: item.externalRef,
    title: item.title,
    description: item.description,
    status: item.status,
    priority: item.priority,
    version: item.version,
    autoCreated: item.autoCreated,
    responseId: item.responseId,
    departmentId: item.departmentId,
    ownerId: item.ownerId,
    assigneeId: item.assigneeId,
    dueAt: iso(item.dueAt),
    firstActionAt: iso(item.firstActionAt),
    closedAt: iso(item.closedAt),
    createdAt: iso(item.createdAt),
    updatedAt: iso(item.updatedAt),
  };
}

/** Fields of the creation snapshot (the 'created' event's toValue) that a retried create is compared on. */
export const CREATE_FIELDS = ['title', 'description', 'priority', 'responseId', 'departmentId', 'ownerId', 'assigneeId', 'dueAt'] as const;
export type CreateField = (typeof CREATE_FIELDS)[number];

/** Creation values (plus externalRef) as the 'created' event stores them: JSON-ready, dates as ISO strings. */
export function creationSnapshot(v: Partial<Record<CreateField | 'externalRef', unknown>>): Record<CreateField | 'externalRef', unknown> {
  const out = {} as Record<CreateField | 'externalRef', unknown>;
  for (const f of [...CREATE_FIELDS, 'externalRef'] as const) {
    const value = v[f] ?? null;
    out[f] = value instanceof Date ? value.toISOString() : value;
  }
  return out;
}

/** One change of one field, as stored in action_item_events. */
export interface ItemChange {
  field: string;
  from: string | null;
  to: string | null;
}

export interface EventRow extends ItemChange {
  actionItemId: string;
  actor: string;
  at: Date;
  note: string | null;
}

/** Writes events set-based, in one statement, inside the caller's transaction (ctx.em). */
export async function insertEvents(ctx: RequestContext, events: readonly EventRow[]): Promise<void> {
  if (!events.length) return;
  await ctx.em.query(
    `INSERT INTO action_item_events (action_item_id, actor, at, field, from_value, to_value, note)
     SELECT e.action_item_id, e.actor, e.at, e.field, e.from_value, e.to_value, e.note
     FROM jsonb_to_recordset($1::jsonb) AS e(action_item_id uuid, actor text, at timestamptz, field text, from_value text, to_value text, note text, ord int)
     ORDER BY e.ord`,
    [
      JSON.stringify(
        events.map((e, ord) => ({
          action_item_id: e.actionItemId,
          actor: e.actor,
          at: e.at.toISOString(),
          field: e.field,
          from_value: e.from,
          to_value: e.to,
          note: e.note,
          ord,
        })),
      ),
    ],
  );
}
