import { badInput } from '../../common/errors';
import { ActionItemStatus } from './action-item.entity';

const { OPEN, IN_PROGRESS, BLOCKED, DONE, WONT_DO } = ActionItemStatus;

/**
 * The lifecycle of an action item: for each status, the statuses it may move to.
 *
 * - OPEN → IN_PROGRESS, BLOCKED, DONE, WONT_DO. OPEN → BLOCKED is allowed: an item can be blocked
 *   before work starts (e.g. waiting for the customer's contact details); OPEN → DONE covers a
 *   follow-up resolved in one step (a ticketing system closing it directly).
 * - IN_PROGRESS → OPEN (handed back to the queue), BLOCKED, DONE, WONT_DO.
 * - BLOCKED → IN_PROGRESS (unblocked), WONT_DO. Not straight to DONE or OPEN: unblock it first, so
 *   the history shows how the block ended.
 * - DONE, WONT_DO → OPEN or IN_PROGRESS (reopened). Not to each other, not to BLOCKED: reopen first.
 *
 * Staying in the same status is not a move: an update that sets the current status changes nothing.
 */
export const TRANSITIONS: Readonly<Record<ActionItemStatus, readonly ActionItemStatus[]>> = Object.freeze({
  [OPEN]: [IN_PROGRESS, BLOCKED, DONE, WONT_DO],
  [IN_PROGRESS]: [OPEN, BLOCKED, DONE, WONT_DO],
  [BLOCKED]: [IN_PROGRESS, WONT_DO],
  [DONE]: [OPEN, IN_PROGRESS],
  [WONT_DO]: [OPEN, IN_PROGRESS],
});

/** DONE and WONT_DO: the item is closed (closedAt is set). */
export const CLOSED_STATUSES: readonly ActionItemStatus[] = [DONE, WONT_DO];

export const isClosed = (status: ActionItemStatus): boolean => CLOSED_STATUSES.includes(status);

export function allowedTransitions(from: ActionItemStatus): readonly ActionItemStatus[] {
  return TRANSITIONS[from];
}

export function canTransition(from: ActionItemStatus, to: ActionItemStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** BAD_USER_INPUT naming the allowed moves when `from → to` is not one of them. */
export function assertTransition(from: ActionItemStatus, to: ActionItemStatus, field = 'status'): void {
  if (canTransition(from, to)) return;
  const allowed = TRANSITIONS[from];
  throw badInput(`An action item cannot move from ${from} to ${to}; from ${from} it can move to ${allowed.join(', ')}`, field, {
    from,
    to,
    allowed: [...allowed],
  });
}
