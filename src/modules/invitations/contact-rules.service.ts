import type { RequestContext, ServiceDeps } from '../../context';
import { badInput, notFound } from '../../common/errors';
import type { Services } from '../../services';
import { transaction } from '../../transaction';
import { Permission } from '../auth/permissions';
import { checkRef } from '../customers/customer-rules';
import { storedRefSql } from '../customers/customer-erasure';
import { decideEligibility, EligibilityFacts } from './contact-eligibility';
import { ContactRuleInput } from './invitation.inputs';
import { ContactEligibility, ContactRule } from './invitation.types';

export const MAX_ELIGIBILITY_CUSTOMERS = 1_000;

const toRule = (r: Record<string, unknown>): ContactRule =>
  Object.assign(new ContactRule(), {
    id: r.id,
    surveyCode: r.survey_code ?? null,
    minDaysSinceInvitation: r.min_days_since_invitation ?? null,
    minDaysSinceResponse: r.min_days_since_response ?? null,
    maxInvitations: r.max_invitations ?? null,
    windowDays: r.window_days ?? null,
    blockWhileFollowUpOpen: Boolean(r.block_while_follow_up_open),
  });

const RULE_SELECT = `SELECT cr.*, s.code AS survey_code FROM contact_rules cr LEFT JOIN surveys s ON s.id = cr.survey_id`;

/**
 * The statement behind contactEligibility: for every customer asked and every rule set that
 * applies to the survey (its own and the company-wide one), the facts the rules need, each read
 * from an index: the last invitation and the invitations in the window from
 * survey_invitations_customer_sent_idx (customer_id, sent_at) INCLUDE (survey_id), the last
 * response from responses_customer_responded_idx. The customers with an open follow-up are found once
 * (not per rule) through the partial index action_items_open_response_idx, only when a rule asks.
 * A survey rule counts that survey's invitations and responses; the company-wide rule counts all.
 */
const ELIGIBILITY_SQL = `
WITH refs AS (SELECT DISTINCT unnest($2::text[]) AS ref),
rules AS (SELECT cr.*, s.code AS survey_code FROM contact_rules cr LEFT JOIN surveys s ON s.id = cr.survey_id WHERE cr.survey_id IS NULL OR cr.survey_id = $1),
cust AS (SELECT refs.ref, c.id FROM refs LEFT JOIN customers c ON c.external_ref = ${storedRefSql('refs.ref')}),
fu AS (SELECT DISTINCT r.customer_id FROM cust JOIN responses r ON r.customer_id = cust.id JOIN action_items a ON a.response_id = r.id
       WHERE a.status IN ('OPEN', 'IN_PROGRESS', 'BLOCKED') AND EXISTS (SELECT 1 FROM rules WHERE rules.block_while_follow_up_open))
SELECT cust.ref, dnc.customer_id IS NOT NULL AS do_not_contact, rules.id IS NOT NULL AS has_rule, rules.survey_code,
       rules.min_days_since_invitation, rules.min_days_since_response, rules.window_days, coalesce(rules.block_while_follow_up_open, false) AS block_fu,
       li.sent_at AS last_invitation_at, lr.responded_at AS last_response_at, wi.sent_at AS window_blocking_at, fu.customer_id IS NOT NULL AS follow_up_open
FROM cust
LEFT JOIN do_not_contact dnc ON dnc.customer_id = cust.id
LEFT JOIN rules ON cust.id IS NOT NULL
LEFT JOIN LATERAL (
  SELECT i.sent_at FROM survey_invitations i
  WHERE i.customer_id = cust.id AND i.sent_at <= $3 AND (rules.survey_id IS NULL OR i.survey_id = rules.survey_id)
  ORDER BY i.sent_at DESC LIMIT 1) li ON rules.min_days_since_invitation IS NOT NULL
LEFT JOIN LATERAL (
  SELECT r.responded_at FROM responses r
  WHERE r.customer_id = cust.id AND r.responded_at <= $3 AND (rules.survey_id IS NULL OR r.survey_id = rules.survey_id)
  ORDER BY r.responded_at DESC LIMIT 1) lr ON rules.min_days_since_response IS NOT NULL
LEFT JOIN LATERAL (
  SELECT i.sent_at FROM survey_invitations i
  WHERE i.customer_id = cust.id AND i.sent_at <= $3 AND i.sent_at > $3::timestamptz - make_interval(days => rules.window_days)
    AND (rules.survey_id IS NULL OR i.survey_id = rules.survey_id)
  ORDER BY i.sent_at DESC OFFSET rules.max_invitations - 1 LIMIT 1) wi ON rules.max_invitations IS NOT NULL
LEFT JOIN fu ON fu.customer_id = cust.id`;

function checkDays(value: number | null | undefined, field: string, max: number): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < 1 || value > max) throw badInput(`${field} must be a whole number from 1 to ${max}`, `input.${field}`);
  return value;
}

/**
 * Contact rules (per survey or company-wide), the do-not-contact list and contactEligibility.
 * Rules are organisation settings (READ_ORG to read, WRITE_ORG to change); the do-not-contact list
 * and eligibility are for the systems that send invitations (WRITE_RESPONSES: ADMIN and INTEGRATION).
 */
export class ContactRuleService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {}

  async list(ctx: RequestContext): Promise<ContactRule[]> {
    this.services.access.require(ctx, Permission.READ_ORG);
    const rows: Record<string, unknown>[] = await ctx.em.query(`${RULE_SELECT} ORDER BY s.code NULLS FIRST`);
    return rows.map(toRule);
  }

  /** Creates or replaces the rules of one survey (or the company-wide ones): one upsert. */
  async set(ctx: RequestContext, input: ContactRuleInput): Promise<ContactRule> {
    this.services.access.require(ctx, Permission.WRITE_ORG);
    const values = {
      inv: checkDays(input.minDaysSinceInvitation, 'minDaysSinceInvitation', 3650),
      resp: checkDays(input.minDaysSinceResponse, 'minDaysSinceResponse', 3650),
      max: checkDays(input.maxInvitations, 'maxInvitations', 1000),
      win: checkDays(input.windowDays, 'windowDays', 3650),
    };
    if ((values.max === null) !== (values.win === null)) throw badInput('maxInvitations and windowDays go together: give both or neither', 'input.maxInvitations');
    return transaction(ctx, async (ctx) => {
      let surveyId: string | null = null;
      if (input.surveyCode != null) {
        const survey = (await this.services.surveys.byCodes(ctx, [input.surveyCode])).get(input.surveyCode);
        if (!survey) throw notFound('Survey with code', input.surveyCode, 'input.surveyCode');
        surveyId = survey.id;
      }
      const [row] = await ctx.em.query(
        `INSERT INTO contact_rules AS t (survey_id, min_days_since_invitation, min_days_since_response, max_invitations, window_days, block_while_follow_up_open, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (survey_id) DO UPDATE SET min_days_since_invitation = EXCLUDED.min_days_since_invitation, min_days_since_response = EXCLUDED.min_days_since_response,
           max_invitations = EXCLUDED.max_invitations, window_days = EXCLUDED.window_days, block_while_follow_up_open = EXCLUDED.block_while_follow_up_open, updated_at = EXCLUDED.updated_at
         RETURNING *, (SELECT code FROM surveys WHERE id = t.survey_id) AS survey_code`,
        [surveyId, values.inv, values.resp, values.max, values.win, Boolean(input.blockWhileFollowUpOpen), ctx.now()],
      );
      return toRule(row);
    });
  }

  /** Removes the rules of one survey (or the company-wide ones); whether there were any. */
  async remove(ctx: RequestContext, surveyCode: string | null | undefined): Promise<boolean> {
    this.services.access.require(ctx, Permission.WRITE_ORG);
    const rows = await ctx.em.query(
      surveyCode == null
        ? 'DELETE FROM contact_rules WHERE survey_id IS NULL RETURNING id'
        : 'DELETE FROM contact_rules WHERE survey_id = (SELECT id FROM surveys WHERE code = $1) RETURNING id',
      surveyCode == null ? [] : [surveyCode],
    );
    return rows.length > 0;
  }

  /**
   * Puts customers on (or takes them off) the do-not-contact list; customers not known yet are
   * created with their reference, so a list can be loaded before their first survey. Returns the
   * number of customers whose entry changed.
   */
  async setDoNotContact(ctx: RequestContext, customerRefs: readonly string[], listed: boolean, reason: string | null | undefined): Promise<number> {
    this.services.access.require(ctx, Permission.WRITE_RESPONSES);
    this.checkRefs(customerRefs);
    if (reason != null && (reason.length > 500 || reason.includes('\u0000'))) throw badInput('reason must be at most 500 characters', 'reason');
    return transaction(ctx, async (ctx) => {
      if (!listed) {
        const rows = await ctx.em.query(
          `DELETE FROM do_not_contact d USING customers c WHERE c.id = d.customer_id AND c.external_ref IN (SELECT ${storedRefSql('u')} FROM unnest($1::text[]) u) RETURNING d.customer_id`,
          [[...customerRefs]],
        );
        return rows.length;
      }
      await ctx.em.query(`INSERT INTO customers (external_ref) SELECT DISTINCT ${storedRefSql('u')} FROM unnest($1::text[]) u ORDER BY 1 ON CONFLICT (external_ref) DO NOTHING`, [
        [...customerRefs],
      ]);
      const rows = await ctx.em.query(
        `INSERT INTO do_not_contact (customer_id, reason, added_at) SELECT id, $2, $3 FROM customers WHERE external_ref IN (SELECT ${storedRefSql('u')} FROM unnest($1::text[]) u) ORDER BY id
         ON CONFLICT (customer_id) DO NOTHING RETURNING customer_id`,
        [[...customerRefs], reason ?? null, ctx.now()],
      );
      return rows.length;
    });
  }

  /** contactEligibility: one statement for up to 1,000 customers (ELIGIBILITY_SQL), decided by decideEligibility. */
  async eligibility(ctx: RequestContext, surveyCode: string, customerRefs: readonly string[], at: Date | null | undefined): Promise<ContactEligibility[]> {
    this.services.access.require(ctx, Permission.WRITE_RESPONSES);
    this.checkRefs(customerRefs);
    const when = at ?? ctx.now();
    if (Number.isNaN(when.getTime())) throw badInput('at must be a date-time', 'at');
    const survey = (await this.services.surveys.byCodes(ctx, [surveyCode])).get(surveyCode);
    if (!survey) throw notFound('Survey with code', surveyCode, 'surveyCode');
    const rows: Record<string, unknown>[] = await ctx.em.query(ELIGIBILITY_SQL, [survey.id, [...customerRefs], when]);
    const date = (v: unknown) => (v == null ? null : new Date(v as string));
    const facts: EligibilityFacts[] = rows.map((r) => ({
      ref: r.ref as string,
      doNotContact: Boolean(r.do_not_contact),
      hasRule: Boolean(r.has_rule),
      ruleSurveyCode: (r.survey_code as string | null) ?? null,
      minDaysSinceInvitation: (r.min_days_since_invitation as number | null) ?? null,
      minDaysSinceResponse: (r.min_days_since_response as number | null) ?? null,
      windowDays: (r.window_days as number | null) ?? null,
      blockWhileFollowUpOpen: Boolean(r.block_fu),
      lastInvitationAt: date(r.last_invitation_at),
      lastResponseAt: date(r.last_response_at),
      windowBlockingAt: date(r.window_blocking_at),
      followUpOpen: Boolean(r.follow_up_open),
    }));
    return decideEligibility(customerRefs, facts, when);
  }

  private checkRefs(refs: readonly string[]): void {
    if (refs.length > MAX_ELIGIBILITY_CUSTOMERS) throw badInput(`At most ${MAX_ELIGIBILITY_CUSTOMERS} customers per call; got ${refs.length}`, 'customerRefs');
    refs.forEach((ref, i) => {
      const p = checkRef(ref, `customerRefs.${i}`);
      if (p) throw badInput(p.message, p.field ?? 'customerRefs');
    });
  }
}
