import { badInput } from '../../common/errors';
import { parseOptionalId } from '../../common/ids';
import { ActionItem, ActionItemPriority, ActionItemStatus } from './action-item.entity';
import type { ItemChange } from './action-item-row';
import type { UpdateActionItemInput } from './action-item.inputs';

/** What an update asks for, validated; undefined = leave as is. */
export interface RequestedChanges {
  status?: ActionItemStatus;
  assigneeId?: string | null;
  title?: string;
  priority?: ActionItemPriority;
  dueAt?: Date | null;
  description?: string | null;
}

/** Which item an update addresses: by id or by externalRef, exactly one. */
export type ItemKey = { field: 'id'; value: string } | { field: 'externalRef'; value: string };

const given = <T>(v: T | null | undefined): v is T => v !== null && v !== undefined;

export function itemKeyOf(input: UpdateActionItemInput): ItemKey {
  const hasId = given(input.id);
  const hasRef = given(input.externalRef);
  if (hasId === hasRef) throw badInput('Give exactly one of id and externalRef', hasId ? 'externalRef' : 'id');
  return hasId ? { field: 'id', value: parseOptionalId(input.id, 'id')! } : { field: 'externalRef', value: input.externalRef! };
}

/**
 * Reads the fields an update sets. For status, title and priority null means "unchanged" (they
 * cannot be empty); for assigneeId, dueAt and description null clears the value.
 */
export function requestedChanges(input: UpdateActionItemInput): RequestedChanges {
  const out: RequestedChanges = {};
  if (given(input.status)) out.status = input.status;
  if (given(input.priority)) out.priority = input.priority;
  if (given(input.title)) {
    const title = input.title.trim();
    if (!title) throw badInput('title must not be blank', 'title');
    out.title = title;
  }
  if (input.assigneeId !== undefined) out.assigneeId = parseOptionalId(input.assigneeId, 'assigneeId') ?? null;
  if (input.dueAt !== undefined) {
    if (input.dueAt !== null && Number.isNaN(input.dueAt.getTime())) throw badInput('dueAt is not a valid date-time', 'dueAt');
    out.dueAt = input.dueAt;
  }
  if (input.description !== undefined) out.description = input.description;
  return out;
}

const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * The field changes that applying `req` to `item` makes, in a fixed order. Values equal to the
 * current ones are not changes, so an update that asks for the current state yields none.
 * Event field names: status, assignee, title, priority, dueAt, description.
 */
export function diffChanges(item: ActionItem, req: RequestedChanges): ItemChange[] {
  const out: ItemChange[] = [];
  if (req.status !== undefined && req.status !== item.status) out.push({ field: 'status', from: item.status, to: req.status });
  if (req.assigneeId !== undefined && req.assigneeId !== item.assigneeId) out.push({ field: 'assignee', from: item.assigneeId, to: req.assigneeId });
  if (req.title !== undefined && req.title !== item.title) out.push({ field: 'title', from: item.title, to: req.title });
  if (req.priority !== undefined && req.priority !== item.priority) out.push({ field: 'priority', from: item.priority, to: req.priority });
  if (req.dueAt !== undefined && isoOrNull(req.dueAt) !== isoOrNull(item.dueAt)) {
    out.push({ field: 'dueAt', from: isoOrNull(item.dueAt), to: isoOrNull(req.dueAt) });
  }
  if (req.description !== undefined && req.description !== item.description) {
    out.push({ field: 'description', from: item.description, to: req.description });
  }
  return out;
}
