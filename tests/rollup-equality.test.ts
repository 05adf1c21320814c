import assert from 'node:assert';
import { createTestApp, TestApp } from './support/test-app';
import { Role, SYSTEM_VIEWER, Viewer } from '../src/modules/auth/viewer';
import { compareRollups } from '../src/modules/reporting/facts/rollup-rebuild';
import { withQueryStats } from '../src/common/query-stats';
import { seededChoices } from './support/seeded-random';

/**
 * Equality, proven: every aggregate answered through the fact planner (rollups, hybrid plans) is
 * identical, figure for figure, to the same question answered from the raw rows only, for hundreds
 * of random filters, trend intervals, time zones (a half-hour one included), bounds off bucket
 * edges, `to` left to default, and roles. The data arrive through submitResponses with duplicates
 * and racing retries, and are then updated and deleted directly in SQL; the rollup tables must also
 * equal a recount from the rows after each step.
 */

const SEED = Number(process.env.EQUALITY_SEED ?? 20261201);
const CASES = Number(process.env.EQUALITY_CASES ?? 120);
const { rnd, pick, chance, some } = seededChoices(SEED);

const START = Date.parse('2025-09-01T00:00:00Z');
const END = Date.parse('2026-06-10T00:00:00Z');
const NOW = new Date('2026-06-10T17:42:13.512Z');
const CHANNELS = ['email', 'sms', 'web', 'phone'];
const TOUCHPOINTS = ['call', 'delivery', 'onboarding'];
const REGIONS = ['EMEA', 'APAC', 'LATAM'];
const PLANS = ['Starter', 'Growth', 'Enterprise'];
const PRODUCTS = ['Core', 'Pantry'];
const SIGNUPS = ['web', 'sales'];
const ZONES = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney'];
const INTERVALS = ['DAY', 'WEEK', 'MONTH', 'QUARTER'];
const DEPT_CODES = ['CO', 'CX', 'CX-A', 'CX-B', 'OPS', 'OPS-A', 'LAB'];
const SURVEYS = [
  { code: 'REL', kind: 'RELATIONSHIP' },
  { code: 'TX1', kind: 'TRANSACTIONAL' },
  { code: 'TX2', kind: 'TRANSACTIONAL' },
];

let t: TestApp;
const ids: { depts: Record<string, string>; surveys: string[]; agents: string[]; segments: string[]; themes: string[] } = {
  depts: {},
  surveys: [],
  agents: [],
  segments: [],
  themes: [],
};
const clock = () => NOW;
const iso = (ms: number) => new Date(ms).toISOString();
// Off every bucket edge: seconds and milliseconds too.
const instant = () => START + Math.floor(rnd() * (END - START));

function responseRow(n: number) {
  const customer = chance(0.9) ? `cust-${Math.floor(rnd() * 60)}` : null;
  return {
    externalRef: `eq-${n}`,
    surveyCode: pick(SURVEYS).code,
    score: Math.floor(rnd() * 11),
    respondedAt: iso(instant()),
    departmentCode: chance(0.92) ? pick(DEPT_CODES.filter((c) => c !== 'CO')) : null,
    channel: chance(0.9) ? pick(CHANNELS) : null,
    touchpoint: chance(0.7) ? pick(TOUCHPOINTS) : null,
    agentEmail: chance(0.4) ? `agent${Math.floor(rnd() * 3)}@example.com` : null,
    // Verbatims the default themes tag (one, two or none), so the per-theme rollup has counts to compare.
    comment: chance(0.4) ? pick(['Great price', 'The delivery was late and nobody answered the phone', ' ', 'Fine']) : null,
    followUpAnswers: chance(0.2) ? [{ question: 'Why did you give that score?', answer: pick(['Late delivery', 'Friendly staff', 'Price']) }] : null,
    customer: customer && {
      externalRef: customer,
      region: chance(0.9) ? pick(REGIONS) : null,
      plan: chance(0.9) ? pick(PLANS) : null,
      product: chance(0.8) ? pick(PRODUCTS) : null,
      signupChannel: chance(0.8) ? pick(SIGNUPS) : null,
      spend: Math.round(rnd() * 100_000),
      customerSince: iso(START - Math.floor(rnd() * 400 * 86_400_000)),
    },
  };
}

const SUBMIT = `mutation($rows: [ResponseInput!]!) { submitResponses(responses: $rows) { accepted duplicates rejected } }`;

function randomFilter(): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  if (chance(0.5)) {
    const a = instant();
    const b = instant();
    if (chance(0.6)) [f.from, f.to] = [iso(Math.min(a, b)), iso(Math.max(a, b) + 1)];
    else if (chance(0.5)) f.from = iso(a);
    else f.to = iso(b);
  }
  if (chance(0.3)) f.departmentIds = some(DEPT_CODES).map((c) => ids.depts[c]);
  if (chance(0.2)) f.segmentId = pick(ids.segments);
  if (chance(0.2)) f.surveyIds = some(ids.surveys);
  if (chance(0.15)) f.surveyKind = pick(['RELATIONSHIP', 'TRANSACTIONAL']);
  if (chance(0.25)) f.channels = some(CHANNELS);
  if (chance(0.15)) f.touchpoints = some(TOUCHPOINTS);
  if (chance(0.2)) f.regions = some(REGIONS);
  if (chance(0.2)) f.plans = some(PLANS);
  if (chance(0.1)) f.products = some(PRODUCTS);
  if (chance(0.1)) f.signupChannels = some(SIGNUPS);
  if (chance(0.12)) f.categories = some(['PROMOTER', 'PASSIVE', 'DETRACTOR']);
  // Raw-only fields: the planner must notice them.
  if (chance(0.06)) f.agentIds = some(ids.agents);
  if (chance(0.05)) f.tenureMaxDays = 30 + Math.floor(rnd() * 300);
  if (chance(0.05)) f.hasComment = chance(0.5);
  if (chance(0.05)) f.minScore = Math.floor(rnd() * 8);
  if (chance(0.05)) f.themeIds = some(ids.themes);
  if (chance(0.05)) f.search = pick(['delivery', 'price', 'late or phone', '"the phone"']);
  return f;
}

const SCORE = 'responses promoters passives detractors nps adjustedNps marginOfError';
const QUERIES = {
  summary: `query($filter: ResponseFilter) { npsSummary(filter: $filter) { ${SCORE} } }`,
  trend: `query($filter: ResponseFilter, $interval: TrendInterval!, $tz: String) {
    npsTrend(filter: $filter, interval: $interval, timeZone: $tz) { periodStart periodEnd score { ${SCORE} } change { delta significant } } }`,
  departments: `query($filter: ResponseFilter, $parentId: ID) { departmentScores(filter: $filter, parentId: $parentId) { departmentId score { ${SCORE} } } }`,
  breakdown: `query($filter: ResponseFilter, $by: BreakdownDimension!) { npsBreakdown(filter: $filter, by: $by, limit: 1000) { value score { ${SCORE} } } }`,
  kpi: `query { kpiTargets { id actual gap status score { ${SCORE} } } }`,
  list: `query($filter: ResponseFilter) { responses(filter: $filter, first: 3) { totalCount edges { node { id score } } } }`,
  comparison: `query($filter: ResponseFilter!) { npsComparison(filter: $filter) { previousFrom current { ${SCORE} } previous { ${SCORE} } } }`,
  drivers: `query($filter: ResponseFilter, $compareTo: CompareTo, $tz: String) { drivers(filter: $filter, compareTo: $compareTo, timeZone: $tz) {
    score { ${SCORE} } verbatims untagged detractorDrivers { verbatims untagged drivers { theme { code } detractorMentions } }
    themes { theme { code } mentions promoterMentions passiveMentions detractorMentions impact zScore adjustedPValue
      change { impactDelta detractorMentionShare { delta } mentioning { delta } } samples { text response { id } } } } }`,
};

/** The plans that answered the planner's side (rollup, hybrid, raw): all three must be exercised. */
const plansSeen = new Set<string>();
/** Drivers answers compared that held theme mentions (the per-theme rollup must be exercised too). */
let driversWithMentions = 0;

/** Runs one operation as `viewer`, through the planner or from the raw rows only. */
async function run(query: string, variables: Record<string, unknown>, viewer: Viewer, raw: boolean) {
  const ctx = t.ctx(viewer, clock);
  ctx.rawFacts = raw;
  const stats = { statements: 0, plans: [] as string[] };
  const res = await withQueryStats(stats, () => t.app.apollo.executeOperation({ query, variables }, { contextValue: ctx }));
  if (!raw) stats.plans.forEach((p) => plansSeen.add(p));
  assert(res.body.kind === 'single');
  return res.body.singleResult;
}

function randomQuestion(): { name: keyof typeof QUERIES; variables: Record<string, unknown> } {
  const filter = randomFilter();
  switch (pick(['summary', 'trend', 'trend', 'departments', 'breakdown', 'comparison', 'list', 'kpi', 'drivers'] as const)) {
    case 'drivers':
      return { name: 'drivers', variables: { filter, compareTo: pick(['PREVIOUS_PERIOD', 'SAME_PERIOD_LAST_YEAR']), tz: pick(ZONES) } };
    case 'summary':
      return { name: 'summary', variables: { filter } };
    case 'list':
      return { name: 'list', variables: { filter } };
    case 'kpi':
      return { name: 'kpi', variables: {} };
    case 'trend': {
      const interval = pick(INTERVALS);
      // DAY trends over a long range would be refused (1000 buckets): keep them short.
      if (interval === 'DAY') {
        const a = instant();
        Object.assign(filter, { from: iso(a), to: chance(0.5) ? iso(a + Math.floor(rnd() * 40 * 86_400_000) + 1) : undefined });
        if (!filter.to) filter.from = iso(NOW.getTime() - Math.floor(rnd() * 40 * 86_400_000));
      }
      return { name: 'trend', variables: { filter, interval, tz: pick(ZONES) } };
    }
    case 'departments':
      return { name: 'departments', variables: { filter, parentId: chance(0.5) ? ids.depts[pick(['CO', 'CX', 'OPS'])] : null } };
    case 'breakdown':
      return { name: 'breakdown', variables: { filter, by: pick(['CHANNEL', 'TOUCHPOINT', 'REGION', 'PLAN', 'SURVEY', 'SURVEY_KIND', 'AGENT', 'THEME', 'FOLLOW_UP_ANSWER']) } };
    case 'comparison': {
      const a = instant();
      return { name: 'comparison', variables: { filter: { ...filter, from: iso(a), to: iso(a + 1 + Math.floor(rnd() * 90 * 86_400_000)) } } };
    }
  }
}

const MANAGER = (code: string): Viewer => ({ keyId: null, name: 'manager', role: Role.MANAGER, departmentId: ids.depts[code] });

/** Asks `n` random questions both ways; returns how many answers were compared with data in them. */
async function compareRandomQuestions(n: number): Promise<{ compared: number; nonEmpty: number }> {
  let nonEmpty = 0;
  for (let i = 0; i < n; i++) {
    const q = randomQuestion();
    const viewer = chance(0.25) ? MANAGER(pick(['CX', 'CX-A', 'OPS'])) : SYSTEM_VIEWER;
    const planned = await run(QUERIES[q.name], q.variables, viewer, false);
    const raw = await run(QUERIES[q.name], q.variables, viewer, true);
    // Same answer, errors included (a manager naming another department is FORBIDDEN both ways).
    expect({ case: i, ...q, answer: planned }).toEqual({ case: i, ...q, answer: raw });
    if (JSON.stringify(planned.data ?? {}).match(/"(responses|totalCount)":[1-9]/)) nonEmpty++;
    if (q.name === 'drivers' && JSON.stringify(planned.data ?? {}).match(/"mentions":[1-9]/)) driversWithMentions++;
  }
  return { compared: n, nonEmpty };
}

async function expectRollupsExact() {
  const diff = await compareRollups(t.deps.ds);
  expect(diff).toEqual([]);
}

beforeAll(async () => {
  t = await createTestApp();
  const dept = `mutation($input: DepartmentInput!) { upsertDepartment(input: $input) { id code } }`;
  for (const [code, parent] of [['CO', null], ['CX', 'CO'], ['CX-A', 'CX'], ['CX-B', 'CX'], ['OPS', 'CO'], ['OPS-A', 'OPS'], ['LAB', null]] as const) {
    ids.depts[code] = (await t.ok(dept, { input: { code, name: code, parentCode: parent } })).upsertDepartment.id;
  }
  for (const s of SURVEYS) {
    ids.surveys.push((await t.ok(`mutation($input: SurveyInput!) { upsertSurvey(input: $input) { id } }`, { input: { code: s.code, name: s.code, kind: s.kind } })).upsertSurvey.id);
  }
  for (let i = 0; i < 3; i++) {
    const p = await t.ok(`mutation($e: String!) { upsertPerson(input: { email: $e, name: "Agent", departmentCode: "CX-A" }) { id } }`, { e: `agent${i}@example.com` });
    ids.agents.push(p.upsertPerson.id);
  }
  ids.themes = (await t.ok(`{ themes { id } }`)).themes.map((x: { id: string }) => x.id);
  const segment = `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }`;
  for (const [name, filter] of [
    ['Enterprise EMEA', { plans: ['Enterprise'], regions: ['EMEA'] }],
    ['Phone detractors', { channels: ['phone'], categories: ['DETRACTOR'] }],
    ['Recent', { from: '2026-02-14T13:30:00Z' }],
    ['New customers', { tenureMaxDays: 90 }],
  ] as const) {
    ids.segments.push((await t.ok(segment, { input: { name, filter } })).createSegment.id);
  }
  const agentSegments: string[] = [];
  for (const [name, agentIds] of [['Agent 0', [ids.agents[0]]], ['Agents 1 and 2', [ids.agents[1], ids.agents[2]]], ['Agent 2', [ids.agents[2]]]] as const) {
    agentSegments.push((await t.ok(segment, { input: { name, filter: { agentIds } } })).createSegment.id);
  }
  // KPI targets over periods off the day edges, per department, company-wide and per segment: the
  // grouped pass per period must equal the raw counts.
  const periods = [['2025-10-01T00:00:00Z', '2026-01-01T00:00:00Z'], ['2026-01-15T08:30:00Z', '2026-04-02T17:45:10Z']];
  const target = `mutation($input: CreateKpiTargetInput!) { createKpiTarget(input: $input) { id } }`;
  for (const [periodStart, periodEnd] of periods) {
    for (const code of [null, 'CO', 'CX', 'CX-A', 'OPS', 'LAB']) {
      await t.ok(target, { input: { ownerEmail: 'agent0@example.com', metric: 'NPS', target: 20, periodStart, periodEnd, departmentCode: code } });
    }
    await t.ok(target, { input: { ownerEmail: 'agent1@example.com', metric: 'DETRACTOR_SHARE', target: 20, periodStart, periodEnd, departmentCode: 'CX', segmentId: ids.segments[0] } });
    // Segments naming agents only (one agent, two agents), with and without a department: counted
    // together per department and agent, which must equal each segment's raw count.
    for (const [segmentId, code] of [[agentSegments[0], null], [agentSegments[1], 'CX'], [agentSegments[2], 'CX-A'], [agentSegments[1], 'OPS']] as const) {
      await t.ok(target, { input: { ownerEmail: 'agent2@example.com', metric: 'NPS', target: 10, periodStart, periodEnd, departmentCode: code, segmentId } });
    }
  }
  // 1,500 rows in batches; every batch re-sends part of the previous one (retries), and pairs of
  // batches race each other over the same refs.
  let n = 0;
  const rows = Array.from({ length: 1500 }, () => responseRow(n++));
  for (let i = 0; i < rows.length; i += 300) {
    const batch = rows.slice(i, i + 300);
    const retry = rows.slice(Math.max(0, i - 100), i + 150);
    const [a, b] = await Promise.all([
      t.exec(SUBMIT, { rows: batch }, { now: clock }),
      t.exec(SUBMIT, { rows: retry }, { now: clock }),
    ]);
    expect(a.errors ?? b.errors).toBeUndefined();
  }
  const [{ count }] = await t.deps.ds.query('SELECT count(*)::int AS count FROM responses');
  expect(count).toBe(1500);
}, 300_000);
afterAll(() => t?.close());

describe('rollups against raw rows', () => {
  it('hold exactly the counts of the rows after ingest with duplicates and racing retries', async () => {
    await expectRollupsExact();
  });

  it('give identical answers for random questions, roles, zones and bounds', async () => {
    const { nonEmpty } = await compareRandomQuestions(CASES);
    // The comparison means something only if most answers hold responses.
    expect(nonEmpty).toBeGreaterThan(CASES / 2);
    expect([...plansSeen].sort()).toEqual(['hybrid', 'raw', 'rollup']);
    expect(driversWithMentions).toBeGreaterThan(3);
  }, 600_000);

  it('measure KPI targets in one grouped pass per period exactly as a summary of each scope', async () => {
    const res = await run(`query { kpiTargets { periodStart periodEnd department { id } segment { id } score { ${SCORE} } } }`, {}, SYSTEM_VIEWER, false);
    expect(res.errors).toBeUndefined();
    const list = (res.data as any).kpiTargets;
    expect(list.length).toBe(22);
    for (const k of list) {
      const filter = { from: k.periodStart, to: k.periodEnd, departmentIds: k.department ? [k.department.id] : null, segmentId: k.segment?.id ?? null };
      const summary = await run(QUERIES.summary, { filter }, SYSTEM_VIEWER, true);
      expect(k.score).toEqual((summary.data as any).npsSummary);
    }
    expect(list.some((k: any) => k.score.responses > 0)).toBe(true);
    // The agent-only segments' targets (grouped per department and agent) hold responses too.
    expect(list.filter((k: any) => k.segment && k.score.responses > 0).length).toBeGreaterThan(4);
  });

  it('stay exact after responses are updated and deleted directly in SQL, and customers change', async () => {
    await t.deps.ds.query(`UPDATE responses SET score = 10 - score WHERE external_ref LIKE 'eq-1%'`);
    await t.deps.ds.query(`UPDATE responses SET responded_at = responded_at + interval '37 minutes', channel = 'sms' WHERE external_ref LIKE 'eq-2%'`);
    await t.deps.ds.query(`UPDATE responses SET department_id = $1 WHERE external_ref LIKE 'eq-3%'`, [ids.depts['LAB']]);
    await t.deps.ds.query(`DELETE FROM responses WHERE external_ref LIKE 'eq-4%'`);
    // A customer moving region changes no history: the responses keep the region they had.
    const before = await run(QUERIES.summary, { filter: { regions: ['EMEA'] } }, SYSTEM_VIEWER, true);
    await t.deps.ds.query(`UPDATE customers SET region = 'LATAM' WHERE region = 'EMEA'`);
    const after = await run(QUERIES.summary, { filter: { regions: ['EMEA'] } }, SYSTEM_VIEWER, true);
    expect(after).toEqual(before);
    await expectRollupsExact();
    await compareRandomQuestions(Math.ceil(CASES / 2));
  }, 600_000);

  it('follow a response moved to another customer, and a truncate', async () => {
    await t.deps.ds.query(`UPDATE responses SET customer_id = (SELECT id FROM customers WHERE external_ref = 'cust-1') WHERE external_ref LIKE 'eq-5%'`);
    const [row] = await t.deps.ds.query(`SELECT r.region IS NOT DISTINCT FROM c.region AS same FROM responses r JOIN customers c ON c.id = r.customer_id WHERE r.external_ref = 'eq-50'`);
    expect(row.same).toBe(true);
    await expectRollupsExact();
    await t.deps.ds.query('TRUNCATE responses CASCADE');
    const [{ n }] = await t.deps.ds.query(
      'SELECT (SELECT count(*) FROM nps_rollup_day) + (SELECT count(*) FROM nps_rollup_hour) + (SELECT count(*) FROM nps_rollup_day_theme) + (SELECT count(*) FROM response_themes) AS n',
    );
    expect(Number(n)).toBe(0);
  });
});
