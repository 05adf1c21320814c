import type { GraphQLInputObjectType } from 'graphql';
import type { RequestContext, ServiceDeps } from '../../context';
import { badInput, conflict, ErrorCode } from '../../common/errors';
import { forgetDerived } from '../../common/request-cache';
import { UserError } from '../../common/user-error';
import type { Services } from '../../services';
import { inTransaction, transaction } from '../../transaction';
import { categorize } from '../../scoring';
import { Permission } from '../auth/permissions';
import type { Customer } from '../customers/customer.entity';
import type { StoredResponseRow } from '../action-items/follow-up.service';
import type { OutboxInput } from '../webhooks/outbox.service';
import { Response } from './response.entity';
import { ResponseInput } from './response.inputs';
import { responseFromRow } from './response-row';
import { checkRow, MAX_ROWS_PER_CALL, RowError, toResponseInput } from './ingest-rules';
import { SubmitResponsesPayload, SubmitResult, SubmitStatus } from './submit.types';
import { ContentField, contentDiff, RowContent } from './content-diff';
import { coerceLooseRow } from './loose-rows';
import { countIngestedRows } from './ingest-stats';

const notFoundError = (field: string, what: string, value: string): RowError =>
  Object.assign(new UserError(), { code: ErrorCode.NOT_FOUND, message: `${what} ${JSON.stringify(value)} does not exist`, field });

/** What the transaction hands back: responses by externalRef, inserted now or stored before. */
interface Stored {
  inserted: Map<string, Response>;
  existing: Map<string, Response>;
  /** Customers upserted by the inserted rows, by externalRef. */
  customers: Map<string, Customer>;
  /** The row errors after the database checks (unknown survey, department, agent). */
  errors: (RowError | null)[];
  /** The index of the first valid row of each externalRef (the one that may store it). */
  firstIndex: Map<string, number>;
  /** Valid rows that did not store their ref and differ from the response stored under it: their differing fields. */
  conflicts: Map<number, ContentField[]>;
  /** Milliseconds per step of the last attempt, for the log line. */
  phases?: Record<string, number>;
}

const nothingStored = (errors: (RowError | null)[]): Stored => ({
  inserted: new Map(),
  existing: new Map(),
  customers: new Map(),
  errors,
  firstIndex: new Map(),
  conflicts: new Map(),
});

function checkBatchSize(n: number): void {
  if (n > MAX_ROWS_PER_CALL) throw badInput(`At most ${MAX_ROWS_PER_CALL} responses per call; got ${n}. Nothing was stored: split the batch.`, 'responses');
}

/** The per-row error of a CONFLICT row. */
const conflictError = (message: string): RowError => Object.assign(new UserError(), { code: ErrorCode.CONFLICT, message, field: null });

/** Thrown inside the transaction when a concurrent call stored one of the refs this one found new. */
class LostRace extends Error {}

/** Attempts of the write transaction before a call that keeps losing races answers CONFLICT. */
const MAX_ATTEMPTS = 10;

/**
 * Bulk ingest. Every row is validated on its own; the valid ones are written set-based in one
 * transaction (a fixed number of statements whatever the batch size): which externalRefs are
 * already stored in one SELECT, the customers of the new rows only in one INSERT ... ON CONFLICT
 * DO UPDATE, the new responses in one INSERT ... ON CONFLICT (external_ref) DO NOTHING RETURNING,
 * then the themes their verbatims mention (one INSERT), outbox events and automatic follow-ups for
 * the rows inserted.
 *
 * A row whose ref is stored already is a DUPLICATE when its content is the same (content-diff.ts)
 * and a CONFLICT naming the differing fields otherwise; neither changes anything, not even its customer. The unique external_ref decides who
 * stores a response: when a concurrent call commits one of the refs this call found new, the
 * INSERT waits for it and skips the row, and this call's customer changes are no longer backed by
 * an insert; the transaction is then rolled back and run again, now seeing those refs as stored
 * (optimistic: no lock per ref, nothing extra written in the usual case).
 */
export class IngestService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {}

  async submit(ctx: RequestContext, rows: readonly ResponseInput[]): Promise<SubmitResponsesPayload> {
    this.services.access.require(ctx, Permission.WRITE_RESPONSES);
    checkBatchSize(rows.length);
    return this.ingest(ctx, rows.map(toResponseInput), rows.map(() => null));
  }

  /**
   * submitResponseRows: rows as loosely typed JSON objects, each coerced through the schema's
   * ResponseInput type on its own (loose-rows.ts): a row that the typed list would have failed
   * (a string score, a date without a time) is REJECTED naming the field, and the others go on.
   */
  async submitLoose(ctx: RequestContext, rows: readonly unknown[], type: GraphQLInputObjectType): Promise<SubmitResponsesPayload> {
    this.services.access.require(ctx, Permission.WRITE_RESPONSES);
    checkBatchSize(rows.length);
    const coerced = rows.map((r) => coerceLooseRow(r, type));
    // A row that could not be read stands in as an empty one: its error decides its result.
    const inputs = coerced.map((c) => (c.row ? toResponseInput(c.row) : ({} as ResponseInput)));
    return this.ingest(ctx, inputs, coerced.map((c) => c.error));
  }

  private async ingest(ctx: RequestContext, inputs: ResponseInput[], readErrors: (RowError | null)[]): Promise<SubmitResponsesPayload> {
    const started = Date.now();
    const now = ctx.now();
    const checked = inputs.map((row, i) => readErrors[i] ?? checkRow(row, now));
    const checkMs = Date.now() - started;
    const { attempts, ...stored } = checked.some((e) => !e)
      ? await this.storeRetrying(ctx, inputs, checked)
      : { attempts: 0, ...nothingStored(checked) };
    const errors = stored.errors;

    const results: SubmitResult[] = inputs.map((row, index) => {
      const error = errors[index];
      if (error) return { index, status: SubmitStatus.REJECTED, response: null, error, conflictingFields: [] };
      const inserted = stored.inserted.get(row.externalRef);
      // The first valid row of an externalRef inserted it; later rows of the batch are duplicates or conflicts.
      if (inserted && stored.firstIndex.get(row.externalRef) === index) {
        return { index, status: SubmitStatus.ACCEPTED, response: inserted, error: null, conflictingFields: [] };
      }
      const response = inserted ?? stored.existing.get(row.externalRef)!;
      const differing = stored.conflicts.get(index);
      if (differing) {
        const message = `externalRef ${JSON.stringify(row.externalRef)} is already stored with a different ${differing.join(', ')}; nothing was changed (correct a stored response with correctResponses)`;
        return { index, status: SubmitStatus.CONFLICT, response, error: Object.assign(conflictError(message), { field: differing[0] }), conflictingFields: differing };
      }
      return { index, status: SubmitStatus.DUPLICATE, response, error: null, conflictingFields: [] };
    });
    // clear first: prime keeps an entry already cached, which would be the customer before this write.
    for (const c of stored.customers.values()) ctx.loaders.customer.clear(c.id).prime(c.id, c);
    if (stored.inserted.size) forgetDerived(ctx); // new responses: scores and KPI measurements of the request are read again
    for (const r of [...stored.inserted.values(), ...stored.existing.values()]) ctx.loaders.response.prime(r.id, r);
    const count = (status: SubmitStatus) => results.filter((r) => r.status === status).length;
    const payload: SubmitResponsesPayload = {
      accepted: count(SubmitStatus.ACCEPTED),
      duplicates: count(SubmitStatus.DUPLICATE),
      conflicts: count(SubmitStatus.CONFLICT),
      rejected: count(SubmitStatus.REJECTED),
      results,
    };
    countIngestedRows(payload.accepted, payload.duplicates, payload.rejected, payload.conflicts);
    ctx.logger.info(
      {
        rows: inputs.length,
        accepted: payload.accepted,
        duplicates: payload.duplicates,
        conflicts: payload.conflicts,
        rejected: payload.rejected,
        attempts,
        ms: Date.now() - started,
        phases: { check: checkMs, ...stored.phases },
      },
      'responses submitted',
    );
    return payload;
  }

  /** Runs the write transaction until it does not lose a race on an externalRef (rolled back each time it does). */
  private async storeRetrying(ctx: RequestContext, inputs: ResponseInput[], checked: (RowError | null)[]): Promise<Stored & { attempts: number }> {
    // Inside a caller's transaction a lost race cannot be rolled back alone: no second attempt then.
    const joined = inTransaction(ctx);
    for (let attempts = 1; ; attempts++) {
      try {
        let bodyDone = 0;
        const stored = await transaction(ctx, async (ctx) => {
          const s = await this.store(ctx, inputs, [...checked]);
          bodyDone = Date.now();
          return s;
        });
        return { ...stored, phases: { ...stored.phases, commit: Date.now() - bodyDone }, attempts };
      } catch (e) {
        if (!(e instanceof LostRace)) throw e;
        ctx.logger.debug({ attempts, ref: e.message }, 'submitResponses lost a race on an externalRef; running again');
        if (joined) throw conflict('A concurrent call stored the same externalRefs; nothing was stored by this call: send it again.');
        if (attempts >= MAX_ATTEMPTS) {
          throw conflict(`Concurrent calls kept storing the same externalRefs (${MAX_ATTEMPTS} attempts); nothing was stored by this call: send it again.`);
        }
      }
    }
  }

  /** Inside the transaction (ctx is its context): resolve codes, mark unknown ones as rejected, write the new rows. */
  private async store(ctx: RequestContext, inputs: ResponseInput[], errors: (RowError | null)[]): Promise<Stored> {
    const phases: Record<string, number> = {};
    let mark = Date.now();
    const lap = (name: string) => {
      const t = Date.now();
      phases[name] = t - mark;
      mark = t;
    };
    const valid = () => inputs.filter((_, i) => !errors[i]);
    const present = (values: (string | null | undefined)[]) => [...new Set(values.filter((v): v is string => !!v))];
    const surveys = await this.services.surveys.byCodes(ctx, present(valid().map((r) => r.surveyCode)));
    const departments = await this.services.departments.idsByCode(ctx, present(valid().map((r) => r.departmentCode)));
    const agents = await this.agentIdsByEmail(ctx, present(valid().map((r) => r.agentEmail?.trim().toLowerCase())));
    inputs.forEach((row, i) => {
      if (errors[i]) return;
      if (!surveys.has(row.surveyCode)) errors[i] = notFoundError('surveyCode', 'Survey with code', row.surveyCode);
      else if (row.departmentCode && !departments.has(row.departmentCode)) errors[i] = notFoundError('departmentCode', 'Department with code', row.departmentCode);
      else if (row.agentEmail && !agents.has(row.agentEmail.trim().toLowerCase())) errors[i] = notFoundError('agentEmail', 'Person with email', row.agentEmail);
    });
    // Rows naming their invitation: checked (and the invitations locked) now, linked after the insert.
    const invitationLinks = await this.services.invitations.checkResponseRows(ctx, inputs, errors, surveys);
    const rows = valid();
    lap('codes');
    if (!rows.length) return { ...nothingStored(errors), phases };
    const firstIndex = new Map<string, number>();
    inputs.forEach((row, i) => {
      if (!errors[i] && !firstIndex.has(row.externalRef)) firstIndex.set(row.externalRef, i);
    });
    const content = (r: ResponseInput): RowContent => ({
      ...r,
      surveyId: surveys.get(r.surveyCode)!.id,
      departmentId: r.departmentCode ? departments.get(r.departmentCode)! : null,
      agentId: r.agentEmail ? agents.get(r.agentEmail.trim().toLowerCase())! : null,
    });
    // Every valid row that did not store its ref, against the response stored under it (before, or by the batch's first row).
    const conflictsOf = (inserted: Map<string, Response>, existing: Map<string, Response>, erased: Set<string>) => {
      const out = new Map<number, ContentField[]>();
      inputs.forEach((row, i) => {
        if (errors[i] || (inserted.has(row.externalRef) && firstIndex.get(row.externalRef) === i)) return;
        const stored = inserted.get(row.externalRef) ?? existing.get(row.externalRef)!;
        const diff = contentDiff(content(row), stored, erased.has(row.externalRef));
        if (diff.length) out.set(i, diff);
      });
      return out;
    };

    const firsts = new Map<string, ResponseInput>();
    for (const r of rows) if (!firsts.has(r.externalRef)) firsts.set(r.externalRef, r);
    // Stored before (by an earlier call, or by a concurrent one that has committed): DUPLICATE.
    const existing = new Map<string, Response>();
    // Whether the customer was erased (eraseCustomer: its ref became erased:<sha256> and the
    // verbatims of its responses were blanked, so those are not compared).
    const rowsBefore: Record<string, unknown>[] = await ctx.em.query(
      `SELECT r.*, coalesce(c.external_ref LIKE 'erased:%', false) AS customer_erased
       FROM responses r LEFT JOIN customers c ON c.id = r.customer_id WHERE r.external_ref = ANY($1::text[])`,
      [[...firsts.keys()]],
    );
    const erased = new Set<string>();
    for (const row of rowsBefore) {
      existing.set(row.external_ref as string, responseFromRow(row));
      if (row.customer_erased) erased.add(row.external_ref as string);
    }
    const fresh = [...firsts.values()].filter((r) => !existing.has(r.externalRef));
    lap('existing');
    if (!fresh.length) return { inserted: new Map(), existing, customers: new Map(), errors, firstIndex, conflicts: conflictsOf(new Map(), existing, erased), phases };

    // Only rows about to be stored create or update their customer: new customers now, the
    // update of existing ones last (it locks them until the commit).
    const customerRows = await this.services.customers.insertMissing(ctx, fresh.flatMap((r) => (r.customer ? [r.customer] : [])));
    lap('customers');

    const records = fresh.map((r) => ({
      external_ref: r.externalRef,
      score: r.score,
      comment: r.comment ?? null,
      follow_up_answers: (r.followUpAnswers ?? []).map((a) => ({ question: a.question, answer: a.answer })),
      channel: r.channel ?? null,
      touchpoint: r.touchpoint ?? null,
      survey_id: surveys.get(r.surveyCode)!.id,
      customer_id: r.customer ? customerRows.ids.get(r.customer.externalRef)! : null,
      department_id: r.departmentCode ? departments.get(r.departmentCode)! : null,
      agent_id: r.agentEmail ? agents.get(r.agentEmail.trim().toLowerCase())! : null,
      responded_at: r.respondedAt.toISOString(),
    }));
    const insertedRows: Record<string, unknown>[] = await ctx.em.query(
      // The customer's attributes as they are now, joined here (a lookup per row in the copying
      // trigger cost a third of the insert; it still covers writers that give none).
      `INSERT INTO responses (external_ref, score, comment, follow_up_answers, channel, touchpoint, survey_id, customer_id, department_id, agent_id, responded_at,
                             region, plan, product, signup_channel)
       SELECT x.external_ref, x.score, x.comment, x.follow_up_answers, x.channel, x.touchpoint, x.survey_id, x.customer_id, x.department_id, x.agent_id, x.responded_at,
              c.region, c.plan, c.product, c.signup_channel
       FROM jsonb_to_recordset($1::jsonb) AS x(external_ref text, score smallint, comment text, follow_up_answers jsonb, channel text, touchpoint text,
                                               survey_id uuid, customer_id uuid, department_id uuid, agent_id uuid, responded_at timestamptz)
       LEFT JOIN customers c ON c.id = x.customer_id
       ORDER BY x.external_ref
       ON CONFLICT (external_ref) DO NOTHING
       RETURNING id, external_ref, received_at`,
      [JSON.stringify(records)],
    );
    // The stored row is the record sent plus what the database chose (id, received_at): no need
    // to send every column back and parse it again.
    const recordByRef = new Map(records.map((r) => [r.external_ref, r]));
    const inserted = new Map(
      insertedRows.map((row) => [row.external_ref as string, responseFromRow({ ...recordByRef.get(row.external_ref as string), ...row })]),
    );
    // A concurrent call committed one of these refs after the SELECT above: the customers upserted
    // for it must not stay. Roll everything back and run again (storeRetrying).
    const lost = fresh.find((r) => !inserted.has(r.externalRef));
    if (lost) throw new LostRace(lost.externalRef);
    lap('insert');

    await this.services.invitations.linkResponses(
      ctx,
      [...invitationLinks].flatMap(([ref, invitationId]) => (inserted.has(ref) ? [{ invitationId, responseId: inserted.get(ref)!.id }] : [])),
    );
    // Their themes, in the same transaction: a response is never stored without them.
    await this.services.themes.tagNew(ctx, [...inserted.values()]);
    lap('tagging');

    await this.services.outbox.enqueue(ctx, this.events(fresh, inserted));
    lap('outbox');
    const storedRows: StoredResponseRow[] = fresh.map((r) => {
      const s = inserted.get(r.externalRef)!;
      return {
        id: s.id,
        externalRef: s.externalRef,
        score: s.score,
        surveyId: s.surveyId,
        departmentId: s.departmentId,
        customerId: s.customerId,
        respondedAt: s.respondedAt,
      };
    });
    await this.services.followUps.openForResponses(ctx, storedRows);
    lap('followUps');
    const customers = new Map([...customerRows.inserted, ...(await this.services.customers.upsertRows(ctx, customerRows.update))]);
    lap('customerUpdates');
    return { inserted, existing, customers, errors, firstIndex, conflicts: conflictsOf(inserted, existing, erased), phases };
  }

  /** response.stored for every inserted row, response.detractor also for scores 0-6. */
  private events(rows: ResponseInput[], inserted: Map<string, Response>): OutboxInput[] {
    return rows.flatMap((r) => {
      const s = inserted.get(r.externalRef)!;
      const category = categorize(s.score);
      const payload = {
        id: s.id,
        externalRef: s.externalRef,
        score: s.score,
        category,
        surveyCode: r.surveyCode,
        departmentCode: r.departmentCode ?? null,
        respondedAt: s.respondedAt.toISOString(),
        comment: s.comment,
      };
      const stored: OutboxInput = { type: 'response.stored', aggregateId: s.id, payload };
      return category === 'DETRACTOR' ? [stored, { type: 'response.detractor', aggregateId: s.id, payload }] : [stored];
    });
  }

  private async agentIdsByEmail(ctx: RequestContext, emails: string[]): Promise<Map<string, string>> {
    if (!emails.length) return new Map();
    const rows: { id: string; email: string }[] = await ctx.em.query('SELECT id, email FROM people WHERE email = ANY($1::text[])', [emails]);
    return new Map(rows.map((r) => [r.email, r.id]));
  }
}
