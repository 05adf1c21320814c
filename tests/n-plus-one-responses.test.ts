import { createTestApp, TestApp, viewers } from './support/test-app';
import { Viewer } from '../src/modules/auth/viewer';
import { countStatements } from './support/statements';

let t: TestApp;

const PAGE = `query($first: Int) {
  responses(first: $first) {
    totalCount
    edges { node { id score category survey { code kind } customer { externalRef region } department { code parent { code } } agent { email department { code } } } }
  }
}`;

beforeAll(async () => {
  t = await createTestApp();
  const up = `mutation($input: DepartmentInput!) { upsertDepartment(input: $input) { id } }`;
  await t.ok(up, { input: { code: 'CO', name: 'Company' } });
  for (let d = 0; d < 10; d++) await t.ok(up, { input: { code: `D${d}`, name: `D${d}`, parentCode: d < 5 ? 'CO' : `D${d - 5}` } });
  for (let s = 0; s < 5; s++) await t.ok(`mutation { upsertSurvey(input: { code: "S${s}", name: "S", kind: TRANSACTIONAL }) { id } }`);
  for (let p = 0; p < 5; p++) await t.ok(`mutation { upsertPerson(input: { email: "p${p}@example.com", name: "P", departmentCode: "D${p}" }) { id } }`);
  const rows = Array.from({ length: 120 }, (_, i) => ({
    externalRef: `r-${i}`,
    surveyCode: `S${i % 5}`,
    score: i % 11,
    respondedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    departmentCode: `D${i % 10}`,
    agentEmail: `p${i % 5}@example.com`,
    customer: { externalRef: `c-${i % 60}`, region: 'EU' },
  }));
  expect((await t.ok(`mutation($rows: [ResponseInput!]!) { submitResponses(responses: $rows) { accepted } }`, { rows })).submitResponses.accepted).toBe(120);
});
afterAll(() => t.close());

/** Runs the page and counts SQL statements sent through the pg driver. */
async function statementsFor(first: number): Promise<number> {
  const { count, result: data } = await countStatements(() => t.ok(PAGE, { first }));
  expect(data.responses.edges).toHaveLength(first);
  expect(data.responses.edges.every((e: any) => e.node.survey && e.node.customer && e.node.department?.parent)).toBe(true);
  return count;
}

describe('responses page: no N+1', () => {
  it('uses a small, constant number of statements whatever the page size', async () => {
    const ten = await statementsFor(10);
    const fifty = await statementsFor(50);
    // page + count, then one batched load per level: surveys, customers, departments, people, parents.
    expect(fifty).toBeLessThanOrEqual(8);
    expect(fifty).toBe(ten);
  });
});

const ITEMS = `query($first: Int) {
  actionItems(first: $first) { edges { node { id response { id comment customer { externalRef region } } } } }
}`;

describe('action items with their responses and customers: no N+1, for a MANAGER too', () => {
  let d0: string;
  beforeAll(async () => {
    // 60 items of D0 (the manager's subtree is D0 and D5), newest of all, following up responses of
    // every department: a manager's page mixes responses it may read with ones refused on the field.
    const q = (sql: string, p: unknown[] = []) => t.db.dataSource.query(sql, p);
    [{ id: d0 }] = await q(`SELECT id FROM departments WHERE code = 'D0'`);
    for (let i = 0; i < 60; i++) {
      await q(
        `INSERT INTO action_items (title, department_id, response_id, created_at, updated_at)
         SELECT $1, $2, id, $3, $3 FROM responses WHERE external_ref = $4`,
        [`item ${i}`, d0, new Date(Date.UTC(2030, 0, 1) + i * 1000).toISOString(), `r-${i}`],
      );
    }
  });

  async function itemStatements(first: number, viewer?: Viewer): Promise<number> {
    const { count, result: res } = await countStatements(() => t.exec(ITEMS, { first }, { viewer }));
    const edges = res.data!.actionItems.edges;
    expect(edges).toHaveLength(first);
    const refused = edges.filter((e: any) => e.node.response === null).length;
    expect(res.errors?.length ?? 0).toBe(refused);
    if (viewer) expect(refused).toBeGreaterThan(0);
    else expect(refused).toBe(0);
    for (const e of edges) if (e.node.response) expect(e.node.response.customer.region).toBe('EU');
    return count;
  }

  it('uses a small, constant number of statements whatever the page size', async () => {
    const admin = [await itemStatements(10), await itemStatements(50)];
    const manager = [await itemStatements(10, viewers.manager(d0)), await itemStatements(50, viewers.manager(d0))];
    // page + count, responses, customers; the manager's subtree is read once more per request.
    expect(admin[1]).toBe(admin[0]);
    expect(admin[1]).toBeLessThanOrEqual(4);
    expect(manager[1]).toBe(manager[0]);
    expect(manager[1]).toBeLessThanOrEqual(admin[1] + 1);
  });
});
