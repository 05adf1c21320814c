import type { RequestContext, ServiceDeps } from '../../context';
import { badInput, conflict, ErrorCode } from '../../common/errors';
import { forgetDerived } from '../../common/request-cache';
import { UserError } from '../../common/user-error';
import type { Services } from '../../services';
import { transaction } from '../../transaction';
import { categorize } from '../../scoring';
import { Permission } from '../auth/permissions';
import { ACTION_ITEM_COLUMNS, insertEvents, itemPayload, toActionItem } from '../action-items/action-item-row';
import { ActionItemStatus } from '../action-items/action-item.entity';
import { problem } from '../customers/customer-rules';
import type { OutboxInput } from '../webhooks/outbox.service';
import { Response } from './response.entity';
import { responseFromRow } from './response-row';
import type { RowError } from './ingest-rules';
import { checkCorrection, CorrectedValues, currentValues, FieldChange, StoredForCorrection, valueChanges } from './correction-rules';
import {
  CorrectionResult,
  CorrectionStatus,
  CorrectResponsesPayload,
  DeleteResponsesPayload,
  DeletionStatus,
  MAX_CORRECTIONS_PER_CALL,
  ResponseCorrectionInput,
  ResponseHistoryEntry,
} from './correction.types';

const notFoundError = (field: string, message: string): RowError => problem(field, message, ErrorCode.NOT_FOUND);

/** The stored responses of `refs`, locked until the transaction ends, with their survey and department codes and agent email. */
async function lockByRefs(ctx: RequestContext, refs: readonly string[]): Promise<Map<string, StoredForCorrection>> {
  if (!refs.length) return new Map();
  const rows: Record<string, unknown>[] = await ctx.em.query(
    `SELECT r.*, s.code AS survey_code, d.code AS department_code, p.email AS agent_email
     FROM responses r JOIN surveys s ON s.id = r.survey_id LEFT JOIN departments d ON d.id = r.department_id LEFT JOIN people p ON p.id = r.agent_id
     WHERE r.external_ref = ANY($1::text[]) ORDER BY r.id FOR UPDATE OF r`,
    [[...new Set(refs)]],
  );
  return new Map(
    rows.map((row) => [
      row.external_ref as string,
      { response: responseFromRow(row), surveyCode: row.survey_code as string, departmentCode: (row.department_code as string) ?? null, agentEmail: (row.agent_email as string) ?? null },
    ]),
  );
}

/** The event payload of a response (the keys of response.stored), from its values now. */
function responsePayload(r: Response, surveyCode: string, departmentCode: string | null): Record<string, unknown> {
  return {
    id: r.id,
    externalRef: r.externalRef,
    score: r.score,
    category: categorize(r.score),
    surveyCode,
    departmentCode,
    respondedAt: r.respondedAt.toISOString(),
    comment: r.comment,
  };
}

interface Planned {
  index: number;
  stored: StoredForCorrection;
  next: CorrectedValues;
  changes: FieldChange[];
  note: string | null;
}

/**
 * Corrections and deletions of stored responses (ADMIN and INTEGRATION keys: WRITE_RESPONSES),
 * by externalRef. Both are set-based in one transaction: the rows locked in one SELECT ... FOR
 * UPDATE, one UPDATE (or DELETE) of all of them, so the statement-level triggers keep every
 * pre-aggregate exact (rollups, theme mentions' copies and the per-theme rollup, the closed-loop
 * ledger and counters) in that same statement. Each write adds outbox events (response.corrected,
 * response.deleted) in the existing payload style.
 */
export class CorrectionService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {}

  async correct(ctx: RequestContext, corrections: readonly ResponseCorrectionInput[]): Promise<CorrectResponsesPayload> {
    this.services.access.require(ctx, Permission.WRITE_RESPONSES);
    if (corrections.length > MAX_CORRECTIONS_PER_CALL) {
      throw badInput(`At most ${MAX_CORRECTIONS_PER_CALL} corrections per call; got ${corrections.length}. Nothing was changed: split the batch.`, 'corrections');
    }
    const now = ctx.now();
    const errors: (RowError | null)[] = corrections.map((c) => checkCorrection(c, now));
    const seen = new Set<string>();
    corrections.forEach((c, i) => {
      if (errors[i]) return;
      if (seen.has(c.externalRef)) errors[i] = problem('externalRef', `externalRef ${JSON.stringify(c.externalRef)} appears more than once in this call; send one correction per response`);
      seen.add(c.externalRef);
    });
    const results: CorrectionResult[] = corrections.map((_, index) => ({ index, status: CorrectionStatus.REJECTED, response: null, changedFields: [], error: errors[index] }));
    const valid = corrections.map((c, i) => ({ c, i })).filter(({ i }) => !errors[i]);
    if (!valid.length) return summarise(results);

    const touched = await transaction(ctx, async (ctx) => {
      const stored = await lockByRefs(ctx, valid.map(({ c }) => c.externalRef));
      const given = (values: (string | null | undefined)[]) => [...new Set(values.filter((v): v is string => !!v))];
      const departments = await this.services.departments.idsByCode(ctx, given(valid.map(({ c }) => c.departmentCode)));
      const emails = given(valid.map(({ c }) => c.agentEmail?.trim().toLowerCase()));
      const agents = new Map<string, string>(
        emails.length ? (await ctx.em.query('SELECT id, email FROM people WHERE email = ANY($1::text[])', [emails])).map((p: { id: string; email: string }) => [p.email, p.id]) : [],
      );
      const planned: Planned[] = [];
      for (const { c, i } of valid) {
        const s = stored.get(c.externalRef);
        if (!s) {
          results[i].error = notFoundError('externalRef', `Response with externalRef ${JSON.stringify(c.externalRef)} does not exist`);
          continue;
        }
        results[i].response = s.response;
        const before = currentValues(s);
        const next: CorrectedValues = { ...before };
        if (c.score !== null && c.score !== undefined) next.score = c.score;
        if (c.respondedAt !== null && c.respondedAt !== undefined) next.respondedAt = c.respondedAt;
        if (c.comment !== undefined) next.comment = c.comment;
        if (c.followUpAnswers !== undefined) next.followUpAnswers = (c.followUpAnswers ?? []).map((a) => ({ question: a.question, answer: a.answer }));
        if (c.channel !== undefined) next.channel = c.channel;
        if (c.touchpoint !== undefined) next.touchpoint = c.touchpoint;
        if (c.departmentCode !== undefined) {
          const id = c.departmentCode ? departments.get(c.departmentCode) : null;
          if (id === undefined) {
            results[i].error = notFoundError('departmentCode', `Department with code ${JSON.stringify(c.departmentCode)} does not exist`);
            continue;
          }
          [next.departmentId, next.departmentCode] = [id, c.departmentCode ?? null];
        }
        if (c.agentEmail !== undefined) {
          const email = c.agentEmail?.trim().toLowerCase() || null;
          const id = email ? agents.get(email) : null;
          if (id === undefined) {
            results[i].error = notFoundError('agentEmail', `Person with email ${JSON.stringify(c.agentEmail)} does not exist`);
            continue;
          }
          [next.agentId, next.agentEmail] = [id, email];
        }
        const changes = valueChanges(before, next);
        // Nothing to change: UNCHANGED whatever expectedVersion says (a retry of an applied correction succeeds).
        if (!changes.length) {
          Object.assign(results[i], { status: CorrectionStatus.UNCHANGED, error: null });
          continue;
        }
        if (c.expectedVersion !== s.response.version) {
          results[i].error = Object.assign(
            UserError.from(
              conflict(`The response is at version ${s.response.version}, not ${c.expectedVersion}: read it again and retry`, { currentVersion: s.response.version }),
            )!,
            { field: 'expectedVersion' },
          );
          continue;
        }
        planned.push({ index: i, stored: s, next, changes, note: c.note?.trim() || null });
      }
      if (!planned.length) return [] as Response[];
      const updated = await this.applyCorrections(ctx, planned, now);
      for (const p of planned) {
        const r = updated.get(p.stored.response.id)!;
        Object.assign(results[p.index], { status: CorrectionStatus.CORRECTED, response: r, error: null, changedFields: p.changes.map((ch) => ch.field) });
      }
      return [...updated.values()];
    });
    if (touched.length) {
      forgetDerived(ctx);
      for (const r of touched) ctx.loaders.response.clear(r.id).prime(r.id, r);
    }
    const payload = summarise(results);
    ctx.logger.info({ corrections: corrections.length, corrected: payload.corrected, unchanged: payload.unchanged, rejected: payload.rejected }, 'responses corrected');
    return payload;
  }

  /** Inside the transaction: one UPDATE, the history, re-tagging, follow-ups and events of the planned corrections. */
  private async applyCorrections(ctx: RequestContext, planned: Planned[], now: Date): Promise<Map<string, Response>> {
    const rows: Record<string, unknown>[] = await ctx.em.query(
      `WITH u AS (
         UPDATE responses r SET score = x.score, comment = x.comment, follow_up_answers = x.follow_up_answers, responded_at = x.responded_at,
                department_id = x.department_id, channel = x.channel, touchpoint = x.touchpoint, agent_id = x.agent_id, version = r.version + 1
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, score smallint, comment text, follow_up_answers jsonb, responded_at timestamptz,
                                                department_id uuid, channel text, touchpoint text, agent_id uuid)
         WHERE r.id = x.id
         RETURNING r.*)
       SELECT * FROM u`,
      [
        JSON.stringify(
          planned.map(({ stored, next }) => ({
            id: stored.response.id,
            score: next.score,
            comment: next.comment,
            follow_up_answers: next.followUpAnswers,
            responded_at: next.respondedAt.toISOString(),
            department_id: next.departmentId,
            channel: next.channel,
            touchpoint: next.touchpoint,
            agent_id: next.agentId,
          })),
        ),
      ],
    );
    const updated = new Map(rows.map((row) => [row.id as string, responseFromRow(row)]));
    await ctx.em.query(
      `INSERT INTO response_history (response_id, version, actor, at, note, changes)
       SELECT x.response_id, x.version, x.actor, x.at, x.note, x.changes
       FROM jsonb_to_recordset($1::jsonb) AS x(response_id uuid, version int, actor text, at timestamptz, note text, changes jsonb)`,
      [
        JSON.stringify(
          planned.map((p) => ({
            response_id: p.stored.response.id,
            version: updated.get(p.stored.response.id)!.version,
            actor: ctx.viewer.name,
            at: now.toISOString(),
            note: p.note,
            changes: p.changes,
          })),
        ),
      ],
    );
    // Verbatims changed: their theme mentions follow (only the difference is written).
    const verbatims = planned.filter((p) => p.changes.some((c) => c.field === 'comment' || c.field === 'followUpAnswers'));
    await this.services.themes.retagCorrected(ctx, verbatims.map((p) => updated.get(p.stored.response.id)!));
    // A new score may make a detractor: its automatic follow-up opens (one per response at most;
    // one that stops being a detractor keeps its items as they are).
    const rescored = planned.filter((p) => p.changes.some((c) => c.field === 'score')).map((p) => updated.get(p.stored.response.id)!);
    await this.services.followUps.openForResponses(ctx, rescored);
    const events: OutboxInput[] = planned.flatMap((p) => {
      const r = updated.get(p.stored.response.id)!;
      const payload = { ...responsePayload(r, p.stored.surveyCode, p.next.departmentCode), version: r.version, changes: p.changes, actor: ctx.viewer.name, note: p.note };
      const corrected: OutboxInput = { type: 'response.corrected', aggregateId: r.id, payload };
      const becameDetractor = categorize(r.score) === 'DETRACTOR' && categorize(p.stored.response.score) !== 'DETRACTOR';
      return becameDetractor ? [corrected, { type: 'response.detractor', aggregateId: r.id, payload }] : [corrected];
    });
    await this.services.outbox.enqueue(ctx, events);
    return updated;
  }

  /**
   * Removes responses from every figure: their still-OPEN automatic follow-ups are closed as
   * WONT_DO with a note (other items keep their history and lose their link to the response), then
   * the responses are deleted (their theme mentions and history go with them) and response.deleted
   * goes out. An externalRef not stored (or deleted before: a retry) is NOT_FOUND.
   */
  async delete(ctx: RequestContext, externalRefs: readonly string[], note?: string | null): Promise<DeleteResponsesPayload> {
    this.services.access.require(ctx, Permission.WRITE_RESPONSES);
    if (externalRefs.length > MAX_CORRECTIONS_PER_CALL) {
      throw badInput(`At most ${MAX_CORRECTIONS_PER_CALL} externalRefs per call; got ${externalRefs.length}. Nothing was deleted: split the batch.`, 'externalRefs');
    }
    const why = note?.trim() || null;
    if (why && why.length > 2_000) throw badInput('note must be at most 2000 characters', 'note');
    const now = ctx.now();
    const outcome = await transaction(ctx, async (ctx) => {
      const stored = await lockByRefs(ctx, externalRefs);
      if (!stored.size) return { deleted: new Map<string, StoredForCorrection>(), closed: new Map<string, number>() };
      const ids = [...stored.values()].map((s) => s.response.id);
      const refById = new Map([...stored.values()].map((s) => [s.response.id, s.response.externalRef]));
      const closedRows: Record<string, unknown>[] = await ctx.em.query(
        `WITH u AS (
           UPDATE action_items a SET status = $2, first_action_at = coalesce(a.first_action_at, $3), closed_at = $3, version = a.version + 1, updated_at = $3
           WHERE a.response_id = ANY($1::uuid[]) AND a.auto_created AND a.status = $4
           RETURNING a.*)
         SELECT ${ACTION_ITEM_COLUMNS('u')} FROM u ORDER BY u.id`,
        [ids, ActionItemStatus.WONT_DO, now, ActionItemStatus.OPEN],
      );
      const items = closedRows.map(toActionItem);
      const closed = new Map<string, number>();
      const noteOf = (responseId: string) =>
        `Closed automatically: response ${JSON.stringify(refById.get(responseId))} was deleted (by ${ctx.viewer.name})${why ? `: ${why}` : ''}`;
      const changes = [{ field: 'status', from: ActionItemStatus.OPEN, to: ActionItemStatus.WONT_DO }];
      await insertEvents(
        ctx,
        items.map((item) => ({ actionItemId: item.id, actor: ctx.viewer.name, at: now, note: noteOf(item.responseId!), ...changes[0] })),
      );
      for (const item of items) closed.set(refById.get(item.responseId!)!, (closed.get(refById.get(item.responseId!)!) ?? 0) + 1);
      await this.services.outbox.enqueue(ctx, [
        ...items.map((item) => ({
          type: 'action_item.changed' as const,
          aggregateId: item.id,
          payload: { item: itemPayload(item), changes, actor: ctx.viewer.name, note: noteOf(item.responseId!) },
        })),
      ]);
      // Wrapped in a SELECT: TypeORM returns [rows, count] for a bare DELETE.
      await ctx.em.query('WITH d AS (DELETE FROM responses WHERE id = ANY($1::uuid[]) RETURNING 1) SELECT count(*)::int AS n FROM d', [ids]);
      await this.services.outbox.enqueue(
        ctx,
        [...stored.values()].map((s) => ({
          type: 'response.deleted' as const,
          aggregateId: s.response.id,
          payload: { ...responsePayload(s.response, s.surveyCode, s.departmentCode), actor: ctx.viewer.name, note: why },
        })),
      );
      return { deleted: stored, closed };
    });
    if (outcome.deleted.size) {
      forgetDerived(ctx);
      for (const s of outcome.deleted.values()) ctx.loaders.response.clear(s.response.id);
    }
    const done = new Set<string>();
    const results = externalRefs.map((externalRef, index) => {
      // A ref listed twice is deleted once: its first listing.
      const deleted = outcome.deleted.has(externalRef) && !done.has(externalRef);
      if (deleted) done.add(externalRef);
      return { index, externalRef, status: deleted ? DeletionStatus.DELETED : DeletionStatus.NOT_FOUND, closedFollowUps: deleted ? (outcome.closed.get(externalRef) ?? 0) : 0 };
    });
    const deleted = results.filter((r) => r.status === DeletionStatus.DELETED).length;
    ctx.logger.info({ refs: externalRefs.length, deleted }, 'responses deleted');
    return { deleted, notFound: results.length - deleted, results };
  }

  /** Response.history: its corrections, oldest first. Needs READ_RESPONSES (the changes quote verbatims). */
  async history(ctx: RequestContext, response: Response): Promise<ResponseHistoryEntry[]> {
    this.services.access.require(ctx, Permission.READ_RESPONSES);
    return ctx.loaders.responseHistory.load(response.id);
  }
}

function summarise(results: CorrectionResult[]): CorrectResponsesPayload {
  const count = (s: CorrectionStatus) => results.filter((r) => r.status === s).length;
  return { corrected: count(CorrectionStatus.CORRECTED), unchanged: count(CorrectionStatus.UNCHANGED), rejected: count(CorrectionStatus.REJECTED), results };
}
