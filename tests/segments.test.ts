import { createTestApp, codes, TestApp } from './support/test-app';
import { Role, Viewer } from '../src/modules/auth/viewer';
import { countStatements } from './support/statements';

/** Segments: CRUD, unique names, filter validation, scores narrowed by a filter, access rules. */
let t: TestApp;
const ids: Record<string, string> = {};
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const manager = (departmentId: string): Viewer => ({ keyId: null, name: 'mgr', role: Role.MANAGER, departmentId });
const executive: Viewer = { keyId: null, name: 'exec', role: Role.EXECUTIVE, departmentId: null };
const integration: Viewer = { keyId: null, name: 'int', role: Role.INTEGRATION, departmentId: null };

const FIELDS = `id name description filter { from to departmentIds surveyIds surveyKind channels regions plans spendMin spendMax tenureMinDays minScore hasComment departments { code } surveys { code } }`;
const CREATE = `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateSegmentInput!) { updateSegment(id: $id, input: $input) { ${FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteSegment(id: $id) }`;
const LIST = `{ segments { name } }`;
const names = async () => (await t.ok(LIST)).segments.map((s: any) => s.name);

beforeAll(async () => {
  t = await createTestApp();
  const q = (s: string, p: unknown[] = []) => t.db.dataSource.query(s, p);
  [{ id: ids.CO }] = await q(`INSERT INTO departments (code, name) VALUES ('CO', 'Company') RETURNING id`);
  [{ id: ids.EU }] = await q(`INSERT INTO departments (code, name, parent_id) VALUES ('EU', 'Europe', $1) RETURNING id`, [ids.CO]);
  [{ id: ids.US }] = await q(`INSERT INTO departments (code, name, parent_id) VALUES ('US', 'America', $1) RETURNING id`, [ids.CO]);
  [{ id: ids.survey }] = await q(`INSERT INTO surveys (code, name, kind) VALUES ('NPS-Q', 'Quarterly', 'RELATIONSHIP') RETURNING id`);
  [{ id: ids.owner }] = await q(`INSERT INTO people (name) VALUES ('Owner') RETURNING id`);
  const [{ id: pro }] = await q(`INSERT INTO customers (external_ref, region, plan, spend) VALUES ('c1', 'EU', 'pro', 5000) RETURNING id`);
  const [{ id: free }] = await q(`INSERT INTO customers (external_ref, region, plan, spend) VALUES ('c2', 'EU', 'free', 0) RETURNING id`);
  const rows: [number, string, string, string | null][] = [
    [10, 'EU', 'email', pro],
    [9, 'EU', 'email', pro],
    [2, 'EU', 'sms', pro],
    [8, 'US', 'email', pro],
    [1, 'US', 'email', free],
    [10, 'US', 'email', null],
  ];
  for (const [i, [score, dept, channel, customer]] of rows.entries()) {
    await q(`INSERT INTO responses (external_ref, score, responded_at, survey_id, department_id, channel, customer_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      `r${i}`,
      score,
      `2025-0${1 + (i % 3)}-10T00:00:00Z`,
      ids.survey,
      ids[dept],
      channel,
      customer,
    ]);
  }
});
afterAll(() => t.close());

describe('creating segments', () => {
  it('saves the validated filter and shows it back field by field', async () => {
    const { createSegment: s } = await t.ok(CREATE, {
      input: {
        name: '  Pro customers  ',
        description: 'Paying plans',
        filter: { plans: ['pro', 'pro'], channels: [], departmentIds: [ids.CO.toUpperCase()], surveyIds: [ids.survey], spendMin: 100, from: '2025-01-01T00:00:00Z' },
      },
    });
    ids.pro = s.id;
    expect(s).toEqual({
      id: expect.any(String),
      name: 'Pro customers',
      description: 'Paying plans',
      filter: {
        from: '2025-01-01T00:00:00.000Z',
        to: null,
        departmentIds: [ids.CO],
        surveyIds: [ids.survey],
        surveyKind: null,
        channels: null,
        regions: null,
        plans: ['pro'],
        spendMin: 100,
        spendMax: null,
        tenureMinDays: null,
        minScore: null,
        hasComment: null,
        departments: [{ code: 'CO' }],
        surveys: [{ code: 'NPS-Q' }],
      },
    });
    const [row] = await t.db.dataSource.query('SELECT filter FROM segments WHERE id = $1', [s.id]);
    expect(row.filter).toEqual({ from: '2025-01-01T00:00:00.000Z', departmentIds: [ids.CO], surveyIds: [ids.survey], plans: ['pro'], spendMin: 100 });
    const one = await t.ok(`query($id: ID!) { segment(id: $id) { name } }`, { id: s.id });
    expect(one.segment.name).toBe('Pro customers');
  });

  it('refuses a name already used, in any case, with CONFLICT', async () => {
    for (const name of ['Pro customers', 'PRO CUSTOMERS', ' pro customers']) {
      const res = await t.exec(CREATE, { input: { name, filter: {} } });
      expect(codes(res)).toEqual(['CONFLICT']);
      expect(res.errors![0].extensions!.segmentId).toBe(ids.pro);
    }
    expect(await names()).toEqual(['Pro customers']);
  });

  it('validates the filter and creates nothing when it is wrong', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ segmentId: ids.pro }, 'BAD_USER_INPUT', 'input.filter.segmentId'],
      [{ departmentIds: [UNKNOWN] }, 'NOT_FOUND', 'input.filter.departmentIds'],
      [{ surveyIds: [UNKNOWN] }, 'NOT_FOUND', 'input.filter.surveyIds'],
      [{ agentIds: [UNKNOWN] }, 'NOT_FOUND', 'input.filter.agentIds'],
      [{ departmentIds: ['x'] }, 'BAD_USER_INPUT', 'input.filter.departmentIds'],
      [{ from: '2025-02-01T00:00:00Z', to: '2025-01-01T00:00:00Z' }, 'BAD_USER_INPUT', 'input.filter.to'],
      [{ spendMin: 10, spendMax: 1 }, 'BAD_USER_INPUT', 'input.filter.spendMax'],
    ];
    for (const [filter, code, field] of cases) {
      const res = await t.exec(CREATE, { input: { name: 'Bad', filter } });
      expect([field, codes(res)]).toEqual([field, [code]]);
      expect(res.errors![0].extensions!.field).toBe(field);
    }
    for (const name of ['', '   ']) expect(codes(await t.exec(CREATE, { input: { name, filter: {} } }))).toEqual(['BAD_USER_INPUT']);
    expect(await names()).toEqual(['Pro customers']);
  });

  it('needs WRITE_SEGMENTS: executives may, managers and integrations may not', async () => {
    const ok = await t.ok(CREATE, { input: { name: 'Email', filter: { channels: ['email'] } } }, { viewer: executive });
    ids.email = ok.createSegment.id;
    for (const viewer of [manager(ids.CO), integration]) {
      expect(codes(await t.exec(CREATE, { input: { name: 'Nope', filter: {} } }, { viewer }))).toEqual(['FORBIDDEN']);
      expect(codes(await t.exec(UPDATE, { id: ids.email, input: { name: 'Nope' } }, { viewer }))).toEqual(['FORBIDDEN']);
      expect(codes(await t.exec(DELETE, { id: ids.email }, { viewer }))).toEqual(['FORBIDDEN']);
    }
    expect(await names()).toEqual(['Email', 'Pro customers']);
    // Reading the list only needs READ_ORG: an integration key may.
    expect((await t.ok(LIST, {}, { viewer: integration })).segments).toHaveLength(2);
  });
});

describe('segment scores', () => {
  const SCORE = `query($id: ID!, $f: ResponseFilter) { segment(id: $id) { score(filter: $f) { responses promoters detractors } } }`;

  it("is the segment's own filter, narrowed by the given one, and agrees with npsSummary(segmentId)", async () => {
    // Pro customers: r0 (10), r1 (9), r2 (2), r3 (8), all from 2025-01-01 on, spend 5000 >= 100.
    const all = await t.ok(SCORE, { id: ids.pro });
    expect(all.segment.score).toEqual({ responses: 4, promoters: 2, detractors: 1 });
    const eu = await t.ok(SCORE, { id: ids.pro, f: { departmentIds: [ids.EU] } });
    expect(eu.segment.score).toEqual({ responses: 3, promoters: 2, detractors: 1 });
    const narrowed = await t.ok(SCORE, { id: ids.pro, f: { channels: ['sms'], segmentId: ids.pro } });
    expect(narrowed.segment.score).toEqual({ responses: 1, promoters: 0, detractors: 1 });
    const summary = await t.ok(`query($f: ResponseFilter) { npsSummary(filter: $f) { responses promoters detractors } }`, {
      f: { segmentId: ids.pro, departmentIds: [ids.EU] },
    });
    expect(summary.npsSummary).toEqual(eu.segment.score);
  });

  it('refuses a filter naming another segment', async () => {
    const res = await t.exec(SCORE, { id: ids.pro, f: { segmentId: ids.email } });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  });

  it("confines a MANAGER's segment scores to their subtree and refuses INTEGRATION keys", async () => {
    const mine = await t.ok(SCORE, { id: ids.email }, { viewer: manager(ids.US) });
    expect(mine.segment.score.responses).toBe(3); // r3, r4, r5: email in US
    const all = await t.ok(SCORE, { id: ids.email });
    expect(all.segment.score.responses).toBe(5);
    expect(codes(await t.exec(SCORE, { id: ids.email, f: { departmentIds: [ids.EU] } }, { viewer: manager(ids.US) }))).toEqual(['FORBIDDEN']);
    expect(codes(await t.exec(SCORE, { id: ids.email }, { viewer: integration }))).toEqual(['FORBIDDEN']);
  });

  it('scores every segment of a list in one statement', async () => {
    for (let i = 0; i < 6; i++) await t.ok(CREATE, { input: { name: `Score ${i}`, filter: { minScore: i } } });
    const { count, result: data } = await countStatements(() => t.ok(`{ segments { name score { responses } } }`));
    // the list, then one UNION ALL of every score
    expect(count).toBe(2);
    const byName = Object.fromEntries(data.segments.map((s: any) => [s.name, s.score.responses]));
    expect(byName).toMatchObject({ Email: 5, 'Pro customers': 4, 'Score 0': 6, 'Score 2': 5, 'Score 5': 4 });
  });
});

describe('updating segments', () => {
  it('renames, replaces the filter and clears the description', async () => {
    const { updateSegment: s } = await t.ok(UPDATE, { id: ids.pro, input: { name: 'Pro EU', description: null, filter: { plans: ['pro'], regions: ['EU'] } } });
    expect(s).toMatchObject({ name: 'Pro EU', description: null, filter: { plans: ['pro'], regions: ['EU'], from: null, departmentIds: null, spendMin: null } });
    const score = await t.ok(`query($id: ID!) { segment(id: $id) { score { responses } } }`, { id: ids.pro });
    expect(score.segment.score.responses).toBe(4); // r0..r3 are pro customers in EU
    const same = await t.ok(UPDATE, { id: ids.pro, input: { name: 'PRO eu' } });
    expect(same.updateSegment.name).toBe('PRO eu'); // its own name in another case is free
    const kept = await t.ok(UPDATE, { id: ids.pro, input: { description: 'kept filter' } });
    expect(kept.updateSegment.filter.plans).toEqual(['pro']);
  });

  it('refuses a clash, a bad filter or an unknown id and changes nothing', async () => {
    expect(codes(await t.exec(UPDATE, { id: ids.pro, input: { name: 'email', filter: { channels: ['sms'] } } }))).toEqual(['CONFLICT']);
    expect(codes(await t.exec(UPDATE, { id: ids.pro, input: { name: 'New', filter: { departmentIds: [UNKNOWN] } } }))).toEqual(['NOT_FOUND']);
    expect(codes(await t.exec(UPDATE, { id: ids.pro, input: { filter: { segmentId: ids.email } } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.exec(UPDATE, { id: UNKNOWN, input: { name: 'Ghost' } }))).toEqual(['NOT_FOUND']);
    expect(codes(await t.exec(UPDATE, { id: 'bad', input: { name: 'Ghost' } }))).toEqual(['BAD_USER_INPUT']);
    const one = await t.ok(`query($id: ID!) { segment(id: $id) { name description filter { plans regions channels } } }`, { id: ids.pro });
    expect(one.segment).toEqual({ name: 'PRO eu', description: 'kept filter', filter: { plans: ['pro'], regions: ['EU'], channels: null } });
  });
});

describe('deleting segments', () => {
  it('deletes and returns the id; the segment is gone', async () => {
    const { createSegment } = await t.ok(CREATE, { input: { name: 'Temporary', filter: {} } });
    const { deleteSegment } = await t.ok(DELETE, { id: createSegment.id });
    expect(deleteSegment).toBe(createSegment.id);
    expect(codes(await t.exec(`query($id: ID!) { segment(id: $id) { name } }`, { id: createSegment.id }))).toEqual(['NOT_FOUND']);
    expect(codes(await t.exec(DELETE, { id: createSegment.id }))).toEqual(['NOT_FOUND']);
    expect(codes(await t.exec(DELETE, { id: 'x' }))).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses to delete a segment KPI targets use, naming how many, and keeps both', async () => {
    for (let i = 0; i < 2; i++) {
      await t.db.dataSource.query(
        `INSERT INTO kpi_targets (owner_id, metric, target, period_start, period_end, segment_id) VALUES ($1, 'NPS', 40, '2025-01-01', '2025-04-01', $2)`,
        [ids.owner, ids.email],
      );
    }
    const res = await t.exec(DELETE, { id: ids.email });
    expect(codes(res)).toEqual(['CONFLICT']);
    expect(res.errors![0].message).toMatch(/2 KPI targets/);
    expect(res.errors![0].extensions!.kpiTargets).toBe(2);
    const [{ n }] = await t.db.dataSource.query('SELECT count(*)::int AS n FROM kpi_targets WHERE segment_id = $1', [ids.email]);
    expect(n).toBe(2);
    expect(await names()).toContain('Email');
  });
});
