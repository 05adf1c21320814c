import { createTestApp, codes, TestApp } from './support/test-app';
import { Role, Viewer } from '../src/modules/auth/viewer';

let t: TestApp;
const viewer = (role: Role, departmentId: string | null = null): Viewer => ({ keyId: null, name: role.toLowerCase(), role, departmentId });
const dept: Record<string, string> = {};

const PAGE = `query($filter: ResponseFilter, $first: Int, $after: String) {
  responses(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id externalRef score category respondedAt department { code } survey { code kind } customer { externalRef region } agent { email } } }
  }
}`;
const page = (vars: Record<string, unknown>, v?: Viewer) => t.ok(PAGE, vars, { viewer: v }).then((d) => d.responses);

/** Walks every page and returns the external refs in order. */
async function walk(first: number, filter?: unknown, v?: Viewer): Promise<string[]> {
  const refs: string[] = [];
  let after: string | null = null;
  for (;;) {
    const p: any = await page({ first, after, filter }, v);
    refs.push(...p.edges.map((e: any) => e.node.externalRef));
    if (!p.pageInfo.hasNextPage) return refs;
    after = p.pageInfo.endCursor;
  }
}

const T0 = Date.parse('2026-03-01T00:00:00Z');
beforeAll(async () => {
  t = await createTestApp();
  const up = `mutation($input: DepartmentInput!) { upsertDepartment(input: $input) { id code } }`;
  for (const [code, parentCode] of [['CO', null], ['SALES', 'CO'], ['SALES-EU', 'SALES'], ['SUPPORT', 'CO']] as const) {
    dept[code] = (await t.ok(up, { input: { code, name: code, parentCode } })).upsertDepartment.id;
  }
  await t.ok(`mutation { upsertPerson(input: { email: "rep@example.com", name: "Rep", departmentCode: "SALES-EU" }) { id } }`);
  await t.ok(`mutation { upsertSurvey(input: { code: "TX", name: "Tx", kind: TRANSACTIONAL }) { id } }`);
  await t.ok(`mutation { upsertSurvey(input: { code: "REL", name: "Rel", kind: RELATIONSHIP }) { id } }`);
  // 30 responses; groups of three share a respondedAt (ties are broken by id).
  const rows = Array.from({ length: 30 }, (_, i) => ({
    externalRef: `r-${String(i).padStart(2, '0')}`,
    surveyCode: i % 2 ? 'TX' : 'REL',
    score: i % 11,
    respondedAt: new Date(T0 + Math.floor(i / 3) * 3_600_000).toISOString(),
    departmentCode: ['SALES', 'SALES-EU', 'SUPPORT'][i % 3],
    agentEmail: i % 3 === 1 ? 'rep@example.com' : null,
    channel: i % 2 ? 'email' : 'sms',
    customer: { externalRef: `c-${i % 5}`, region: i % 5 < 2 ? 'EU' : 'NA', plan: 'pro' },
  }));
  const res = await t.ok(`mutation($rows: [ResponseInput!]!) { submitResponses(responses: $rows) { accepted } }`, { rows });
  expect(res.submitResponses.accepted).toBe(30);
});
afterAll(() => t.close());

describe('responses', () => {
  it('orders by respondedAt desc, id desc, with nested fields and a totalCount of the whole filter', async () => {
    const p = await page({ first: 7 });
    expect(p.totalCount).toBe(30);
    expect(p.edges).toHaveLength(7);
    expect(p.pageInfo.hasNextPage).toBe(true);
    const all = await t.deps.ds.query(`SELECT external_ref FROM responses ORDER BY responded_at DESC, id DESC`);
    expect(p.edges.map((e: any) => e.node.externalRef)).toEqual(all.slice(0, 7).map((r: any) => r.external_ref));
    const n = p.edges.find((e: any) => e.node.externalRef === 'r-28').node;
    expect(n).toMatchObject({ score: 6, category: 'DETRACTOR', department: { code: 'SALES-EU' }, survey: { code: 'REL', kind: 'RELATIONSHIP' }, customer: { externalRef: 'c-3', region: 'NA' }, agent: { email: 'rep@example.com' } });
    expect(p.edges.find((e: any) => e.node.externalRef === 'r-27').node.agent).toBeNull();
  });

  it('paginates stably through ties on respondedAt: every row once, same order as the SQL order', async () => {
    const expected = (await t.deps.ds.query(`SELECT external_ref FROM responses ORDER BY responded_at DESC, id DESC`)).map((r: any) => r.external_ref);
    for (const size of [1, 2, 4, 7, 30, 500]) expect(await walk(size)).toEqual(expected);
  });

  it('keeps a later page stable when newer responses arrive between pages', async () => {
    const first = await page({ first: 5 });
    await t.ok(`mutation { submitResponses(responses: [{ externalRef: "late", surveyCode: "TX", score: 9, respondedAt: "2026-04-01T00:00:00Z" }]) { accepted } }`);
    const second = await page({ first: 5, after: first.pageInfo.endCursor });
    const expected = (await t.deps.ds.query(`SELECT external_ref FROM responses WHERE external_ref <> 'late' ORDER BY responded_at DESC, id DESC LIMIT 5 OFFSET 5`)).map((r: any) => r.external_ref);
    expect(second.edges.map((e: any) => e.node.externalRef)).toEqual(expected);
    expect(second.totalCount).toBe(31);
    await t.deps.ds.query(`DELETE FROM outbox_events WHERE aggregate_id = (SELECT id FROM responses WHERE external_ref = 'late')`);
    await t.deps.ds.query(`DELETE FROM action_items WHERE response_id = (SELECT id FROM responses WHERE external_ref = 'late')`);
    await t.deps.ds.query(`DELETE FROM responses WHERE external_ref = 'late'`);
  });

  it('applies the filter through the filter compiler (dates, departments with subtree, surveys, channels, regions)', async () => {
    const filter = { departmentIds: [dept.SALES], channels: ['email'], regions: ['EU'], from: new Date(T0 + 3_600_000).toISOString() };
    const refs = await walk(3, filter);
    const expected = (
      await t.deps.ds.query(
        `SELECT r.external_ref FROM responses r JOIN customers c ON c.id = r.customer_id JOIN departments d ON d.id = r.department_id
         WHERE d.code IN ('SALES', 'SALES-EU') AND r.channel = 'email' AND c.region = 'EU' AND r.responded_at >= $1
         ORDER BY r.responded_at DESC, r.id DESC`,
        [new Date(T0 + 3_600_000)],
      )
    ).map((r: any) => r.external_ref);
    expect(expected.length).toBeGreaterThan(0);
    expect(refs).toEqual(expected);
    expect((await page({ first: 1, filter })).totalCount).toBe(expected.length);
    expect((await page({ filter: { surveyKind: 'TRANSACTIONAL' } })).totalCount).toBe(15);
  });

  it('refuses a malformed cursor, a page size over 500 or below 0, and a bad filter with BAD_USER_INPUT', async () => {
    for (const vars of [
      { after: 'not-a-cursor' },
      { after: Buffer.from('["2026-01-01T00:00:00Z","x"]').toString('base64url') },
      { after: Buffer.from('[1,2,3]').toString('base64url') },
      { first: 501 },
      { first: -1 },
      { filter: { departmentIds: ['nope'] } },
      { filter: { from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z' } },
    ]) {
      const res = await t.exec(PAGE, vars);
      expect([vars, codes(res)]).toEqual([vars, ['BAD_USER_INPUT']]);
    }
    expect((await page({ first: 0 })).edges).toEqual([]);
  });

  it('answers response(id), NOT_FOUND for an unknown id, BAD_USER_INPUT for a malformed one', async () => {
    const [row] = await t.deps.ds.query(`SELECT id FROM responses WHERE external_ref = 'r-05'`);
    const q = `query($id: ID!) { response(id: $id) { externalRef score category survey { code } } }`;
    expect((await t.ok(q, { id: row.id })).response).toEqual({ externalRef: 'r-05', score: 5, category: 'DETRACTOR', survey: { code: 'TX' } });
    expect(codes(await t.exec(q, { id: '00000000-0000-4000-8000-000000000000' }))).toEqual(['NOT_FOUND']);
    expect(codes(await t.exec(q, { id: 'r-05' }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('access', () => {
  it('confines a MANAGER to their subtree, in lists, counts and response(id)', async () => {
    const mgr = viewer(Role.MANAGER, dept.SALES);
    const refs = await walk(4, undefined, mgr);
    const expected = (
      await t.deps.ds.query(
        `SELECT r.external_ref FROM responses r JOIN departments d ON d.id = r.department_id WHERE d.code IN ('SALES', 'SALES-EU') ORDER BY r.responded_at DESC, r.id DESC`,
      )
    ).map((r: any) => r.external_ref);
    expect(refs).toEqual(expected);
    expect(expected).toHaveLength(20);
    expect((await page({ first: 1 }, mgr)).totalCount).toBe(20);
    const leaf = viewer(Role.MANAGER, dept['SALES-EU']);
    expect((await page({ first: 1 }, leaf)).totalCount).toBe(10);
    // Asking for a department outside the subtree is FORBIDDEN, not silently empty.
    expect(codes(await t.exec(PAGE, { filter: { departmentIds: [dept.SUPPORT] } }, { viewer: mgr }))).toEqual(['FORBIDDEN']);
    const [outside] = await t.deps.ds.query(`SELECT r.id FROM responses r JOIN departments d ON d.id = r.department_id WHERE d.code = 'SUPPORT' LIMIT 1`);
    const [inside] = await t.deps.ds.query(`SELECT r.id FROM responses r JOIN departments d ON d.id = r.department_id WHERE d.code = 'SALES-EU' LIMIT 1`);
    const q = `query($id: ID!) { response(id: $id) { id } }`;
    expect(codes(await t.exec(q, { id: outside.id }, { viewer: mgr }))).toEqual(['NOT_FOUND']);
    expect((await t.ok(q, { id: inside.id }, { viewer: mgr })).response.id).toBe(inside.id);
  });

  it('lets ADMIN, EXECUTIVE and MANAGER read responses; INTEGRATION keys may not', async () => {
    expect((await page({ first: 1 }, viewer(Role.EXECUTIVE))).totalCount).toBe(30);
    expect(codes(await t.exec(PAGE, { first: 1 }, { viewer: viewer(Role.INTEGRATION) }))).toEqual(['FORBIDDEN']);
    const [row] = await t.deps.ds.query(`SELECT id FROM responses LIMIT 1`);
    expect(codes(await t.exec(`query($id: ID!) { response(id: $id) { id } }`, { id: row.id }, { viewer: viewer(Role.INTEGRATION) }))).toEqual(['FORBIDDEN']);
  });
});
