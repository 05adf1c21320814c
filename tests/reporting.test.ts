import { createTestApp, codes, TestApp } from './support/test-app';
import { Role, Viewer } from '../src/modules/auth/viewer';
import { countStatements } from './support/statements';

/**
 * Summary, department rollups, breakdowns, period comparison and the access rules of aggregates,
 * over a small hand-made data set whose every number is known.
 *
 *   CO ─┬─ SALES ─┬─ SALES-EU   1 promoter (email)
 *       │         └─ SALES-US   3 detractors (sms)
 *       └─ SUPPORT             2 promoters, 1 passive (web)
 *   OTHER (second root)         no responses
 *   (no department)             1 passive (no channel)
 */
let t: TestApp;
const ids: Record<string, string> = {};
const manager = (departmentId: string): Viewer => ({ keyId: null, name: 'mgr', role: Role.MANAGER, departmentId });
const integration: Viewer = { keyId: null, name: 'int', role: Role.INTEGRATION, departmentId: null };

async function dept(code: string, parent: string | null): Promise<void> {
  const [row] = await t.db.dataSource.query('INSERT INTO departments (code, name, parent_id) VALUES ($1, $1, $2) RETURNING id', [code, parent ? ids[parent] : null]);
  ids[code] = row.id;
}

async function respond(ref: string, score: number, at: string, opts: { dept?: string; channel?: string; survey?: string; agent?: string; customer?: string } = {}) {
  await t.db.dataSource.query(
    `INSERT INTO responses (external_ref, score, responded_at, department_id, channel, survey_id, agent_id, customer_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [ref, score, at, opts.dept ? ids[opts.dept] : null, opts.channel ?? null, ids[opts.survey ?? 'REL'], opts.agent ? ids[opts.agent] : null, opts.customer ? ids[opts.customer] : null],
  );
}

beforeAll(async () => {
  t = await createTestApp({ LOW_SAMPLE_THRESHOLD: '5' });
  const q = (s: string, p: unknown[]) => t.db.dataSource.query(s, p);
  await dept('CO', null);
  await dept('SALES', 'CO');
  await dept('SALES-EU', 'SALES');
  await dept('SALES-US', 'SALES');
  await dept('SUPPORT', 'CO');
  await dept('OTHER', null);
  const [owner] = await q(`INSERT INTO people (name, email, department_id) VALUES ('Olivia Owner', 'olivia@example.com', $1) RETURNING id`, [ids.SALES]);
  ids.olivia = owner.id;
  await q('UPDATE departments SET owner_id = $1 WHERE id = $2', [owner.id, ids.SALES]);
  const [agent] = await q(`INSERT INTO people (name, email) VALUES ('Ann Agent', 'ann@example.com') RETURNING id`, []);
  ids.ann = agent.id;
  for (const [code, kind] of [['REL', 'RELATIONSHIP'], ['TX', 'TRANSACTIONAL']]) {
    const [s] = await q('INSERT INTO surveys (code, name, kind) VALUES ($1, $1, $2) RETURNING id', [code, kind]);
    ids[code] = s.id;
  }
  const [eu] = await q(`INSERT INTO customers (external_ref, region, plan) VALUES ('c-eu', 'EU', 'pro') RETURNING id`, []);
  ids.custEu = eu.id;
  await respond('eu1', 10, '2025-03-10T10:00:00Z', { dept: 'SALES-EU', channel: 'email', survey: 'TX', agent: 'ann', customer: 'custEu' });
  await respond('us1', 0, '2025-03-11T10:00:00Z', { dept: 'SALES-US', channel: 'sms' });
  await respond('us2', 3, '2025-03-12T10:00:00Z', { dept: 'SALES-US', channel: 'sms', agent: 'ann' });
  await respond('us3', 6, '2025-02-20T10:00:00Z', { dept: 'SALES-US', channel: 'sms' });
  await respond('sup1', 9, '2025-03-01T10:00:00Z', { dept: 'SUPPORT', channel: 'web', customer: 'custEu' });
  await respond('sup2', 10, '2025-02-25T10:00:00Z', { dept: 'SUPPORT', channel: 'web' });
  await respond('sup3', 8, '2025-02-15T10:00:00Z', { dept: 'SUPPORT', channel: 'web', survey: 'TX' });
  await respond('none1', 7, '2025-03-05T10:00:00Z', {});
});
afterAll(() => t.close());

const SCORE = 'responses promoters passives detractors nps promoterShare passiveShare detractorShare band marginOfError lowSample';
const SUMMARY = `query($f: ResponseFilter) { npsSummary(filter: $f) { ${SCORE} } }`;
const DEPTS = `query($f: ResponseFilter, $p: ID) { departmentScores(filter: $f, parentId: $p) { department { code } score { responses promoters passives detractors nps } } }`;

describe('npsSummary', () => {
  it('counts every response and computes the figures from the counts', async () => {
    const { npsSummary: s } = await t.ok(SUMMARY);
    expect(s).toMatchObject({ responses: 8, promoters: 3, passives: 2, detractors: 3, lowSample: false });
    expect(s.nps).toBeCloseTo(0, 10);
    expect(s.promoterShare).toBeCloseTo(37.5, 10);
    expect(s.band).toBe('GOOD');
    expect(s.marginOfError).toBeGreaterThan(0);
  });

  it('returns null figures, not 0, when nothing matches, and flags the low sample with the configured threshold', async () => {
    const { npsSummary: s } = await t.ok(SUMMARY, { f: { from: '2030-01-01T00:00:00Z' } });
    expect(s).toMatchObject({ responses: 0, nps: null, promoterShare: null, band: null, marginOfError: null, lowSample: true });
    const few = await t.ok(SUMMARY, { f: { departmentIds: [ids.SUPPORT] } });
    expect(few.npsSummary).toMatchObject({ responses: 3, lowSample: true }); // threshold 5 from LOW_SAMPLE_THRESHOLD
  });

  it('applies a department filter with its whole subtree', async () => {
    const { npsSummary: s } = await t.ok(SUMMARY, { f: { departmentIds: [ids.SALES] } });
    expect(s).toMatchObject({ responses: 4, promoters: 1, detractors: 3 });
    expect(s.nps).toBeCloseTo(-50, 10);
  });

  it('batches several summaries of one request into the same statement and still answers each', async () => {
    const q = `query($a: ResponseFilter, $b: ResponseFilter) { a: npsSummary(filter: $a) { responses } b: npsSummary(filter: $b) { responses } c: npsSummary { responses } }`;
    const { count, result: data } = await countStatements(() => t.ok(q, { a: { channels: ['sms'] }, b: { channels: ['web', 'email'] } }));
    expect(count).toBe(1);
    expect(data).toEqual({ a: { responses: 3 }, b: { responses: 4 }, c: { responses: 8 } });
    const bad = await t.exec(q, { a: { channels: ['sms'] }, b: { departmentIds: ['00000000-0000-4000-8000-000000000000'] } });
    expect(codes(bad)).toEqual(['NOT_FOUND']);
    expect(bad.data).toBeNull();
  });
});

describe('departmentScores', () => {
  it('scores the roots over their subtrees, including departments without responses', async () => {
    const { departmentScores } = await t.ok(DEPTS);
    expect(departmentScores).toEqual([
      { department: { code: 'CO' }, score: { responses: 7, promoters: 3, passives: 1, detractors: 3, nps: 0 } },
      { department: { code: 'OTHER' }, score: { responses: 0, promoters: 0, passives: 0, detractors: 0, nps: null } },
    ]);
  });

  it('rolls counts up the tree instead of averaging the children', async () => {
    const { departmentScores } = await t.ok(DEPTS, { p: ids.CO });
    const sales = departmentScores.find((d: any) => d.department.code === 'SALES');
    // SALES-EU has NPS 100 and SALES-US -100: their average would be 0; the rollup is 1 P, 3 D over 4.
    expect(sales.score).toEqual({ responses: 4, promoters: 1, passives: 0, detractors: 3, nps: -50 });
    expect(departmentScores.map((d: any) => d.department.code)).toEqual(['SALES', 'SUPPORT']);
    const leaves = await t.ok(DEPTS, { p: ids.SALES });
    expect(leaves.departmentScores.map((d: any) => [d.department.code, d.score.nps])).toEqual([
      ['SALES-EU', 100],
      ['SALES-US', -100],
    ]);
    const none = await t.ok(DEPTS, { p: ids['SALES-EU'] });
    expect(none.departmentScores).toEqual([]);
  });

  it('narrows every department by the filter', async () => {
    const { departmentScores } = await t.ok(DEPTS, { p: ids.CO, f: { from: '2025-03-01T00:00:00Z' } });
    expect(departmentScores.map((d: any) => [d.department.code, d.score.responses])).toEqual([
      ['SALES', 3],
      ['SUPPORT', 1],
    ]);
  });

  it('answers NOT_FOUND for an unknown parent and BAD_USER_INPUT for a malformed one', async () => {
    expect(codes(await t.exec(DEPTS, { p: '00000000-0000-4000-8000-000000000000' }))).toEqual(['NOT_FOUND']);
    const bad = await t.exec(DEPTS, { p: 'nope' });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0].extensions!.field).toBe('parentId');
  });

  it('resolves nested department fields', async () => {
    const q = `query($p: ID) { departmentScores(parentId: $p) { department { code parent { code } children { code } owner { name } } } }`;
    const { departmentScores } = await t.ok(q, { p: ids.CO });
    expect(departmentScores[0].department).toEqual({
      code: 'SALES',
      parent: { code: 'CO' },
      children: [{ code: 'SALES-EU' }, { code: 'SALES-US' }],
      owner: { name: 'Olivia Owner' },
    });
  });
});

describe('npsBreakdown', () => {
  const Q = `query($by: BreakdownDimension!, $f: ResponseFilter, $limit: Int) { npsBreakdown(by: $by, filter: $f, limit: $limit) { value id score { responses nps } survey { code } agent { name } } }`;

  it('groups by channel, most responses first, with the responses without a channel as null', async () => {
    const { npsBreakdown } = await t.ok(Q, { by: 'CHANNEL' });
    expect(npsBreakdown.map((b: any) => [b.value, b.score.responses])).toEqual([
      ['sms', 3],
      ['web', 3],
      ['email', 1],
      [null, 1],
    ]);
    const total = npsBreakdown.reduce((n: number, b: any) => n + b.score.responses, 0);
    expect(total).toBe(8);
  });

  it('groups by survey, survey kind, agent and customer attributes', async () => {
    const bySurvey = await t.ok(Q, { by: 'SURVEY' });
    expect(bySurvey.npsBreakdown.map((b: any) => [b.survey.code, b.id, b.score.responses])).toEqual([
      ['REL', ids.REL, 6],
      ['TX', ids.TX, 2],
    ]);
    const byKind = await t.ok(Q, { by: 'SURVEY_KIND' });
    expect(byKind.npsBreakdown.map((b: any) => [b.value, b.id, b.score.responses])).toEqual([
      ['RELATIONSHIP', null, 6],
      ['TRANSACTIONAL', null, 2],
    ]);
    const byAgent = await t.ok(Q, { by: 'AGENT' });
    expect(byAgent.npsBreakdown.map((b: any) => [b.agent?.name ?? null, b.score.responses, b.score.nps])).toEqual([
      [null, 6, expect.any(Number)],
      ['Ann Agent', 2, 0],
    ]);
    const byRegion = await t.ok(Q, { by: 'REGION', f: { departmentIds: [ids.CO] } });
    expect(byRegion.npsBreakdown.map((b: any) => [b.value, b.score.responses])).toEqual([
      [null, 5],
      ['EU', 2],
    ]);
    const byPlan = await t.ok(Q, { by: 'PLAN', f: { regions: ['EU'] } });
    expect(byPlan.npsBreakdown.map((b: any) => [b.value, b.score.responses, b.score.nps])).toEqual([['pro', 2, 100]]);
    const byTouchpoint = await t.ok(Q, { by: 'TOUCHPOINT' });
    expect(byTouchpoint.npsBreakdown).toEqual([{ value: null, id: null, score: { responses: 8, nps: 0 }, survey: null, agent: null }]);
  });

  it('limits the values and validates the limit', async () => {
    const { npsBreakdown } = await t.ok(Q, { by: 'CHANNEL', limit: 2 });
    expect(npsBreakdown).toHaveLength(2);
    for (const limit of [0, 1001]) expect(codes(await t.exec(Q, { by: 'CHANNEL', limit }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('npsComparison', () => {
  const Q = `query($f: ResponseFilter!) { npsComparison(filter: $f) { currentFrom currentTo previousFrom previousTo
    current { responses promoters detractors nps } previous { responses promoters detractors nps } change { delta significant pValue previous { responses } } } }`;

  it('compares a period with the period of equal length just before it', async () => {
    const { npsComparison: c } = await t.ok(Q, { f: { from: '2025-03-01T00:00:00Z', to: '2025-03-15T00:00:00Z' } });
    expect(c.previousFrom).toBe('2025-02-15T00:00:00.000Z');
    expect(c.previousTo).toBe('2025-03-01T00:00:00.000Z');
    expect(c.currentTo).toBe('2025-03-15T00:00:00.000Z');
    // current: eu1 (10), us1 (0), us2 (3), sup1 (9), none1 (7); previous: us3 (6), sup2 (10), sup3 (8)
    expect(c.current).toEqual({ responses: 5, promoters: 2, detractors: 2, nps: 0 });
    expect(c.previous.responses).toBe(3);
    expect(c.previous.nps).toBeCloseTo(0, 10);
    expect(c.change.delta).toBeCloseTo(0, 10);
    expect(c.change.previous.responses).toBe(3);
    expect(c.change.significant).toBe(false);
    expect(c.change.pValue).toBeGreaterThan(0.05);
  });

  it('narrows both periods by the rest of the filter', async () => {
    const { npsComparison: c } = await t.ok(Q, { f: { from: '2025-03-01T00:00:00Z', to: '2025-03-15T00:00:00Z', departmentIds: [ids.SUPPORT] } });
    expect(c.current.responses).toBe(1);
    expect(c.previous.responses).toBe(2);
  });

  it('requires from and to, in order', async () => {
    for (const f of [{ from: '2025-03-01T00:00:00Z' }, { to: '2025-03-01T00:00:00Z' }, {}, { from: '2025-03-01T00:00:00Z', to: '2025-03-01T00:00:00Z' }]) {
      const res = await t.exec(Q, { f });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    }
  });
});

describe('access to aggregates', () => {
  const TREND = `query($f: ResponseFilter) { npsTrend(filter: $f, interval: MONTH) { score { responses } } }`;

  it("confines a MANAGER's unfiltered aggregates to their subtree", async () => {
    const viewer = manager(ids.SALES);
    const { npsSummary } = await t.ok(SUMMARY, {}, { viewer });
    expect(npsSummary).toMatchObject({ responses: 4, promoters: 1, detractors: 3 });
    const roots = await t.ok(DEPTS, {}, { viewer });
    expect(roots.departmentScores).toEqual([{ department: { code: 'SALES' }, score: { responses: 4, promoters: 1, passives: 0, detractors: 3, nps: -50 } }]);
    const children = await t.ok(DEPTS, { p: ids.SALES }, { viewer });
    expect(children.departmentScores.map((d: any) => d.department.code)).toEqual(['SALES-EU', 'SALES-US']);
    const trend = await t.ok(TREND, { f: { from: '2025-01-01T00:00:00Z', to: '2025-04-01T00:00:00Z' } }, { viewer });
    expect(trend.npsTrend.map((p: any) => p.score.responses)).toEqual([0, 1, 3]);
    const breakdown = await t.ok(`{ npsBreakdown(by: CHANNEL) { value score { responses } } }`, {}, { viewer });
    expect(breakdown.npsBreakdown).toEqual([
      { value: 'sms', score: { responses: 3 } },
      { value: 'email', score: { responses: 1 } },
    ]);
    const inside = await t.ok(SUMMARY, { f: { departmentIds: [ids['SALES-US']] } }, { viewer });
    expect(inside.npsSummary.responses).toBe(3);
  });

  it('refuses a MANAGER naming a department outside their subtree with FORBIDDEN', async () => {
    const viewer = manager(ids.SALES);
    expect(codes(await t.exec(SUMMARY, { f: { departmentIds: [ids.SUPPORT] } }, { viewer }))).toEqual(['FORBIDDEN']);
    expect(codes(await t.exec(SUMMARY, { f: { departmentIds: [ids.CO] } }, { viewer }))).toEqual(['FORBIDDEN']);
    expect(codes(await t.exec(DEPTS, { p: ids.CO }, { viewer }))).toEqual(['FORBIDDEN']);
    expect(codes(await t.exec(DEPTS, { p: ids.OTHER }, { viewer }))).toEqual(['FORBIDDEN']);
    expect(codes(await t.exec(TREND, { f: { departmentIds: [ids.SUPPORT] } }, { viewer }))).toEqual(['FORBIDDEN']);
  });

  it('refuses every aggregate to an INTEGRATION key', async () => {
    const viewer = integration;
    const queries = [
      SUMMARY,
      TREND,
      DEPTS,
      `{ npsBreakdown(by: CHANNEL) { value } }`,
      `{ npsComparison(filter: { from: "2025-01-01T00:00:00Z", to: "2025-02-01T00:00:00Z" }) { current { responses } } }`,
    ];
    for (const q of queries) {
      const res = await t.exec(q, {}, { viewer });
      expect(codes(res)).toEqual(['FORBIDDEN']);
    }
  });
});
