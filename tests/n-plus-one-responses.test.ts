import { createTestApp, TestApp } from './support/test-app';

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
  const spy = jest.spyOn(require('pg').Client.prototype, 'query');
  try {
    const data = await t.ok(PAGE, { first });
    expect(data.responses.edges).toHaveLength(first);
    expect(data.responses.edges.every((e: any) => e.node.survey && e.node.customer && e.node.department?.parent)).toBe(true);
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
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
