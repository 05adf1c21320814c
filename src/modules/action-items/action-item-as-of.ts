/**
 * An action item as its history (action_item_events) left it at an instant T: the SQL a report
 * "as of T" reads instead of the item's current columns.
 *
 * Every change made through the API is an event (field, from, to, at; see action-item-changes.ts):
 * `status`, `dueAt` and `assignee` are the fields reports need. For each of them the value at T is
 * - the `to` of the field's last event before T (at < T), when there is one;
 * - else the `from` of its first event at or after T (the value it had until then);
 * - else, the field never changed: the current column.
 * Events of one item at the same instant are ordered by id (an update changes each field once).
 *
 * Derived at T:
 * - closedAt: the instant of the last status event before T when it moved the item to DONE or
 *   WONT_DO (a closed item can only be reopened, so that event closed it); null when open at T;
 * - firstActionAt: the column when before T (it is set once, when the item first leaves OPEN);
 * - the item exists at T when created before T (createdAt < T).
 * Items without a status history (written outside the API) are taken as their columns say: closed
 * at T when closedAt < T, started when firstActionAt < T.
 *
 * What no event records (an item's response or department, a response's score, time or
 * department, deletions) is read as it is now: corrections change past figures.
 */

const CLOSED = `('DONE', 'WONT_DO')`;
/** The history columns' prefix per event field. */
const HISTORY_COLUMN = { dueAt: 'due', assignee: 'assignee' } as const;

/** `LEFT JOIN LATERAL (...) <h> ON TRUE`: the item's history around the instant `t` (an SQL expression of type timestamptz). */
export function itemHistoryJoin(a: string, t: string, h = 'h'): string {
  const last = (field: string, col: string) =>
    `(array_agg(e.${col} ORDER BY e.at DESC, e.id DESC) FILTER (WHERE e.field = '${field}' AND e.at < ${t}))[1]`;
  const next = (field: string) => `(array_agg(e.from_value ORDER BY e.at, e.id) FILTER (WHERE e.field = '${field}' AND e.at >= ${t}))[1]`;
  const any = (field: string, cmp: string) => `coalesce(bool_or(e.field = '${field}' AND e.at ${cmp} ${t}), false)`;
  const cols = [
    `${any('status', '<')} AS status_before`,
    `${last('status', 'to_value')} AS status_to`,
    `${last('status', 'at')} AS status_at`,
    `${any('status', '>=')} AS status_after`,
    `${next('status')} AS status_from`,
    ...(['dueAt', 'assignee'] as const).flatMap((f) => {
      const n = HISTORY_COLUMN[f];
      return [`${any(f, '<')} AS ${n}_before`, `${last(f, 'to_value')} AS ${n}_to`, `${any(f, '>=')} AS ${n}_after`, `${next(f)} AS ${n}_from`];
    }),
  ];
  return `LEFT JOIN LATERAL (
      SELECT ${cols.join(',\n             ')}
      FROM action_item_events e
      WHERE e.action_item_id = ${a}.id AND e.field IN ('status', 'dueAt', 'assignee')) ${h} ON TRUE`;
}

/** A field's value at T from the history columns (text, cast to `type`), or the current column. */
const valueAt = (h: string, field: keyof typeof HISTORY_COLUMN, type: string, current: string) => {
  const n = `${h}.${HISTORY_COLUMN[field]}`;
  return `(CASE WHEN ${n}_before THEN ${n}_to::${type} WHEN ${n}_after THEN ${n}_from::${type} ELSE ${current} END)`;
};

/**
 * SQL expressions of the item `a` at the instant `t`, given itemHistoryJoin(a, t, h):
 * status, closed_at, first_action_at, due_at, assignee_id (each of its column's type).
 */
export function itemAtColumns(a: string, t: string, h = 'h'): Record<'status' | 'closed_at' | 'first_action_at' | 'due_at' | 'assignee_id', string> {
  // Without a status history: the columns, read at t.
  const columnsStatus = `CASE WHEN ${a}.closed_at < ${t} THEN ${a}.status
      WHEN ${a}.first_action_at < ${t} THEN (CASE WHEN ${a}.status IN ${CLOSED} THEN 'IN_PROGRESS' ELSE ${a}.status END)
      ELSE 'OPEN' END`;
  const status = `(CASE WHEN ${h}.status_before THEN ${h}.status_to WHEN ${h}.status_after THEN ${h}.status_from ELSE ${columnsStatus} END)`;
  const closedAt = `(CASE WHEN ${h}.status_before THEN (CASE WHEN ${h}.status_to IN ${CLOSED} THEN ${h}.status_at END)
      WHEN ${h}.status_after THEN (CASE WHEN ${h}.status_from IN ${CLOSED} AND ${a}.closed_at < ${t} THEN ${a}.closed_at END)
      WHEN ${a}.closed_at < ${t} THEN ${a}.closed_at END)`;
  return {
    status,
    closed_at: closedAt,
    first_action_at: `(CASE WHEN ${a}.first_action_at < ${t} THEN ${a}.first_action_at END)`,
    due_at: valueAt(h, 'dueAt', 'timestamptz', `${a}.due_at`),
    assignee_id: valueAt(h, 'assignee', 'uuid', `${a}.assignee_id`),
  };
}

/**
 * A SELECT of the action items that existed at `t`, as they stood then: id, response_id,
 * department_id, created_at and the itemAtColumns. `where` narrows the items (over alias a).
 */
export function itemsAtSql(t: string, where = 'TRUE'): string {
  const c = itemAtColumns('a', t);
  return `SELECT a.id, a.response_id, a.department_id, a.created_at, ${c.status} AS status, ${c.closed_at} AS closed_at,
           ${c.first_action_at} AS first_action_at, ${c.due_at} AS due_at, ${c.assignee_id} AS assignee_id
    FROM action_items a ${itemHistoryJoin('a', t)}
    WHERE a.created_at < ${t} AND ${where}`;
}
