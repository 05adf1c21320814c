import { itemsAtSql } from '../action-items/action-item-as-of';

/**
 * Closed-loop figures as of an instant (the `asOf` argument): the exact, slower path. The responses
 * counted are those matching the filter given before the instant; their action items are those
 * created before it, each as its history left it then (action-item-as-of.ts: status, due date,
 * assignee, closedAt, firstActionAt). Overdue is judged at the instant. The maintained counters
 * (closed-loop-counters.ts) hold the items' current state only, so this path reads
 * action_items and action_item_events: one index lookup of the history per item counted.
 */

/** CTE `ia`: the items of the responses of CTE `resp` as they stood at `asOf` (a bound parameter). */
export const itemsAtCte = (asOf: string) => `ia AS (${itemsAtSql(`${asOf}::timestamptz`, 'a.response_id IN (SELECT id FROM resp)')})`;

/** The condition that keeps the responses given before `asOf` (over a responses alias). */
export const givenBefore = (alias: string, asOf: string) => `${alias}.responded_at < ${asOf}::timestamptz`;

/** The request context seen from `asOf`: its clock reads that instant (for defaults such as a series' end). */
export function atInstant<C extends { now(): Date }>(ctx: C, asOf: Date): C {
  return Object.assign(Object.create(ctx) as C, { now: () => asOf });
}
