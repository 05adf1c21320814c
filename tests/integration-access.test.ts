import { createTestApp, codes, TestApp, viewers } from './support/test-app';

/**
 * What an integration key can and cannot reach around the responses it submits: it links tickets
 * to responses by external reference, and never reads verbatims or customer details.
 */
let t: TestApp;
const integ = { viewer: viewers.integration };
beforeAll(async () => {
  t = await createTestApp();
  await t.ok(`mutation { upsertDepartment(input: { code: "SUP", name: "Support" }) { id } }`);
  await t.ok(`mutation { upsertSurvey(input: { code: "TX", name: "After a call", kind: TRANSACTIONAL, autoFollowUp: false }) { id } }`);
});
afterAll(() => t.close());

const SUBMIT = `mutation($r: [ResponseInput!]!) { submitResponses(responses: $r) { accepted duplicates results { status response { id externalRef score } } } }`;
const row = { externalRef: 'tk-1', surveyCode: 'TX', score: 2, respondedAt: '2026-03-01T10:00:00Z', departmentCode: 'SUP', comment: 'SECRET-VERBATIM', customer: { externalRef: 'SECRET-CUSTOMER', region: 'EMEA' } };

describe('integration keys and submitted responses', () => {
  it('see the id and ref of what they submitted, even as a DUPLICATE', async () => {
    const first = await t.ok(SUBMIT, { r: [row] }, integ);
    const again = await t.ok(SUBMIT, { r: [row] }, integ);
    expect(again.submitResponses.results[0]).toEqual({ status: 'DUPLICATE', response: first.submitResponses.results[0].response });
  });

  it('cannot read the verbatim, follow-up answers, the themes they mention or customer through the results', async () => {
    for (const field of ['comment', 'followUpAnswers { question }', 'themes { code }', 'customer { externalRef }']) {
      const res = await t.exec(`mutation($r: [ResponseInput!]!) { submitResponses(responses: $r) { duplicates results { response { id ${field} } } } }`, { r: [row] }, integ);
      expect(codes(res)).toContain('FORBIDDEN');
      expect(JSON.stringify(res)).not.toMatch(/SECRET-VERBATIM|SECRET-CUSTOMER/);
    }
    // Roles that may read responses still see them.
    const admin = await t.ok(`mutation($r: [ResponseInput!]!) { submitResponses(responses: $r) { results { response { comment customer { externalRef } } } } }`, { r: [row] });
    expect(admin.submitResponses.results[0].response).toEqual({ comment: 'SECRET-VERBATIM', customer: { externalRef: 'SECRET-CUSTOMER' } });
  });

  it('create an action item for a response by its externalRef, idempotently', async () => {
    const CREATE = `mutation($i: CreateActionItemInput!) { createActionItem(input: $i) { id externalRef title department { code } } }`;
    const input = { externalRef: 'TICKET-77', responseExternalRef: 'tk-1' };
    const a = await t.ok(CREATE, { i: input }, integ);
    expect(a.createActionItem).toMatchObject({ externalRef: 'TICKET-77', title: 'Follow up: score 2/10 on After a call', department: { code: 'SUP' } });
    const b = await t.ok(CREATE, { i: input }, integ);
    expect(b.createActionItem.id).toBe(a.createActionItem.id);
    const [{ response_id }] = await t.db.dataSource.query(`SELECT response_id FROM action_items WHERE external_ref = 'TICKET-77'`);
    const [{ id }] = await t.db.dataSource.query(`SELECT id FROM responses WHERE external_ref = 'tk-1'`);
    expect(response_id).toBe(id);
  });

  it('get NOT_FOUND for an unknown response ref and BAD_USER_INPUT when both ways are given, creating nothing', async () => {
    const CREATE = `mutation($i: CreateActionItemInput!) { createActionItem(input: $i) { id } }`;
    const before = await t.db.dataSource.query('SELECT count(*)::int AS n FROM action_items');
    expect(codes(await t.exec(CREATE, { i: { externalRef: 'T-2', responseExternalRef: 'nope' } }, integ))).toEqual(['NOT_FOUND']);
    const [{ id }] = await t.db.dataSource.query(`SELECT id FROM responses WHERE external_ref = 'tk-1'`);
    expect(codes(await t.exec(CREATE, { i: { externalRef: 'T-3', responseExternalRef: 'tk-1', responseId: id } }, integ))).toEqual(['BAD_USER_INPUT']);
    expect(await t.db.dataSource.query('SELECT count(*)::int AS n FROM action_items')).toEqual(before);
  });

  it('sync customers and get back only id, externalRef and record times: every customer detail is FORBIDDEN', async () => {
    const UPSERT = (fields: string) => `mutation($c: [CustomerInput!]!) { upsertCustomers(customers: $c) { id externalRef ${fields} } }`;
    const stored = { externalRef: 'CUST-12882', region: 'SECRET-REGION', plan: 'SECRET-PLAN', spend: 123456, signupChannel: 'SECRET-CHANNEL', customerSince: '2020-05-01T00:00:00.000Z', product: 'SECRET-PRODUCT', attributes: { secret: 'SECRET-ATTR' } };
    await t.ok(UPSERT(''), { c: [stored] });
    // What the sync needs: the ids of the customers it sent, in input order.
    const ok = await t.ok(UPSERT('createdAt updatedAt'), { c: [{ externalRef: 'CUST-12882' }, { externalRef: 'CUST-NEW' }] }, integ);
    expect(ok.upsertCustomers.map((c: any) => c.externalRef)).toEqual(['CUST-12882', 'CUST-NEW']);
    expect(JSON.stringify(ok)).not.toContain('SECRET');
    for (const field of ['region', 'plan', 'spend', 'signupChannel', 'customerSince', 'product', 'attributes']) {
      const res = await t.exec(UPSERT(field), { c: [{ externalRef: 'CUST-12882' }] }, integ);
      expect({ field, codes: [...new Set(codes(res))] }).toEqual({ field, codes: ['FORBIDDEN'] });
      expect(JSON.stringify(res)).not.toMatch(/SECRET|123456|2020-05/);
    }
    // Still stored, and readable with READ_RESPONSES.
    const admin = await t.ok(UPSERT('region plan spend signupChannel customerSince product attributes'), { c: [{ externalRef: 'CUST-12882' }] });
    expect(admin.upsertCustomers[0]).toMatchObject({ ...stored, externalRef: 'CUST-12882' });
  });
});
