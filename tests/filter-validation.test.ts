import { createTestApp, codes, TestApp } from './support/test-app';

/** What the filter compiler refuses, with which code and field, on every aggregate that takes a filter. */
let t: TestApp;
const ids: Record<string, string> = {};
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  t = await createTestApp();
  const q = (s: string, p: unknown[] = []) => t.db.dataSource.query(s, p);
  [{ id: ids.dept }] = await q(`INSERT INTO departments (code, name) VALUES ('D', 'D') RETURNING id`);
  [{ id: ids.survey }] = await q(`INSERT INTO surveys (code, name, kind) VALUES ('S', 'S', 'TRANSACTIONAL') RETURNING id`);
  [{ id: ids.agent }] = await q(`INSERT INTO people (name) VALUES ('Agent') RETURNING id`);
  [{ id: ids.segment }] = await q(`INSERT INTO segments (name, filter) VALUES ('email', '{"channels":["email"]}') RETURNING id`);
  await q(`INSERT INTO responses (external_ref, score, responded_at, survey_id, department_id, agent_id, channel, comment)
           VALUES ('a', 9, '2025-01-10T00:00:00Z', $1, $2, $3, 'email', 'great'), ('b', 3, '2025-01-11T00:00:00Z', $1, NULL, NULL, 'sms', '  ')`, [
    ids.survey,
    ids.dept,
    ids.agent,
  ]);
});
afterAll(() => t.close());

/** Every aggregate that takes a ResponseFilter, as (query, extra variables). */
const AGGREGATES: [string, string][] = [
  ['npsSummary', `query($f: ResponseFilter) { npsSummary(filter: $f) { responses } }`],
  ['npsTrend', `query($f: ResponseFilter) { npsTrend(filter: $f, interval: MONTH) { score { responses } } }`],
  ['departmentScores', `query($f: ResponseFilter) { departmentScores(filter: $f) { score { responses } } }`],
  ['npsBreakdown', `query($f: ResponseFilter) { npsBreakdown(by: CHANNEL, filter: $f) { value } }`],
];
const SUMMARY = AGGREGATES[0][1];

async function expectError(f: Record<string, unknown>, code: string, field?: string) {
  for (const [name, q] of AGGREGATES) {
    const res = await t.exec(q, { f: { from: '2025-01-01T00:00:00Z', to: '2025-02-01T00:00:00Z', ...f } });
    expect([name, codes(res)]).toEqual([name, [code]]);
    if (field) expect([name, res.errors![0].extensions!.field]).toEqual([name, field]);
  }
}

describe('filter validation', () => {
  it('refuses from at or after to', async () => {
    await expectError({ from: '2025-02-01T00:00:00Z', to: '2025-01-01T00:00:00Z' }, 'BAD_USER_INPUT', 'filter.to');
    await expectError({ from: '2025-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' }, 'BAD_USER_INPUT', 'filter.to');
  });

  it('refuses a malformed date', async () => {
    expect(codes(await t.exec(SUMMARY, { f: { from: 'yesterday' } }))).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses malformed ids, naming the field', async () => {
    await expectError({ departmentIds: ['42'] }, 'BAD_USER_INPUT', 'filter.departmentIds');
    await expectError({ surveyIds: [ids.survey, 'x'] }, 'BAD_USER_INPUT', 'filter.surveyIds');
    await expectError({ agentIds: ['not-a-uuid'] }, 'BAD_USER_INPUT', 'filter.agentIds');
    await expectError({ segmentId: 'nope' }, 'BAD_USER_INPUT', 'filter.segmentId');
    // An empty segmentId is not "no segment": it used to be ignored silently.
    await expectError({ segmentId: '' }, 'BAD_USER_INPUT', 'filter.segmentId');
  });

  it('answers NOT_FOUND for unknown departments, segments, surveys and agents', async () => {
    await expectError({ departmentIds: [ids.dept, UNKNOWN] }, 'NOT_FOUND', 'filter.departmentIds');
    await expectError({ segmentId: UNKNOWN }, 'NOT_FOUND', 'filter.segmentId');
    await expectError({ surveyIds: [UNKNOWN] }, 'NOT_FOUND', 'filter.surveyIds');
    await expectError({ agentIds: [UNKNOWN] }, 'NOT_FOUND', 'filter.agentIds');
  });

  it('refuses ranges given upside down and values out of range', async () => {
    await expectError({ tenureMinDays: 10, tenureMaxDays: 5 }, 'BAD_USER_INPUT', 'filter.tenureMaxDays');
    await expectError({ spendMin: 100, spendMax: 5 }, 'BAD_USER_INPUT', 'filter.spendMax');
    await expectError({ minScore: 9, maxScore: 2 }, 'BAD_USER_INPUT', 'filter.maxScore');
    expect(codes(await t.exec(SUMMARY, { f: { minScore: 11 } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.exec(SUMMARY, { f: { spendMin: -1 } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.exec(SUMMARY, { f: { surveyKind: 'WEEKLY' } }))).toEqual(['BAD_USER_INPUT']);
  });

  it('treats empty lists as no restriction', async () => {
    const { npsSummary } = await t.ok(SUMMARY, { f: { departmentIds: [], channels: [], surveyIds: [], regions: [] } });
    expect(npsSummary.responses).toBe(2);
  });

  it('applies the filter fields it accepts', async () => {
    const count = async (f: Record<string, unknown>) => (await t.ok(SUMMARY, { f })).npsSummary.responses;
    expect(await count({ segmentId: ids.segment })).toBe(1);
    expect(await count({ segmentId: ids.segment, channels: ['sms'] })).toBe(0); // narrowed, not widened
    expect(await count({ surveyIds: [ids.survey] })).toBe(2);
    expect(await count({ surveyKind: 'RELATIONSHIP' })).toBe(0);
    expect(await count({ agentIds: [ids.agent] })).toBe(1);
    expect(await count({ hasComment: true })).toBe(1); // a blank comment is no comment
    expect(await count({ hasComment: false })).toBe(1);
    expect(await count({ categories: ['DETRACTOR'] })).toBe(1);
    expect(await count({ minScore: 4 })).toBe(1);
    expect(await count({ departmentIds: [ids.dept] })).toBe(1);
    expect(await count({ from: '2025-01-11T00:00:00Z' })).toBe(1); // from is inclusive
    expect(await count({ to: '2025-01-11T00:00:00Z' })).toBe(1); // to is exclusive
  });
});
