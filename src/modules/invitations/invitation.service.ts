import type { RequestContext, ServiceDeps } from '../../context';
import { badInput, ErrorCode } from '../../common/errors';
import { UserError } from '../../common/user-error';
import type { Services } from '../../services';
import { transaction } from '../../transaction';
import { Permission } from '../auth/permissions';
import { checkLabel, checkRef, problem } from '../customers/customer-rules';
import { storedRefSql } from '../customers/customer-erasure';
import { CODE_MESSAGE, CODE_PATTERN } from '../departments/department.inputs';
import { CLOCK_SKEW_MS, MAX_ROWS_PER_CALL } from '../responses/ingest-rules';
import { EARLIEST_RESPONDED_AT } from '../responses/response.inputs';
import { SubmitStatus } from '../responses/submit.types';
import { SurveyInvitationInput } from './invitation.inputs';
import { InvitationResult, RecordInvitationsPayload, SurveyInvitation } from './invitation.types';

const EARLIEST_MS = Date.parse(EARLIEST_RESPONDED_AT);

const toInvitation = (r: Record<string, unknown>): SurveyInvitation =>
  Object.assign(new SurveyInvitation(), {
    id: r.id as string,
    externalRef: r.external_ref as string,
    sentAt: new Date(r.sent_at as string),
    channel: (r.channel as string | null) ?? null,
    answered: r.response_id != null,
  });

/** The checks of one invitation row that need no database; the first problem or null. */
export function checkInvitation(row: SurveyInvitationInput, now: Date): UserError | null {
  const code = (v: unknown, field: string) => (typeof v === 'string' && CODE_PATTERN.test(v) ? null : problem(field, `${field} ${CODE_MESSAGE}`));
  const early =
    checkRef(row.externalRef, 'externalRef') ??
    checkRef(row.customerRef, 'customerRef') ??
    code(row.surveyCode, 'surveyCode') ??
    checkLabel(row.channel, 'channel') ??
    (row.departmentCode != null ? code(row.departmentCode, 'departmentCode') : null);
  if (early) return early;
  const at = row.sentAt instanceof Date ? row.sentAt : new Date(row.sentAt as unknown as string);
  if (Number.isNaN(at.getTime())) return problem('sentAt', 'sentAt must be a date-time');
  if (at.getTime() < EARLIEST_MS) return problem('sentAt', `sentAt ${at.toISOString()} is before ${EARLIEST_RESPONDED_AT}, the earliest date accepted`);
  if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) return problem('sentAt', `sentAt ${at.toISOString()} is in the future (server time ${now.toISOString()})`);
  return null;
}

/** A response row of an ingest batch that names an invitation. */
export interface LinkRequest {
  index: number;
  /** The response's externalRef. */
  externalRef: string;
  surveyId: string;
  customerRef: string | null;
  invitationRef: string;
}
/**
 * Survey invitations: recorded in bulk by integrations (idempotent by externalRef), linked to the
 * response they led to by ingest (ResponseInput.invitationRef). Response rates: response-rates.ts;
 * contact rules and eligibility: contact-rules.service.ts.
 */
export class InvitationService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {}

  /**
   * Up to 1,000 rows in one transaction, a fixed number of statements: the surveys and departments
   * named, the customers (created with their reference when unknown), one INSERT ... ON CONFLICT
   * (external_ref) DO NOTHING; the refs it did not insert (stored before, or by a concurrent call)
   * are read back as DUPLICATE.
   */
  async record(ctx: RequestContext, rows: readonly SurveyInvitationInput[]): Promise<RecordInvitationsPayload> {
    this.services.access.require(ctx, Permission.WRITE_RESPONSES);
    if (rows.length > MAX_ROWS_PER_CALL) {
      throw badInput(`At most ${MAX_ROWS_PER_CALL} invitations per call; got ${rows.length}. Nothing was stored: split the batch.`, 'invitations');
    }
    const now = ctx.now();
    const errors = rows.map((r) => checkInvitation(r, now));
    const { inserted, stored } = await transaction(ctx, async (ctx) => {
      const valid = () => rows.filter((_, i) => !errors[i]);
      const present = (vs: (string | null | undefined)[]) => [...new Set(vs.filter((v): v is string => !!v))];
      const surveys = await this.services.surveys.byCodes(ctx, present(valid().map((r) => r.surveyCode)));
      const departments = await this.services.departments.idsByCode(ctx, present(valid().map((r) => r.departmentCode)));
      rows.forEach((r, i) => {
        if (errors[i]) return;
        if (!surveys.has(r.surveyCode)) errors[i] = problem('surveyCode', `Survey with code ${JSON.stringify(r.surveyCode)} does not exist`, ErrorCode.NOT_FOUND);
        else if (r.departmentCode && !departments.has(r.departmentCode)) {
          errors[i] = problem('departmentCode', `Department with code ${JSON.stringify(r.departmentCode)} does not exist`, ErrorCode.NOT_FOUND);
        }
      });
      const ok = valid();
      if (!ok.length) return { inserted: new Set<string>(), stored: new Map<string, SurveyInvitation>() };
      await ctx.em.query(`INSERT INTO customers (external_ref) SELECT DISTINCT ${storedRefSql('u')} FROM unnest($1::text[]) u ORDER BY 1 ON CONFLICT (external_ref) DO NOTHING`, [
        present(ok.map((r) => r.customerRef)),
      ]);
      const records = ok.map((r) => ({
        external_ref: r.externalRef,
        customer_ref: r.customerRef,
        survey_id: surveys.get(r.surveyCode)!.id,
        department_id: r.departmentCode ? departments.get(r.departmentCode)! : null,
        channel: r.channel ?? null,
        sent_at: new Date(r.sentAt).toISOString(),
      }));
      const insertedRows: { external_ref: string }[] = await ctx.em.query(
        `INSERT INTO survey_invitations (external_ref, customer_id, survey_id, department_id, channel, sent_at)
         SELECT x.external_ref, c.id, x.survey_id, x.department_id, x.channel, x.sent_at
         FROM jsonb_to_recordset($1::jsonb) AS x(external_ref text, customer_ref text, survey_id uuid, department_id uuid, channel text, sent_at timestamptz)
         JOIN customers c ON c.external_ref = ${storedRefSql('x.customer_ref')}
         ORDER BY x.external_ref
         ON CONFLICT (external_ref) DO NOTHING
         RETURNING external_ref`,
        [JSON.stringify(records)],
      );
      const all: Record<string, unknown>[] = await ctx.em.query('SELECT * FROM survey_invitations WHERE external_ref = ANY($1::text[])', [present(ok.map((r) => r.externalRef))]);
      return { inserted: new Set(insertedRows.map((r) => r.external_ref)), stored: new Map(all.map((r) => [r.external_ref as string, toInvitation(r)])) };
    });
    const seen = new Set<string>();
    const results = rows.map((r, index): InvitationResult => {
      const error = errors[index];
      if (error) return Object.assign(new InvitationResult(), { index, status: SubmitStatus.REJECTED, invitation: null, error });
      const first = !seen.has(r.externalRef);
      seen.add(r.externalRef);
      const status = first && inserted.has(r.externalRef) ? SubmitStatus.ACCEPTED : SubmitStatus.DUPLICATE;
      return Object.assign(new InvitationResult(), { index, status, invitation: stored.get(r.externalRef) ?? null, error: null });
    });
    const count = (s: SubmitStatus) => results.filter((r) => r.status === s).length;
    return Object.assign(new RecordInvitationsPayload(), {
      accepted: count(SubmitStatus.ACCEPTED),
      duplicates: count(SubmitStatus.DUPLICATE),
      rejected: count(SubmitStatus.REJECTED),
      results,
    });
  }

  /**
   * For ingest, inside its transaction (one statement): checks the invitations the rows name and
   * locks them until the commit. A row's problem: NOT_FOUND for an unknown ref, BAD_USER_INPUT for
   * another survey's or another customer's invitation, CONFLICT for one answered by another
   * response (or claimed by an earlier row of the batch). A row resent with the response that
   * already answers it is no problem (it is a DUPLICATE). Returns the problems by row index and the
   * invitation to link to each response externalRef.
   */
  async checkLinks(ctx: RequestContext, rows: readonly LinkRequest[]): Promise<{ problems: Map<number, UserError>; links: Map<string, string> }> {
    const problems = new Map<number, UserError>();
    const links = new Map<string, string>();
    if (!rows.length) return { problems, links };
    const found: Record<string, string | null>[] = await ctx.em.query(
      `SELECT i.id, i.external_ref, i.survey_id, c.external_ref AS customer_ref, r.external_ref AS answered_by
       FROM survey_invitations i JOIN customers c ON c.id = i.customer_id LEFT JOIN responses r ON r.id = i.response_id
       WHERE i.external_ref = ANY($1::text[]) ORDER BY i.id FOR UPDATE OF i`,
      [[...new Set(rows.map((r) => r.invitationRef))]],
    );
    const byRef = new Map(found.map((r) => [r.external_ref!, r]));
    const claimedBy = new Map<string, string>();
    for (const row of rows) {
      const ref = row.invitationRef;
      const target = byRef.get(ref);
      const at = (message: string, code: string = ErrorCode.BAD_USER_INPUT) => problems.set(row.index, problem('invitationRef', message, code));
      if (!target) at(`Invitation ${JSON.stringify(ref)} does not exist`, ErrorCode.NOT_FOUND);
      else if (target.survey_id !== row.surveyId) at(`Invitation ${JSON.stringify(ref)} is for another survey`);
      else if (row.customerRef !== null && row.customerRef !== target.customer_ref) at(`Invitation ${JSON.stringify(ref)} was sent to another customer`);
      else if (target.answered_by === row.externalRef) continue; // the same response again: a DUPLICATE, nothing to link
      else if (target.answered_by || (claimedBy.has(ref) && claimedBy.get(ref) !== row.externalRef)) {
        at(`Invitation ${JSON.stringify(ref)} already has a response`, ErrorCode.CONFLICT);
      } else {
        claimedBy.set(ref, row.externalRef);
        links.set(row.externalRef, target.id!);
      }
    }
    return { problems, links };
  }

  /**
   * For ingest: checkLinks for the valid rows of a batch that name an invitation; a problem becomes
   * the row's error (REJECTED). Returns the invitation id to link to each response externalRef.
   */
  async checkResponseRows(
    ctx: RequestContext,
    inputs: readonly { externalRef: string; surveyCode: string; invitationRef?: string | null; customer?: { externalRef: string } | null }[],
    errors: (UserError | null)[],
    surveyIds: ReadonlyMap<string, { id: string }>,
  ): Promise<Map<string, string>> {
    const requests = inputs.flatMap((r, index) =>
      !errors[index] && r.invitationRef
        ? [{ index, externalRef: r.externalRef, surveyId: surveyIds.get(r.surveyCode)!.id, customerRef: r.customer?.externalRef ?? null, invitationRef: r.invitationRef }]
        : [],
    );
    const { problems, links } = await this.checkLinks(ctx, requests);
    for (const [index, p] of problems) errors[index] = p;
    return links;
  }

  /** For ingest, after the insert: sets each invitation's response (one statement; the rows are locked by byRefsForLink). */
  async linkResponses(ctx: RequestContext, links: readonly { invitationId: string; responseId: string }[]): Promise<void> {
    if (!links.length) return;
    await ctx.em.query(
      `UPDATE survey_invitations i SET response_id = x.response_id
       FROM jsonb_to_recordset($1::jsonb) AS x(invitation_id uuid, response_id uuid)
       WHERE i.id = x.invitation_id AND i.response_id IS NULL`,
      [JSON.stringify(links.map((l) => ({ invitation_id: l.invitationId, response_id: l.responseId })))],
    );
  }
}
