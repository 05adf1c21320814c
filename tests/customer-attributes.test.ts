import { createTestApp, TestApp } from './support/test-app';

/**
 * A response keeps its customer's segmentation attributes (region, plan, product, signup channel)
 * as they were when it was stored: the ingest stores them itself (joined in its INSERT), any other
 * writer gets them copied by the trigger, and a customer who changes later does not rewrite
 * history. Breakdowns and filters read the copy.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await t.ok(`mutation { upsertDepartment(input: { code: "CO", name: "Company" }) { id } }`);
  await t.ok(`mutation { upsertSurvey(input: { code: "TX", name: "Support call", kind: TRANSACTIONAL }) { id } }`);
});
afterAll(() => t.close());

const submit = (ref: string, customer: Record<string, unknown>, score = 9) =>
  t.ok(`mutation($rows: [ResponseInput!]!) { submitResponses(responses: $rows) { accepted } }`, {
    rows: [{ externalRef: ref, surveyCode: 'TX', departmentCode: 'CO', score, respondedAt: '2026-06-01T10:00:00.000Z', customer }],
  });
const stored = async (ref: string) =>
  (await t.deps.ds.query(`SELECT region, plan, product, signup_channel FROM responses WHERE external_ref = $1`, [ref]))[0];
const byRegion = async () => {
  const d = await t.ok(`{ npsBreakdown(by: REGION) { value score { responses } } }`);
  return Object.fromEntries(d.npsBreakdown.map((i: { value: string | null; score: { responses: number } }) => [i.value ?? '-', i.score.responses]));
};

describe('customer attributes on responses', () => {
  it('ingest stores the customer as they are, and a later change does not rewrite the response', async () => {
    await submit('a-1', { externalRef: 'C-1', region: 'EMEA', plan: 'pro', product: 'core', signupChannel: 'web' });
    expect(await stored('a-1')).toEqual({ region: 'EMEA', plan: 'pro', product: 'core', signup_channel: 'web' });
    await t.ok(`mutation { upsertCustomers(customers: [{ externalRef: "C-1", region: "AMER", plan: "enterprise" }]) { id } }`);
    expect(await stored('a-1')).toEqual({ region: 'EMEA', plan: 'pro', product: 'core', signup_channel: 'web' });
    await submit('a-2', { externalRef: 'C-1' });
    expect(await stored('a-2')).toMatchObject({ region: 'AMER', plan: 'enterprise' });
    expect(await byRegion()).toEqual({ EMEA: 1, AMER: 1 });
  });

  it('a response stored in plain SQL without attributes gets them copied; given ones are kept', async () => {
    const [{ id: customerId }] = await t.deps.ds.query(`SELECT id FROM customers WHERE external_ref = 'C-1'`);
    const [{ id: surveyId }] = await t.deps.ds.query(`SELECT id FROM surveys WHERE code = 'TX'`);
    await t.deps.ds.query(
      `INSERT INTO responses (external_ref, score, survey_id, customer_id, responded_at) VALUES ('s-1', 9, $2, $1, now()), ('s-2', 9, $2, $1, now())`,
      [customerId, surveyId],
    );
    expect(await stored('s-1')).toMatchObject({ region: 'AMER', plan: 'enterprise', product: 'core' });
    await t.deps.ds.query(`INSERT INTO responses (external_ref, score, survey_id, customer_id, responded_at, region) VALUES ('s-3', 9, $2, $1, now(), 'APAC')`, [
      customerId,
      surveyId,
    ]);
    expect(await stored('s-3')).toEqual({ region: 'APAC', plan: null, product: null, signup_channel: null });
  });

  it('moving a response to another customer copies the new customer\'s attributes', async () => {
    await submit('b-1', { externalRef: 'C-2', region: 'LATAM', plan: 'basic' });
    const [{ id: c2 }] = await t.deps.ds.query(`SELECT id FROM customers WHERE external_ref = 'C-2'`);
    await t.deps.ds.query(`UPDATE responses SET customer_id = $1 WHERE external_ref = 's-1'`, [c2]);
    expect(await stored('s-1')).toEqual({ region: 'LATAM', plan: 'basic', product: null, signup_channel: null });
    await t.deps.ds.query(`UPDATE responses SET score = 3 WHERE external_ref = 's-1'`);
    expect(await stored('s-1')).toMatchObject({ region: 'LATAM' });
  });
});
