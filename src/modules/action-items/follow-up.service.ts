import type { RequestContext, ServiceDeps } from '../../context';
import type { Services } from '../../services';
import { ActionItem } from './action-item.entity';
import { ACTION_ITEM_COLUMNS, creationSnapshot, insertEvents, itemPayload, toActionItem } from './action-item-row';
import { DEFAULT_SLA_HOURS } from './action-item.service';

/** A response just stored by ingest, as the follow-up logic needs it. */
export interface StoredResponseRow {
  id: string;
  externalRef: string;
  score: number;
  surveyId: string;
  departmentId: string | null;
  customerId: string | null;
  respondedAt: Date;
}

/** Who the history names as the author of automatic follow-ups. */
export const FOLLOW_UP_ACTOR = 'system';

/**
 * Automatic follow-up: opens an action item for every detractor response stored, in the same
 * transaction as the insert. Called by ingest for the rows it actually inserted, whatever the
 * caller's role (it is part of storing a response, not a separate permission).
 *
 * A response qualifies when its survey has auto_follow_up and its score is at most the survey's
 * follow_up_threshold (default 6: every detractor). The item belongs to the response's department,
 * is owned by and assigned to the department's owner, is due sla_hours (default 48) after now, and
 * has autoCreated = true. The unique partial index action_items_auto_response_key makes it at most
 * one per response, however many times or however concurrently this runs for the same rows.
 */
export class FollowUpService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {}

  /**
   * Returns the items it created (none for rows already followed up). Three statements for any
   * batch, on ctx.em: the ingest transaction's context, so the items commit with the responses.
   */
  async openForResponses(ctx: RequestContext, rows: readonly StoredResponseRow[]): Promise<ActionItem[]> {
    if (!rows.length) return [];
    const now = ctx.now();
    const note = `Opened automatically: score at or below the survey's follow-up threshold (submitted by ${ctx.viewer.name})`;
    // The verbatim is not copied into the item: action items are readable by integration keys,
    // which must not read verbatims in bulk; those who may see it follow `response { comment }`.
    // One statement: the qualifying responses, read back from the table (in this transaction),
    // inserted set-based; ON CONFLICT against the partial unique index skips those already done.
    const inserted: Record<string, unknown>[] = await ctx.em.query(
      `WITH ins AS (
         INSERT INTO action_items (title, description, status, priority, version, auto_created, response_id, department_id,
                                   owner_id, assignee_id, due_at, created_at, updated_at)
         SELECT 'Follow up: score ' || r.score || '/10 on ' || s.name, NULL, 'OPEN', 'MEDIUM', 1, true, r.id, r.department_id,
                d.owner_id, d.owner_id, $2::timestamptz + make_interval(hours => coalesce(d.sla_hours, $3)), $2, $2
         FROM responses r
         JOIN surveys s ON s.id = r.survey_id
         LEFT JOIN departments d ON d.id = r.department_id
         WHERE r.id = ANY($1::uuid[]) AND s.auto_follow_up AND r.score <= s.follow_up_threshold
         ORDER BY r.responded_at, r.id
         ON CONFLICT (response_id) WHERE auto_created DO NOTHING
         RETURNING *)
       SELECT ${ACTION_ITEM_COLUMNS('ins')} FROM ins`,
      [[...new Set(rows.map((r) => r.id))], now, DEFAULT_SLA_HOURS],
    );
    if (!inserted.length) return [];
    const items = inserted.map(toActionItem);
    await insertEvents(
      ctx,
      items.map((item) => ({ actionItemId: item.id, actor: FOLLOW_UP_ACTOR, at: now, field: 'created', from: null, to: JSON.stringify(creationSnapshot(item)), note })),
    );
    await this.services.outbox.enqueue(
      ctx,
      items.map((item) => ({
        type: 'action_item.created' as const,
        aggregateId: item.id,
        payload: { item: itemPayload(item), changes: [], actor: FOLLOW_UP_ACTOR, note },
      })),
    );
    return items;
  }
}
