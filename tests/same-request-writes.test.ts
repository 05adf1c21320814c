import { createTestApp, TestApp } from './support/test-app';

/**
 * Several mutations in ONE request touching the same object: mutations run in order, and each
 * result (and its nested fields, resolved through per-request loaders and caches) must show what
 * its own write left, never figures cached by an earlier field of the request. Each result is
 * compared with a fresh query in a new request.
 */
let t: TestApp;
const ids: Record<string, string> = {};
const NOW = new Date('2025-06-01T00:00:00Z');
const now = () => NOW;

beforeAll(async () => {
  t = await createTestApp();
  const q = (s: string, p: unknown[] = []) => t.db.dataSource.query(s, p);
  [{ id: ids.CO }] = await q(`INSERT INTO departments (code, name) VALUES ('CO', 'Company') RETURNING id`);
  [{ id: ids.EU }] = await q(`INSERT INTO departments (code, name, parent_id) VALUES ('EU', 'Europe', $1) RETURNING id`, [ids.CO]);
  [{ id: ids.US }] = await q(`INSERT INTO departments (code, name, parent_id) VALUES ('US', 'America', $1) RETURNING id`, [ids.CO]);
  [{ id: ids.survey }] = await q(`INSERT INTO surveys (code, name, kind) VALUES ('NPS-Q', 'Quarterly', 'RELATIONSHIP') RETURNING id`);
  [{ id: ids.owner }] = await q(`INSERT INTO people (name, email) VALUES ('Owner', 'owner@example.com') RETURNING id`);
  const [{ id: emea }] = await q(`INSERT INTO customers (external_ref, region, plan, spend) VALUES ('c1', 'EMEA', 'pro', 5000) RETURNING id`);
  const [{ id: latam }] = await q(`INSERT INTO customers (external_ref, region, plan, spend) VALUES ('c2', 'LATAM', 'free', 0) RETURNING id`);
  const rows: [number, string, string][] = [
    [10, 'EU', emea],
    [9, 'EU', emea],
    [2, 'EU', emea],
    [8, 'US', latam],
    [1, 'US', latam],
  ];
  for (const [i, [score, dept, customer]] of rows.entries()) {
    await q(`INSERT INTO responses (external_ref, score, responded_at, survey_id, department_id, channel, customer_id) VALUES ($1, $2, $3, $4, $5, 'email', $6)`, [
      `r${i}`,
      score,
      `2025-02-1${i}T00:00:00Z`,
      ids.survey,
      ids[dept],
      customer,
    ]);
  }
  const { createKpiTarget } = await t.ok(
    `mutation($input: CreateKpiTargetInput!) { createKpiTarget(input: $input) { id } }`,
    { input: { ownerId: ids.owner, metric: 'NPS', target: 0, periodStart: '2025-01-01T00:00:00Z', periodEnd: '2025-04-01T00:00:00Z', departmentId: ids.EU } },
    { now },
  );
  ids.target = createKpiTarget.id;
  const { createSegment } = await t.ok(`mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }`, {
    input: { name: 'By region', filter: { regions: ['EMEA'] } },
  });
  ids.segment = createSegment.id;
});
afterAll(() => t.close());

describe('KPI targets', () => {
  const KPI = `target gap status actual score { responses nps } department { code }`;

  it('a second updateKpiTarget of one target shows its own gap and status', async () => {
    const data = await t.ok(
      `mutation($t: ID!) { a: updateKpiTarget(id: $t, input: { target: -90 }) { ${KPI} } b: updateKpiTarget(id: $t, input: { target: 90 }) { ${KPI} } }`,
      { t: ids.target },
      { now },
    );
    const fresh = (await t.ok(`query($t: ID!) { kpiTarget(id: $t) { ${KPI} } }`, { t: ids.target }, { now })).kpiTarget;
    expect(data.b).toEqual(fresh);
    expect(data.b.target).toBe(90);
    expect(data.a.status).not.toBe(data.b.status);
  });

  it('a second update moving the target to another department measures the new scope', async () => {
    const data = await t.ok(
      `mutation($t: ID!, $eu: ID!, $us: ID!) { a: updateKpiTarget(id: $t, input: { departmentId: $eu }) { ${KPI} } b: updateKpiTarget(id: $t, input: { departmentId: $us }) { ${KPI} } }`,
      { t: ids.target, eu: ids.EU, us: ids.US },
      { now },
    );
    const fresh = (await t.ok(`query($t: ID!) { kpiTarget(id: $t) { ${KPI} } }`, { t: ids.target }, { now })).kpiTarget;
    expect(data.b).toEqual(fresh);
    expect(data.a.score.responses).toBe(3);
    expect(data.b.score.responses).toBe(2);
  });

  it("an owner's targets read after an update of one of them show the update", async () => {
    const OWNER = `upsertPerson(input: { email: "owner@example.com", name: "Owner" }) { targets { id target } }`;
    const data = await t.ok(`mutation($t: ID!) { a: ${OWNER} u: updateKpiTarget(id: $t, input: { target: 12 }) { target } b: ${OWNER} }`, { t: ids.target }, { now });
    expect(data.b.targets).toEqual([{ id: ids.target, target: 12 }]);
  });
});

describe('segments', () => {
  it('a second updateSegment scores its own filter', async () => {
    const data = await t.ok(
      `mutation($s: ID!) {
        a: updateSegment(id: $s, input: { filter: { regions: ["EMEA"] } }) { score { responses } }
        b: updateSegment(id: $s, input: { filter: { regions: ["LATAM"] } }) { filter { regions } score { responses } }
      }`,
      { s: ids.segment },
    );
    const fresh = (await t.ok(`query($s: ID!) { segment(id: $s) { filter { regions } score { responses } } }`, { s: ids.segment })).segment;
    expect(data.a.score.responses).toBe(3);
    expect(data.b).toEqual(fresh);
    expect(data.b).toEqual({ filter: { regions: ['LATAM'] }, score: { responses: 2 } });
  });

  it('a KPI target over the segment is measured again after the segment changes', async () => {
    await t.ok(`mutation($s: ID!) { updateSegment(id: $s, input: { filter: { regions: ["EMEA"] } }) { id } }`, { s: ids.segment });
    const KPI = `kpiTarget(id: $t) { score { responses } }`;
    await t.ok(`mutation($t: ID!, $s: ID!, $co: ID!) { updateKpiTarget(id: $t, input: { segmentId: $s, departmentId: $co }) { id } }`, { t: ids.target, s: ids.segment, co: ids.CO }, { now });
    const data = await t.ok(
      `mutation($t: ID!, $s: ID!) {
        a: updateKpiTarget(id: $t, input: { target: 1 }) { score { responses } }
        s: updateSegment(id: $s, input: { filter: { regions: ["LATAM"] } }) { id }
        b: updateKpiTarget(id: $t, input: { target: 2 }) { score { responses } }
      }`,
      { t: ids.target, s: ids.segment },
      { now },
    );
    const fresh = (await t.ok(`query($t: ID!) { ${KPI} }`, { t: ids.target }, { now })).kpiTarget;
    expect(data.a.score.responses).toBe(3);
    expect(data.b).toEqual(fresh);
    expect(fresh.score.responses).toBe(2);
  });
});

describe('action items', () => {
  const EVENTS = `version status events { field fromValue toValue }`;
  const update = (alias: string, status: string) => `${alias}: updateActionItem(input: { id: $id, status: ${status} }) { ${EVENTS} }`;
  const create = async () =>
    (await t.ok(`mutation { createActionItem(input: { title: "Call back" }) { id } }`, {}, { now })).createActionItem.id as string;

  it("a second updateActionItem of one item lists its own status change in events", async () => {
    const id = await create();
    const data = await t.ok(`mutation($id: ID!) { ${update('a', 'IN_PROGRESS')} ${update('b', 'BLOCKED')} }`, { id }, { now });
    const fresh = (await t.ok(`query($id: ID!) { actionItem(id: $id) { ${EVENTS} } }`, { id })).actionItem;
    expect(data.b).toEqual(fresh);
    expect(data.b.events.map((e: any) => e.toValue)).toContain('BLOCKED');
  });

  it('bulk results after an earlier read of the events in the request are never older than their own write', async () => {
    const id = await create();
    const data = await t.ok(
      `mutation($id: ID!) {
        ${update('a', 'IN_PROGRESS')}
        bulk: bulkUpdateActionItems(updates: [{ id: $id, status: BLOCKED }, { id: $id, status: WONT_DO }]) { results { status item { ${EVENTS} } } }
      }`,
      { id },
      { now },
    );
    const fresh = (await t.ok(`query($id: ID!) { actionItem(id: $id) { ${EVENTS} } }`, { id })).actionItem;
    const [r0, r1] = data.bulk.results;
    expect(r1.item).toEqual(fresh);
    // Documented: a result's own fields are as its update left them; its events are read after
    // the whole call, so they include the later update of the same item.
    expect(r0.item.version).toBe(fresh.version - 1);
    expect(r0.item.status).toBe('BLOCKED');
    expect(r0.item.events).toEqual(fresh.events);
  });
});

describe('departments and people', () => {
  it('a second upsertDepartment of one code shows its own name and parent, also through loaders', async () => {
    const data = await t.ok(`mutation {
      p: upsertPerson(input: { email: "x@example.com", name: "X", departmentCode: "EU" }) { department { name parent { code } } }
      a: upsertDepartment(input: { code: "EU", name: "Europe A", parentCode: "CO" }) { name parent { code } }
      b: upsertDepartment(input: { code: "EU", name: "Europe B", parentCode: "US" }) { name parent { code } }
      q: upsertPerson(input: { email: "x@example.com", name: "X" }) { department { name parent { code } } }
    }`);
    const fresh = (await t.ok(`query($id: ID!) { department(id: $id) { name parent { code } } }`, { id: ids.EU })).department;
    expect(data.b).toEqual(fresh);
    expect(data.q.department).toEqual(fresh);
    expect(fresh).toEqual({ name: 'Europe B', parent: { code: 'US' } });
    await t.ok(`mutation { upsertDepartment(input: { code: "EU", name: "Europe", parentCode: "CO" }) { id } }`);
  });

  it("a department's children read again after a new child is added in the same request", async () => {
    const CO = `upsertDepartment(input: { code: "CO", name: "Company" }) { children { code } }`;
    const data = await t.ok(`mutation { a: ${CO} n: upsertDepartment(input: { code: "APAC", name: "Asia", parentCode: "CO" }) { id } b: ${CO} }`);
    const fresh = (await t.ok(`query($id: ID!) { department(id: $id) { children { code } } }`, { id: ids.CO })).department;
    expect(data.b).toEqual(fresh);
    expect(fresh.children.map((c: any) => c.code)).toContain('APAC');
  });

  it('a person and their manager read through loaders after upserts in the same request', async () => {
    const data = await t.ok(`mutation {
      m1: upsertPerson(input: { email: "boss@example.com", name: "Boss" }) { reports { name } }
      r1: upsertPerson(input: { email: "rep@example.com", name: "Rep", managerEmail: "boss@example.com" }) { manager { name } }
      m2: upsertPerson(input: { email: "boss@example.com", name: "Big Boss" }) { name reports { name } }
      r2: upsertPerson(input: { email: "rep@example.com", name: "Rep" }) { manager { name } }
    }`);
    expect(data.m1.reports).toEqual([]);
    expect(data.m2).toEqual({ name: 'Big Boss', reports: [{ name: 'Rep' }] });
    expect(data.r2.manager).toEqual({ name: 'Big Boss' });
  });
});
