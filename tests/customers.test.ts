import { createTestApp, codes, TestApp } from './support/test-app';
import { Role, Viewer } from '../src/modules/auth/viewer';

let t: TestApp;
const viewer = (role: Role, departmentId: string | null = null): Viewer => ({ keyId: null, name: role.toLowerCase(), role, departmentId });
const UPSERT = `mutation($customers: [CustomerInput!]!) {
  upsertCustomers(customers: $customers) { id externalRef region plan spend signupChannel customerSince product attributes updatedAt }
}`;
const GET = `query($id: ID!) { customer(id: $id) { id externalRef region plan spend attributes } }`;
const all = () => t.deps.ds.query('SELECT * FROM customers ORDER BY external_ref');

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('upsertCustomers', () => {
  it('creates customers and returns them in input order, one row per externalRef', async () => {
    const res = await t.ok(
      UPSERT,
      {
        customers: [
          { externalRef: 'crm-2', region: 'NA', plan: 'basic' },
          { externalRef: 'crm-1', region: 'EU', plan: 'pro', spend: 1999.99, signupChannel: 'web', customerSince: '2024-01-15T00:00:00.000Z', product: 'app', attributes: { seats: 10, tier: 'gold' } },
          { externalRef: 'crm-2', spend: 50 },
        ],
      },
    );
    const out = res.upsertCustomers;
    expect(out.map((c: any) => c.externalRef)).toEqual(['crm-2', 'crm-1', 'crm-2']);
    expect(out[0]).toEqual(out[2]);
    expect(out[0]).toMatchObject({ region: 'NA', plan: 'basic', spend: 50, attributes: {} });
    expect(out[1]).toMatchObject({ region: 'EU', plan: 'pro', spend: 1999.99, signupChannel: 'web', customerSince: '2024-01-15T00:00:00.000Z', product: 'app', attributes: { seats: 10, tier: 'gold' } });
    expect(await all()).toHaveLength(2);
  });

  it('updates only the fields given and merges attributes; the same input twice changes nothing', async () => {
    const [before] = await t.deps.ds.query(`SELECT * FROM customers WHERE external_ref = 'crm-1'`);
    const res = await t.ok(UPSERT, { customers: [{ externalRef: 'crm-1', plan: 'enterprise', region: null, attributes: { seats: 12, nps_owner: 'ana' } }] });
    expect(res.upsertCustomers[0]).toMatchObject({
      id: before.id,
      region: 'EU',
      plan: 'enterprise',
      spend: 1999.99,
      signupChannel: 'web',
      product: 'app',
      attributes: { seats: 12, tier: 'gold', nps_owner: 'ana' },
    });
    const snap = await all();
    await t.ok(UPSERT, { customers: [{ externalRef: 'crm-1', plan: 'enterprise', attributes: { seats: 12 } }] });
    expect(await all()).toEqual(snap); // not even updated_at moves
  });

  it('rejects bad input (and more than 1,000 customers) with BAD_USER_INPUT, storing nothing', async () => {
    const snap = await all();
    for (const [customers, field] of [
      [[{ externalRef: 'ok-1' }, { externalRef: '  ' }], 'customers.1.externalRef'],
      [[{ externalRef: 'ok-1', spend: -1 }], 'customers.0.spend'],
      [[{ externalRef: 'ok-1', region: '' }], 'customers.0.region'],
      [[{ externalRef: 'ok-1', attributes: { big: 'x'.repeat(9_000) } }], 'customers.0.attributes'],
      [Array.from({ length: 1_001 }, (_, i) => ({ externalRef: `many-${i}` })), 'customers'],
    ] as const) {
      const res = await t.exec(UPSERT, { customers });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0].extensions!.field).toBe(field);
    }
    expect(codes(await t.exec(UPSERT, { customers: [{ externalRef: 'ok-1', attributes: [1, 2] }] }))).toEqual(['BAD_USER_INPUT']);
    expect(await all()).toEqual(snap);
  });

  it('rejects a ref with outer whitespace and text the database cannot store (NUL, unpaired surrogate), naming index and field', async () => {
    const snap = await all();
    for (const [customers, field, message] of [
      [[{ externalRef: 'ok-1' }, { externalRef: ' crm-ws' }], 'customers.1.externalRef', 'customers.1.externalRef must not start or end with whitespace. Nothing was stored.'],
      [[{ externalRef: 'crm-ws\t' }], 'customers.0.externalRef', 'customers.0.externalRef must not start or end with whitespace. Nothing was stored.'],
      [[{ externalRef: 'crm\u0000' }], 'customers.0.externalRef', 'customers.0.externalRef contains a NUL character (U+0000) at position 3, which cannot be stored. Nothing was stored.'],
      [[{ externalRef: 'ok-1', region: 'E\u0000U' }], 'customers.0.region', 'customers.0.region contains a NUL character (U+0000) at position 1, which cannot be stored. Nothing was stored.'],
      [[{ externalRef: 'ok-1', product: '\udfff' }], 'customers.0.product', 'customers.0.product contains invalid Unicode (an unpaired UTF-16 surrogate) at position 0. Nothing was stored.'],
      [
        [{ externalRef: 'ok-1' }, { externalRef: 'ok-2', attributes: { a: { b: ['x', 'y\ud800'] } } }],
        'customers.1.attributes',
        'customers.1.attributes.a.b.1 contains invalid Unicode (an unpaired UTF-16 surrogate) at position 1. Nothing was stored.',
      ],
      [[{ externalRef: 'ok-1', attributes: { 'k\u0000': 1 } }], 'customers.0.attributes', 'customers.0.attributes has a key that contains a NUL character (U+0000) at position 1, which cannot be stored. Nothing was stored.'],
    ] as const) {
      const res = await t.exec(UPSERT, { customers });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0].extensions!.field).toBe(field);
      expect(res.errors![0].message).toBe(message);
    }
    expect(await all()).toEqual(snap);
    // Whitespace inside a ref is fine.
    expect((await t.ok(UPSERT, { customers: [{ externalRef: 'crm 7' }] })).upsertCustomers[0].externalRef).toBe('crm 7');
  });

  it('needs WRITE_RESPONSES: EXECUTIVE and MANAGER are FORBIDDEN', async () => {
    const snap = await all();
    for (const v of [viewer(Role.EXECUTIVE), viewer(Role.MANAGER, '00000000-0000-4000-8000-000000000000')]) {
      expect(codes(await t.exec(UPSERT, { customers: [{ externalRef: 'crm-9' }] }, { viewer: v }))).toEqual(['FORBIDDEN']);
    }
    expect(await all()).toEqual(snap);
  });
});

describe('customer(id)', () => {
  it('reads a customer; NOT_FOUND for unknown, BAD_USER_INPUT for malformed, FORBIDDEN without READ_RESPONSES', async () => {
    const [c] = await t.deps.ds.query(`SELECT id FROM customers WHERE external_ref = 'crm-2'`);
    expect((await t.ok(GET, { id: c.id })).customer).toEqual({ id: c.id, externalRef: 'crm-2', region: 'NA', plan: 'basic', spend: 50, attributes: {} });
    expect(codes(await t.exec(GET, { id: '00000000-0000-4000-8000-000000000000' }))).toEqual(['NOT_FOUND']);
    expect(codes(await t.exec(GET, { id: 'crm-2' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.exec(GET, { id: c.id }, { viewer: viewer(Role.INTEGRATION) }))).toEqual(['FORBIDDEN']);
    // Nor through the results of its own upsertCustomers (tests/integration-access.test.ts): id and externalRef only.
    const integ = await t.exec(UPSERT, { customers: [{ externalRef: 'crm-2' }] }, { viewer: viewer(Role.INTEGRATION) });
    expect(new Set(codes(integ))).toEqual(new Set(['FORBIDDEN']));
    expect(integ.data ?? null).toBeNull();
  });

  it('shows a MANAGER only customers with a response in their subtree', async () => {
    const up = `mutation($input: DepartmentInput!) { upsertDepartment(input: $input) { id } }`;
    const a = (await t.ok(up, { input: { code: 'A', name: 'A' } })).upsertDepartment.id;
    const b = (await t.ok(up, { input: { code: 'B', name: 'B' } })).upsertDepartment.id;
    await t.ok(`mutation { upsertSurvey(input: { code: "TX", name: "Tx", kind: TRANSACTIONAL }) { id } }`);
    await t.ok(`mutation { submitResponses(responses: [
      { externalRef: "r-a", surveyCode: "TX", score: 9, respondedAt: "2026-01-01T00:00:00Z", departmentCode: "A", customer: { externalRef: "crm-1" } },
      { externalRef: "r-b", surveyCode: "TX", score: 9, respondedAt: "2026-01-01T00:00:00Z", departmentCode: "B", customer: { externalRef: "crm-2" } }
    ]) { accepted } }`);
    const ids = Object.fromEntries((await t.deps.ds.query(`SELECT id, external_ref FROM customers`)).map((r: any) => [r.external_ref, r.id]));
    const mgrA = viewer(Role.MANAGER, a);
    expect((await t.ok(GET, { id: ids['crm-1'] }, { viewer: mgrA })).customer.externalRef).toBe('crm-1');
    expect(codes(await t.exec(GET, { id: ids['crm-2'] }, { viewer: mgrA }))).toEqual(['NOT_FOUND']);
    expect((await t.ok(GET, { id: ids['crm-2'] }, { viewer: viewer(Role.MANAGER, b) })).customer.externalRef).toBe('crm-2');
  });
});
