import { ContactBlock, ContactEligibility, ContactRuleKind } from './invitation.types';

const DAY_MS = 86_400_000;

/** One row of the eligibility statement: a customer and one rule set that applies (or none), with the facts it needs. */
export interface EligibilityFacts {
  ref: string;
  doNotContact: boolean;
  /** null: no rules apply (the row is there for the customer alone). */
  ruleSurveyCode: string | null;
  hasRule: boolean;
  minDaysSinceInvitation: number | null;
  minDaysSinceResponse: number | null;
  windowDays: number | null;
  blockWhileFollowUpOpen: boolean;
  lastInvitationAt: Date | null;
  lastResponseAt: Date | null;
  /** The maxInvitations-th most recent invitation inside the window, when there are that many. */
  windowBlockingAt: Date | null;
  followUpOpen: boolean;
}

const ORDER = [ContactRuleKind.DO_NOT_CONTACT, ContactRuleKind.FOLLOW_UP_OPEN];

/**
 * Decides each customer from the facts read in one statement. A rule blocks while `at` is before
 * the instant it lifts: last invitation + minDaysSinceInvitation, last response +
 * minDaysSinceResponse, and for maxInvitations in windowDays the maxInvitations-th most recent
 * invitation in the window + windowDays (then fewer than maxInvitations remain in the window).
 * The next eligible instant is the latest of those; null when a rule does not lift by time.
 */
export function decideEligibility(refs: readonly string[], facts: readonly EligibilityFacts[], at: Date): ContactEligibility[] {
  const byRef = new Map<string, EligibilityFacts[]>();
  for (const f of facts) byRef.set(f.ref, [...(byRef.get(f.ref) ?? []), f]);
  return refs.map((ref) => {
    const rows = byRef.get(ref) ?? [];
    const blocks: ContactBlock[] = [];
    const block = (rule: ContactRuleKind, surveyCode: string | null, until: Date | null) => blocks.push(Object.assign(new ContactBlock(), { rule, surveyCode, until }));
    if (rows.some((r) => r.doNotContact)) block(ContactRuleKind.DO_NOT_CONTACT, null, null);
    for (const r of rows) {
      if (!r.hasRule) continue;
      const after = (from: Date | null, days: number | null) => (from && days ? new Date(from.getTime() + days * DAY_MS) : null);
      if (r.blockWhileFollowUpOpen && r.followUpOpen) block(ContactRuleKind.FOLLOW_UP_OPEN, r.ruleSurveyCode, null);
      const inv = after(r.lastInvitationAt, r.minDaysSinceInvitation);
      if (inv && inv > at) block(ContactRuleKind.MIN_DAYS_SINCE_INVITATION, r.ruleSurveyCode, inv);
      const resp = after(r.lastResponseAt, r.minDaysSinceResponse);
      if (resp && resp > at) block(ContactRuleKind.MIN_DAYS_SINCE_RESPONSE, r.ruleSurveyCode, resp);
      const win = after(r.windowBlockingAt, r.windowDays);
      if (win && win > at) block(ContactRuleKind.MAX_INVITATIONS_IN_WINDOW, r.ruleSurveyCode, win);
    }
    const timed = blocks.filter((b) => b.until);
    const untimed = blocks.filter((b) => !b.until).sort((a, b) => ORDER.indexOf(a.rule) - ORDER.indexOf(b.rule));
    const latest = timed.reduce<ContactBlock | null>((m, b) => (!m || b.until! > m.until! ? b : m), null);
    const decisive = untimed[0] ?? latest;
    return Object.assign(new ContactEligibility(), {
      customerRef: ref,
      eligible: blocks.length === 0,
      rule: decisive?.rule ?? null,
      nextEligibleAt: blocks.length && !untimed.length ? latest!.until : null,
      blockedBy: blocks,
    });
  });
}
