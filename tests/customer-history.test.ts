/**
 * customers(filter, search, first, after) and customer(externalRef) with its history (responses,
 * score, scoreTrend), scoped like responses: a MANAGER sees its subtree's customers and responses.
 */
import { codes, createTestApp, TestApp, viewers } from './support/test-app';

let t: TestApp;
let a: string;
const LIST = `query($f: CustomerFilter, $s: String, $first: Int, $after: String) {
  customers(filter: $f, search: $s, first: $first, after: $after) { totalCount edges { node { externalRef } } pageInfo { hasNextPage endCursor } }
}`;
const refs = (d: any) => d.customers.edges.map((e: any) => e.node.externalRef);
const HISTORY = `query($ref: String!, $f: ResponseFilter) {
  customer(externalRef: $ref) {
    externalRef
    responses(filter: $f) { totalCount edges { node { externalRef score } } }
    score(filter: $f) { responses promoters detractors nps }
    scoreTrend(interval: MONTH, filter: { from: "2026-01-01T00:00:00Z", to: "2026-04-01T00:00:00Z" }) { periodStart score { responses nps } }
  }
}`;

beforeAll(async () => {
  t = await createTestApp();
  const up = `mutation($input: DepartmentInput!) { upsertDepartment(input: $input) { id } }`;
  a = (await t.ok(up, { input: { code: 'A', name: 'A' } })).upsertDepartment.id;
  await t.ok(up, { input: { code: 'B', name: 'B' } });
  await t.ok(`mutation { upsertSurvey(input: { code: "TX", name: "Tx", kind: TRANSACTIONAL }) { id } }`);
  const row = (ref: string, score: number, at: string, dept: string, customer: Record<string, unknown>) => ({
    externalRef: ref, surveyCode: 'TX', score, respondedAt: at, departmentCode: dept, customer,
  });
  const res = await t.ok(`mutation($r: [ResponseInput!]!) { submitResponses(responses: $r) { accepted } }`, {
    r: [
      row('r1', 9, '2026-01-10T00:00:00Z', 'A', { externalRef: 'crm-100', region: 'EU', attributes: { tier: 'Gold', seats: 12 } }),
      row('r2', 3, '2026-02-10T00:00:00Z', 'A', { externalRef: 'crm-100' }),
      row('r3', 10, '2026-03-10T00:00:00Z', 'B', { externalRef: 'crm-100' }),
      row('r4', 8, '2026-03-11T00:00:00Z', 'B', { externalRef: 'crm-101', region: 'NA', plan: 'pro' }),
      row('r5', 9, '2026-03-12T00:00:00Z', 'B', { externalRef: 'zz_1%', region: 'NA' }),
    ],
  });
  expect(res.submitResponses.accepted).toBe(5);
  await t.ok(`mutation { upsertCustomers(customers: [{ externalRef: "crm-200", plan: "basic" }]) { id } }`);
});
afterAll(() => t.close());

describe('customers', () => {
  it('lists every customer in externalRef order, paginated, with the total', async () => {
    expect(refs(await t.ok(LIST))).toEqual(['crm-100', 'crm-101', 'crm-200', 'zz_1%']);
    const p1 = await t.ok(LIST, { first: 2 });
    expect([refs(p1), p1.customers.totalCount, p1.customers.pageInfo.hasNextPage]).toEqual([['crm-100', 'crm-101'], 4, true]);
    const p2 = await t.ok(LIST, { first: 2, after: p1.customers.pageInfo.endCursor });
    expect([refs(p2), p2.customers.pageInfo.hasNextPage]).toEqual([['crm-200', 'zz_1%'], false]);
    expect(codes(await t.exec(LIST, { after: 'nope' }))).toEqual(['BAD_USER_INPUT']);
  });

  it('searches by externalRef prefix (wildcards literal) and by labels and attribute values, any case', async () => {
    expect(refs(await t.ok(LIST, { s: 'crm-1' }))).toEqual(['crm-100', 'crm-101']);
    expect(refs(await t.ok(LIST, { s: 'CRM-1' }))).toEqual([]); // the ref prefix is case-sensitive
    expect(refs(await t.ok(LIST, { s: 'zz_' }))).toEqual(['zz_1%']);
    expect(refs(await t.ok(LIST, { s: 'z%' }))).toEqual([]); // % is literal, not a wildcard
    expect(refs(await t.ok(LIST, { s: 'gold' }))).toEqual(['crm-100']);
    expect(refs(await t.ok(LIST, { s: 'PRO' }))).toEqual(['crm-101']);
    expect(refs(await t.ok(LIST, { s: '  ' }))).toHaveLength(4);
    expect(codes(await t.exec(LIST, { s: 'x'.repeat(201) }))).toEqual(['BAD_USER_INPUT']);
  });

  it('filters by labels, attributes (containment) and by responses through the filter compiler', async () => {
    expect(refs(await t.ok(LIST, { f: { regions: ['NA'] } }))).toEqual(['crm-101', 'zz_1%']);
    expect(refs(await t.ok(LIST, { f: { attributes: { tier: 'Gold' } } }))).toEqual(['crm-100']);
    expect(refs(await t.ok(LIST, { f: { attributes: { tier: 'gold' } } }))).toEqual([]);
    expect(refs(await t.ok(LIST, { f: { responses: { departmentCodes: ['A'] } } }))).toEqual(['crm-100']);
    expect(refs(await t.ok(LIST, { f: { responses: { maxScore: 8 } }, s: 'crm' }))).toEqual(['crm-100', 'crm-101']);
    expect(codes(await t.exec(LIST, { f: { responses: { departmentCodes: ['NOPE'] } } }))).toEqual(['BAD_USER_INPUT']);
  });

  it('is scoped like responses: a MANAGER sees customers with a response in its subtree; INTEGRATION is FORBIDDEN', async () => {
    const mgr = viewers.manager(a);
    expect(refs(await t.ok(LIST, {}, { viewer: mgr }))).toEqual(['crm-100']);
    expect((await t.ok(LIST, {}, { viewer: mgr })).customers.totalCount).toBe(1);
    expect(codes(await t.exec(LIST, {}, { viewer: viewers.integration }))).toEqual(['FORBIDDEN']);
    expect(refs(await t.ok(LIST, {}, { viewer: viewers.executive }))).toHaveLength(4);
  });
});

describe('customer(externalRef) and its history', () => {
  it('gives the responses newest first, the score and the score over time', async () => {
    const c = (await t.ok(HISTORY, { ref: 'crm-100' })).customer;
    expect(c.responses.edges.map((e: any) => e.node.externalRef)).toEqual(['r3', 'r2', 'r1']);
    expect(c.responses.totalCount).toBe(3);
    expect(c.score).toMatchObject({ responses: 3, promoters: 2, detractors: 1 });
    expect(c.score.nps).toBeCloseTo(100 / 3, 10);
    expect(c.scoreTrend.map((p: any) => [p.periodStart, p.score.responses, p.score.nps])).toEqual([
      ['2026-01-01T00:00:00.000Z', 1, 100],
      ['2026-02-01T00:00:00.000Z', 1, -100],
      ['2026-03-01T00:00:00.000Z', 1, 100],
    ]);
    const narrowed = (await t.ok(HISTORY, { ref: 'crm-100', f: { maxScore: 8, customerRefs: ['crm-101'] } })).customer;
    expect(narrowed.responses.edges.map((e: any) => e.node.externalRef)).toEqual(['r2']); // customerRefs is this customer's
  });

  it('a MANAGER sees only its subtree of the history, and customers outside it are NOT_FOUND', async () => {
    const mgr = viewers.manager(a);
    const c = (await t.ok(HISTORY, { ref: 'crm-100' }, { viewer: mgr })).customer;
    expect(c.responses.edges.map((e: any) => e.node.externalRef)).toEqual(['r2', 'r1']);
    expect(c.score).toMatchObject({ responses: 2, nps: 0 });
    expect(c.scoreTrend.map((p: any) => p.score.responses)).toEqual([1, 1, 0]);
    expect(codes(await t.exec(HISTORY, { ref: 'crm-101' }, { viewer: mgr }))).toEqual(['NOT_FOUND']);
    expect(codes(await t.exec(HISTORY, { ref: 'crm-200' }, { viewer: mgr }))).toEqual(['NOT_FOUND']);
  });

  it('needs exactly one of id and externalRef; unknown is NOT_FOUND; INTEGRATION is FORBIDDEN', async () => {
    const [row] = await t.deps.ds.query(`SELECT id FROM customers WHERE external_ref = 'crm-101'`);
    expect((await t.ok(`query($id: ID) { customer(id: $id) { externalRef } }`, { id: row.id })).customer.externalRef).toBe('crm-101');
    expect(codes(await t.exec(`{ customer { id } }`))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.exec(`query($id: ID) { customer(id: $id, externalRef: "crm-101") { id } }`, { id: row.id }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.exec(`{ customer(externalRef: "nobody") { id } }`))).toEqual(['NOT_FOUND']);
    expect(codes(await t.exec(`{ customer(externalRef: "crm-101") { id } }`, undefined, { viewer: viewers.integration }))).toEqual(['FORBIDDEN']);
  });

  it('the customerRefs filter needs READ_RESPONSES and cannot be saved in a segment', async () => {
    const res = await t.ok(`{ responses(filter: { customerRefs: ["crm-101", "zz_1%"] }) { totalCount } }`);
    expect(res.responses.totalCount).toBe(2);
    const seg = await t.exec(`mutation { createSegment(input: { name: "one customer", filter: { customerRefs: ["crm-100"] } }) { id } }`);
    expect(codes(seg)).toEqual(['BAD_USER_INPUT']);
    expect(seg.errors![0].extensions!.field).toBe('input.filter.customerRefs');
  });
});
