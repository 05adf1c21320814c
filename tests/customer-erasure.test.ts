/**
 * eraseCustomer: a marker planted in every store (customer ref and attributes, verbatims and
 * follow-up answers, action-item title, description and notes, an item elsewhere quoting the
 * verbatim, outbox payloads, delivery logs) is gone from every text and JSON column of every table
 * (found through information_schema) after the erasure and a VACUUM, and no figure moved.
 */
import { codes, createTestApp, TestApp, viewers } from './support/test-app';
import { Receiver } from './webhooks-receiver';
import { createWebhookWorker } from '../src/modules/webhooks/worker';
import { refHash } from '../src/modules/customers/customer-erasure';

let t: TestApp;
const receiver = new Receiver('');
const MARKER = 'Qz7mrkXv';
const REF = `crm-${MARKER}`;
const VERBATIM = `Parcel lost ${MARKER} again, and nobody answered`;
const ERASE = `mutation($ref: String!) { eraseCustomer(externalRef: $ref) { refHash erasedBy responses actionItems outboxEvents alreadyErased } }`;
const FIGURES = `{
  npsSummary { responses promoters passives detractors nps }
  npsTrend(interval: MONTH, filter: { from: "2026-01-01T00:00:00Z", to: "2026-04-01T00:00:00Z" }) { score { responses nps } }
  departmentScores { score { responses nps } }
  closedLoop { __typename }
}`;

/** Every (table, column) of type text, varchar, json, jsonb or a text array in the public schema whose values contain the text. */
async function scan(text: string): Promise<string[]> {
  const cols: { table_name: string; column_name: string }[] = await t.deps.ds.query(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
     JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name AND tb.table_type = 'BASE TABLE'
     WHERE c.table_schema = 'public'
       AND (c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb') OR (c.data_type = 'ARRAY' AND c.udt_name IN ('_text', '_varchar', '_jsonb', '_json')))`,
  );
  expect(cols.length).toBeGreaterThan(20);
  const hits: string[] = [];
  for (const { table_name, column_name } of cols) {
    const [row] = await t.deps.ds.query(`SELECT count(*)::int AS n FROM "${table_name}" WHERE "${column_name}"::text LIKE '%' || $1 || '%'`, [text]);
    if (row.n) hits.push(`${table_name}.${column_name}: ${row.n}`);
  }
  return hits;
}

beforeAll(async () => {
  t = await createTestApp();
  receiver.respond = () => 500; // deliveries fail: attempt logs are kept for redelivery
  const port = await receiver.start();
  const ep = await t.ok(`mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret } }`, {
    i: { url: `http://127.0.0.1:${port}/`, role: 'EXECUTIVE', eventTypes: ['response.stored', 'response.detractor', 'action_item.created', 'action_item.changed', 'customer.erased'] },
  });
  receiver.secret = ep.createWebhookEndpoint.secret;
  await t.ok(`mutation { upsertDepartment(input: { code: "SUP", name: "Support" }) { id } }`);
  await t.ok(`mutation { upsertSurvey(input: { code: "DELIV", name: "Delivery", kind: TRANSACTIONAL, autoFollowUp: true }) { id } }`);
  const sub = await t.ok(`mutation($r: [ResponseInput!]!) { submitResponses(responses: $r) { accepted } }`, {
    r: [
      { externalRef: 'er-1', surveyCode: 'DELIV', score: 2, respondedAt: '2026-01-10T00:00:00Z', departmentCode: 'SUP', channel: 'sms',
        comment: VERBATIM, followUpAnswers: [{ question: 'Why?', answer: `Because ${MARKER}` }],
        customer: { externalRef: REF, region: 'EU', plan: 'pro', attributes: { email: `${MARKER}@example.com`, tier: 'gold' } } },
      { externalRef: 'er-2', surveyCode: 'DELIV', score: 9, respondedAt: '2026-02-10T00:00:00Z', departmentCode: 'SUP', comment: `Better now ${MARKER}`, customer: { externalRef: REF } },
      { externalRef: 'er-3', surveyCode: 'DELIV', score: 5, respondedAt: '2026-03-10T00:00:00Z', departmentCode: 'SUP', comment: 'Someone else, slow parcel', customer: { externalRef: 'crm-other', region: 'EU' } },
    ],
  });
  expect(sub.submitResponses.accepted).toBe(3);
  // A correction of er-2: the history keeps the verbatim it replaced and a note quoting the customer.
  const fixed = await t.ok(`mutation($c: [ResponseCorrectionInput!]!) { correctResponses(corrections: $c) { corrected } }`, {
    c: [{ externalRef: 'er-2', expectedVersion: 1, score: 10, comment: `Much better now ${MARKER}`, note: `asked by ${MARKER}` }],
  });
  expect(fixed.correctResponses.corrected).toBe(1);
  // The automatic follow-up of er-1, edited with text quoting the customer; a manual item elsewhere quoting the verbatim.
  const [item] = await t.deps.ds.query(`SELECT a.id FROM action_items a JOIN responses r ON r.id = a.response_id WHERE r.external_ref = 'er-1'`);
  await t.ok(`mutation($i: UpdateActionItemInput!) { updateActionItem(input: $i) { id } }`, {
    i: { id: item.id, status: 'IN_PROGRESS', title: `Call back ${REF}`, description: `Customer wrote: ${VERBATIM}`, note: `left a voicemail for ${MARKER}` },
  });
  await t.ok(`mutation($i: CreateActionItemInput!) { createActionItem(input: $i) { id } }`, {
    i: { title: 'Courier training', description: `Quote for the team: "${VERBATIM}"` },
  });
  const [other] = await t.deps.ds.query(`SELECT a.id FROM action_items a JOIN responses r ON r.id = a.response_id WHERE r.external_ref = 'er-3'`);
  await t.ok(`mutation($i: UpdateActionItemInput!) { updateActionItem(input: $i) { id } }`, { i: { id: other.id, description: 'Unrelated customer, keep this' } });
  // Survey fatigue: an invitation, and the do-not-contact list with a reason quoting the customer.
  await t.ok(`mutation($i: [SurveyInvitationInput!]!) { recordSurveyInvitations(invitations: $i) { accepted } }`, {
    i: [{ externalRef: 'inv-er-1', customerRef: REF, surveyCode: 'DELIV', sentAt: '2026-01-09T00:00:00Z' }],
  });
  await t.ok(`mutation($r: [String!]!, $why: String) { setDoNotContact(customerRefs: $r, reason: $why) }`, { r: [REF], why: `asked by phone, ${MARKER}` });
  await createWebhookWorker(t.deps, t.app.services).runOnce();
  // A receiver's answer logged with an attempt may echo the body: plant the marker there too.
  await t.deps.ds.query(`UPDATE webhook_delivery_attempts SET error = error || ' body: ' || $1`, [VERBATIM]);
  await t.deps.ds.query(`UPDATE webhook_deliveries SET last_error = last_error || ' body: ' || $1`, [VERBATIM]);
});
afterAll(async () => {
  await receiver.stop();
  await t.close();
});

describe('eraseCustomer', () => {
  it('is refused to every role but ADMIN, and NOT_FOUND for an unknown reference', async () => {
    for (const v of [viewers.executive, viewers.integration]) expect(codes(await t.exec(ERASE, { ref: REF }, { viewer: v }))).toEqual(['FORBIDDEN']);
    expect(codes(await t.exec(ERASE, { ref: 'nobody-here' }))).toEqual(['NOT_FOUND']);
    expect(codes(await t.exec(ERASE, { ref: ' x' }))).toEqual(['BAD_USER_INPUT']);
  });

  it('leaves the marker in no text or JSON column of any table, and no figure moves', async () => {
    const planted = await scan(MARKER);
    for (const where of ['customers.external_ref', 'customers.attributes', 'responses.comment', 'responses.follow_up_answers', 'action_items.title', 'action_items.description',
      'action_item_events.note', 'action_item_events.to_value', 'outbox_events.payload', 'webhook_delivery_attempts.error', 'webhook_deliveries.last_error',
      'do_not_contact.reason', 'response_history.changes', 'response_history.note']) {
      expect(planted.join('\n')).toContain(`${where}:`);
    }
    const before = await t.ok(FIGURES);
    const res = (await t.ok(ERASE, { ref: REF })).eraseCustomer;
    expect(res).toMatchObject({ refHash: refHash(REF), erasedBy: 'system', responses: 2, actionItems: 2, alreadyErased: false });
    expect(res.outboxEvents).toBeGreaterThan(3);
    await t.deps.ds.query('VACUUM');
    expect(await scan(MARKER)).toEqual([]);
    expect(await t.ok(FIGURES)).toEqual(before);
    const search = await t.ok(`query($s: String) { responses(filter: { search: $s }) { totalCount } }`, { s: 'parcel' });
    expect(search.responses.totalCount).toBe(1); // only the other customer's "slow parcel"
    // The other customer's data are intact; the erased one keeps its labels (figures count with them).
    const [kept] = await t.deps.ds.query(`SELECT comment FROM responses WHERE external_ref = 'er-3'`);
    expect(kept.comment).toBe('Someone else, slow parcel');
    const [desc] = await t.deps.ds.query(`SELECT description FROM action_items WHERE description = 'Unrelated customer, keep this'`);
    expect(desc).toBeTruthy();
    const [erased] = await t.deps.ds.query(`SELECT external_ref, region, plan, attributes FROM customers WHERE external_ref LIKE 'erased:%'`);
    expect(erased).toEqual({ external_ref: `erased:${refHash(REF)}`, region: 'EU', plan: 'pro', attributes: {} });
    const [record] = await t.deps.ds.query(`SELECT ref_hash, key_name FROM customer_erasures`);
    expect(record).toEqual({ ref_hash: refHash(REF), key_name: 'system' });
    const [event] = await t.deps.ds.query(`SELECT payload FROM outbox_events WHERE type = 'customer.erased'`);
    expect(event.payload).toMatchObject({ refHash: refHash(REF), responses: 2, actionItems: 2 });
  });

  it('named again by reference, finds the erased customer: no new customer row, still not to be contacted', async () => {
    const rec = await t.ok(`mutation($i: [SurveyInvitationInput!]!) { recordSurveyInvitations(invitations: $i) { accepted duplicates } }`, {
      i: [
        { externalRef: 'inv-er-1', customerRef: REF, surveyCode: 'DELIV', sentAt: '2026-01-09T00:00:00Z' },
        { externalRef: 'inv-er-2', customerRef: REF, surveyCode: 'DELIV', sentAt: '2026-04-01T00:00:00Z' },
      ],
    });
    expect(rec.recordSurveyInvitations).toEqual({ accepted: 1, duplicates: 1 });
    await t.ok(`mutation($r: [String!]!) { setDoNotContact(customerRefs: $r) }`, { r: [REF] });
    const [{ n }] = await t.deps.ds.query(`SELECT count(*)::int AS n FROM customers WHERE external_ref = $1`, [REF]);
    expect(n).toBe(0);
    const [inv] = await t.deps.ds.query(`SELECT c.external_ref FROM survey_invitations i JOIN customers c ON c.id = i.customer_id WHERE i.external_ref = 'inv-er-2'`);
    expect(inv.external_ref).toBe(`erased:${refHash(REF)}`);
    const elig = await t.ok(`query($r: [String!]!) { contactEligibility(surveyCode: "DELIV", customerRefs: $r) { customerRef eligible } }`, { r: [REF] });
    expect(elig.contactEligibility).toEqual([{ customerRef: REF, eligible: false }]);
    expect(await scan(MARKER)).toEqual([]);
  });

  it('repeated, answers the same record without doing it again; a redelivery carries nothing erased', async () => {
    const again = (await t.ok(ERASE, { ref: REF })).eraseCustomer;
    expect(again).toMatchObject({ refHash: refHash(REF), alreadyErased: true, responses: 2 });
    receiver.respond = () => 200;
    const before = receiver.received.length;
    await t.deps.ds.query(`UPDATE webhook_deliveries SET next_attempt_at = now() - interval '1 minute' WHERE status = 'PENDING'`);
    const worker = createWebhookWorker(t.deps, t.app.services);
    for (let i = 0; i < 10; i++) if ((await worker.runOnce()).attempted === 0) break;
    const sent = receiver.received.slice(before);
    expect(sent.map((r) => r.json.type)).toContain('customer.erased');
    for (const r of sent) expect(r.body).not.toContain(MARKER);
  });
});
