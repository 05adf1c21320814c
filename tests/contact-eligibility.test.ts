/**
 * contactEligibility on hand-built histories, one rule at a time, then together; one statement for
 * 1,000 customers; who may call it.
 */
import { countStatements } from './support/statements';
import { codes, createTestApp, TestApp, viewers } from './support/test-app';

let t: TestApp;
const q = (sql: string, p: unknown[] = []) => t.db.dataSource.query(sql, p);
const id: Record<string, string> = {};
const AT = '2026-06-01T00:00:00.000Z';
const DAY = 86_400_000;
const daysBefore = (n: number) => new Date(Date.parse(AT) - n * DAY).toISOString();
const daysAfter = (iso: string, n: number) => new Date(Date.parse(iso) + n * DAY).toISOString();
const opts = { now: () => new Date(AT) };

const ELIGIBILITY = `query($s: String!, $c: [String!]!, $at: DateTimeISO) { contactEligibility(surveyCode: $s, customerRefs: $c, at: $at) {
  customerRef eligible rule nextEligibleAt blockedBy { rule surveyCode until } } }`;
const SET_RULE = `mutation($i: ContactRuleInput!) { setContactRule(input: $i) { id surveyCode } }`;

async function customer(ref: string): Promise<string> {
  return (id[ref] = (await q(`INSERT INTO customers (external_ref) VALUES ($1) RETURNING id`, [ref]))[0].id);
}
let n = 0;
async function invite(ref: string, survey: string, at: string): Promise<void> {
  await q(`INSERT INTO survey_invitations (external_ref, customer_id, survey_id, sent_at) VALUES ($1, $2, $3, $4)`, [`i-${++n}`, id[ref], id[survey], at]);
}
async function respond(ref: string, survey: string, at: string): Promise<string> {
  return (await q(`INSERT INTO responses (external_ref, survey_id, score, customer_id, responded_at) VALUES ($1, $2, 3, $3, $4) RETURNING id`, [`r-${++n}`, id[survey], id[ref], at]))[0].id;
}
async function ask(refs: string[], survey = 'REL', at = AT): Promise<Record<string, any>> {
  const d = await t.ok(ELIGIBILITY, { s: survey, c: refs, at }, { ...opts, viewer: viewers.integration });
  return Object.fromEntries(d.contactEligibility.map((e: any) => [e.customerRef, e]));
}

beforeAll(async () => {
  t = await createTestApp();
  id.REL = (await q(`INSERT INTO surveys (code, name, kind, auto_follow_up) VALUES ('REL', 'Relationship', 'RELATIONSHIP', false) RETURNING id`))[0].id;
  id.TX = (await q(`INSERT INTO surveys (code, name, kind, auto_follow_up) VALUES ('TX', 'Support', 'TRANSACTIONAL', false) RETURNING id`))[0].id;
});
afterAll(() => t.close());
beforeEach(async () => {
  await q(`DELETE FROM contact_rules`);
});

describe('each rule on a hand-built history', () => {
  it('no rules: everyone is eligible, known or not', async () => {
    await customer('fresh');
    await invite('fresh', 'REL', daysBefore(1));
    const r = await ask(['fresh', 'never-seen']);
    expect(r.fresh).toMatchObject({ eligible: true, rule: null, nextEligibleAt: null, blockedBy: [] });
    expect(r['never-seen']).toMatchObject({ eligible: true, rule: null });
  });

  it('minimum days since the last invitation: survey rule counts that survey, company-wide rule counts all', async () => {
    await customer('inv10'); // REL 10 days ago
    await invite('inv10', 'REL', daysBefore(40));
    await invite('inv10', 'REL', daysBefore(10));
    await customer('inv40'); // REL 40 days ago
    await invite('inv40', 'REL', daysBefore(40));
    await customer('tx5'); // only TX, 5 days ago
    await invite('tx5', 'TX', daysBefore(5));
    await t.ok(SET_RULE, { i: { surveyCode: 'REL', minDaysSinceInvitation: 30 } }, opts);
    let r = await ask(['inv10', 'inv40', 'tx5']);
    expect(r.inv10).toMatchObject({ eligible: false, rule: 'MIN_DAYS_SINCE_INVITATION', nextEligibleAt: daysAfter(daysBefore(10), 30) });
    expect(r.inv10.blockedBy).toEqual([{ rule: 'MIN_DAYS_SINCE_INVITATION', surveyCode: 'REL', until: daysAfter(daysBefore(10), 30) }]);
    expect(r.inv40.eligible).toBe(true);
    expect(r.tx5.eligible).toBe(true); // a TX invitation does not count for REL's own rule
    await t.ok(SET_RULE, { i: { minDaysSinceInvitation: 7 } }, opts); // company-wide
    r = await ask(['tx5']);
    expect(r.tx5).toMatchObject({ eligible: false, rule: 'MIN_DAYS_SINCE_INVITATION', nextEligibleAt: daysAfter(daysBefore(5), 7) });
    expect(r.tx5.blockedBy[0].surveyCode).toBeNull();
    // exactly at the boundary the rule has lifted
    r = await ask(['inv10'], 'REL', daysAfter(daysBefore(10), 30));
    expect(r.inv10.eligible).toBe(true);
    // an invitation after `at` does not count: 20 days ago, the last one was sent 40 days ago (blocked until 10 days ago)
    r = await ask(['inv10'], 'REL', daysBefore(20));
    expect(r.inv10).toMatchObject({ eligible: false, nextEligibleAt: daysBefore(10) });
  });

  it('minimum days since the last response', async () => {
    await customer('resp3');
    await respond('resp3', 'REL', daysBefore(3));
    await t.ok(SET_RULE, { i: { surveyCode: 'REL', minDaysSinceResponse: 90 } }, opts);
    const r = await ask(['resp3']);
    expect(r.resp3).toMatchObject({ eligible: false, rule: 'MIN_DAYS_SINCE_RESPONSE', nextEligibleAt: daysAfter(daysBefore(3), 90) });
  });

  it('maximum invitations in a rolling window: blocked until the oldest that keeps the count at the maximum leaves the window', async () => {
    await customer('many'); // REL invitations 50, 25, 20, 5 days ago; window 30 days, max 3 -> 25, 20, 5 are in the window
    for (const d of [50, 25, 20, 5]) await invite('many', 'REL', daysBefore(d));
    await customer('two');
    for (const d of [20, 5]) await invite('two', 'REL', daysBefore(d));
    await t.ok(SET_RULE, { i: { surveyCode: 'REL', maxInvitations: 3, windowDays: 30 } }, opts);
    const r = await ask(['many', 'two']);
    // the 3rd most recent in the window was sent 25 days ago: it leaves the window 30 days after, 5 days from now
    expect(r.many).toMatchObject({ eligible: false, rule: 'MAX_INVITATIONS_IN_WINDOW', nextEligibleAt: daysAfter(daysBefore(25), 30) });
    expect(r.two.eligible).toBe(true);
  });

  it('no survey while a follow-up is open', async () => {
    await customer('unhappy');
    const responseId = await respond('unhappy', 'TX', daysBefore(200));
    const [item] = await q(`INSERT INTO action_items (title, response_id, status) VALUES ('Call back', $1, 'IN_PROGRESS') RETURNING id`, [responseId]);
    await t.ok(SET_RULE, { i: { blockWhileFollowUpOpen: true } }, opts);
    let r = await ask(['unhappy']);
    expect(r.unhappy).toMatchObject({ eligible: false, rule: 'FOLLOW_UP_OPEN', nextEligibleAt: null });
    await q(`UPDATE action_items SET status = 'DONE' WHERE id = $1`, [item.id]);
    r = await ask(['unhappy']);
    expect(r.unhappy.eligible).toBe(true);
  });

  it('the do-not-contact list wins over everything and has no end date', async () => {
    await customer('optout');
    await invite('optout', 'REL', daysBefore(1));
    const set = `mutation($c: [String!]!, $l: Boolean!) { setDoNotContact(customerRefs: $c, listed: $l, reason: "unsubscribed") }`;
    expect((await t.ok(set, { c: ['optout', 'new-optout'], l: true }, { ...opts, viewer: viewers.integration })).setDoNotContact).toBe(2);
    await t.ok(SET_RULE, { i: { surveyCode: 'REL', minDaysSinceInvitation: 30 } }, opts);
    let r = await ask(['optout', 'new-optout']);
    expect(r.optout).toMatchObject({ eligible: false, rule: 'DO_NOT_CONTACT', nextEligibleAt: null });
    expect(r.optout.blockedBy.map((b: any) => b.rule)).toEqual(['DO_NOT_CONTACT', 'MIN_DAYS_SINCE_INVITATION']);
    expect(r['new-optout']).toMatchObject({ eligible: false, rule: 'DO_NOT_CONTACT' });
    await t.ok(set, { c: ['optout'], l: false }, { ...opts, viewer: viewers.integration });
    r = await ask(['optout']);
    expect(r.optout).toMatchObject({ eligible: false, rule: 'MIN_DAYS_SINCE_INVITATION' });
  });

  it('several rules: the decisive one blocks longest, next eligible is when all have lifted', async () => {
    await customer('both');
    await invite('both', 'REL', daysBefore(2));
    await respond('both', 'REL', daysBefore(10));
    await t.ok(SET_RULE, { i: { surveyCode: 'REL', minDaysSinceInvitation: 7, minDaysSinceResponse: 60 } }, opts);
    const r = await ask(['both']);
    expect(r.both).toMatchObject({ eligible: false, rule: 'MIN_DAYS_SINCE_RESPONSE', nextEligibleAt: daysAfter(daysBefore(10), 60) });
    expect(r.both.blockedBy).toHaveLength(2);
  });
});

describe('limits', () => {
  it('1,000 customers in one statement (after the survey lookup); 1,001 is BAD_USER_INPUT', async () => {
    const refs = Array.from({ length: 1000 }, (_, i) => `bulk-${i}`);
    await q(`INSERT INTO customers (external_ref) SELECT unnest($1::text[])`, [refs]);
    await q(`INSERT INTO survey_invitations (external_ref, customer_id, survey_id, sent_at)
             SELECT 'bulk-inv-' || c.external_ref || '-' || g, c.id, $1, $2::timestamptz - g * interval '9 days'
             FROM customers c, generate_series(0, 4) g WHERE c.external_ref LIKE 'bulk-%'`, [id.REL, AT]);
    await t.ok(SET_RULE, { i: { surveyCode: 'REL', minDaysSinceInvitation: 30, maxInvitations: 3, windowDays: 30, minDaysSinceResponse: 30, blockWhileFollowUpOpen: true } }, opts);
    await t.ok(SET_RULE, { i: { minDaysSinceInvitation: 3 } }, opts);
    const ctx = t.ctx(viewers.integration, opts.now);
    const { count, result, sql } = await countStatements(() => t.app.services.contactRules.eligibility(ctx, 'REL', refs, new Date(AT)));
    expect(sql.filter((s) => /survey_invitations/.test(s))).toHaveLength(1);
    expect(count).toBe(2); // the survey by code, then the one eligibility statement
    expect(result).toHaveLength(1000);
    expect(result.every((e) => !e.eligible && e.rule === 'MIN_DAYS_SINCE_INVITATION')).toBe(true);
    const res = await t.exec(ELIGIBILITY, { s: 'REL', c: [...refs, 'one-more'] }, { ...opts, viewer: viewers.integration });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  });

  it('unknown survey NOT_FOUND; MANAGER and EXECUTIVE keys FORBIDDEN', async () => {
    expect(codes(await t.exec(ELIGIBILITY, { s: 'NOPE', c: ['x'] }, { ...opts, viewer: viewers.integration }))).toEqual(['NOT_FOUND']);
    expect(codes(await t.exec(ELIGIBILITY, { s: 'REL', c: ['x'] }, { ...opts, viewer: viewers.manager(id.REL) }))).toEqual(['FORBIDDEN']);
    expect(codes(await t.exec(ELIGIBILITY, { s: 'REL', c: ['x'] }, { ...opts, viewer: viewers.executive }))).toEqual(['FORBIDDEN']);
  });

  it('rule inputs are checked: maxInvitations without windowDays, out-of-range days; INTEGRATION may not set rules', async () => {
    expect(codes(await t.exec(SET_RULE, { i: { maxInvitations: 3 } }, opts))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.exec(SET_RULE, { i: { minDaysSinceInvitation: 0 } }, opts))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.exec(SET_RULE, { i: { surveyCode: 'NOPE', minDaysSinceInvitation: 3 } }, opts))).toEqual(['NOT_FOUND']);
    expect(codes(await t.exec(SET_RULE, { i: { minDaysSinceInvitation: 3 } }, { ...opts, viewer: viewers.integration }))).toEqual(['FORBIDDEN']);
    expect((await q(`SELECT count(*)::int AS n FROM contact_rules`))[0].n).toBe(0);
  });
});
