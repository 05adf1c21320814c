import assert from 'node:assert';
import { CLOSED_LOOP_TREND } from '../src/modules/closed-loop/closed-loop.service';
import { createTestApp, TestApp } from './support/test-app';
import { Role, SYSTEM_VIEWER, Viewer } from '../src/modules/auth/viewer';
import { withQueryStats } from '../src/common/query-stats';
import { compareClosedLoopCounters } from '../src/modules/closed-loop/closed-loop-counters';
import { seededChoices } from './support/seeded-random';

/**
 * Equality, proven for the closed loop: closedLoop, closedLoopByDepartment, closedLoopTrend and the
 * batched summaries KPI targets read give identical figures from the maintained counters (with
 * ledger fragments at the edges) and from the raw rows (ctx.rawFacts), for random filters, bounds
 * off bucket edges, `to` left to default, zones and roles; after item moves through the API, direct
 * SQL on action_items and responses, deletions. The counters also equal a recount of the rows.
 */
const SEED = Number(process.env.EQUALITY_SEED ?? 20261202);
const CASES = Number(process.env.EQUALITY_CASES ?? 80);
const { rnd, pick, chance, some } = seededChoices(SEED);

const START = Date.parse('2026-01-01T00:00:00Z');
const END = Date.parse('2026-06-10T00:00:00Z');
const NOW = new Date('2026-06-10T17:42:13.512Z');
const DAY = 86_400_000;
const ZONES = ['UTC', 'Europe/Paris', 'Asia/Kolkata', 'America/New_York'];
const INTERVALS = ['DAY', 'WEEK', 'MONTH', 'QUARTER'];
const DEPT_CODES = ['CO', 'CX', 'CX-A', 'CX-B', 'OPS'];
const SURVEYS = [
  { code: 'REL', kind: 'RELATIONSHIP' },
  { code: 'TX1', kind: 'TRANSACTIONAL' },
];
const CHANNELS = ['email', 'sms', 'web'];
/** Agents (the leaf teams' frontline): responses name them or no agent. */
const AGENTS = [['a1@x.test', 'CX-A'], ['a2@x.test', 'CX-A'], ['b1@x.test', 'CX-B'], ['o1@x.test', 'OPS']];

let t: TestApp;
const ids: { depts: Record<string, string>; surveys: string[]; agents: string[] } = { depts: {}, surveys: [], agents: [] };
const iso = (ms: number) => new Date(ms).toISOString();
const instant = () => START + Math.floor(rnd() * (END - START));
const clock = () => NOW;

const METRICS = 'detractors followedUp followUpRate actionItems medianHoursToFirstAction medianHoursToClose closed closedWithinSla closedWithinSlaRate open overdue';
const QUERIES = {
  summary: `query($filter: ResponseFilter) { closedLoop(filter: $filter) { ${METRICS} } }`,
  departments: `query($filter: ResponseFilter, $parentId: ID) { closedLoopByDepartment(filter: $filter, parentId: $parentId) { departmentId: department { id } metrics { ${METRICS} } } }`,
  trend: `query($filter: ResponseFilter, $interval: TrendInterval!, $tz: String) { closedLoopTrend(filter: $filter, interval: $interval, timeZone: $tz) { periodStart periodEnd metrics { ${METRICS} } } }`,
};

function randomFilter(): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  if (chance(0.6)) {
    const a = instant();
    const b = instant();
    if (chance(0.6)) [f.from, f.to] = [iso(Math.min(a, b)), iso(Math.max(a, b) + 1)];
    else if (chance(0.5)) f.from = iso(a);
    else f.to = iso(b);
  }
  if (chance(0.3)) f.departmentIds = some(DEPT_CODES).map((c) => ids.depts[c]);
  if (chance(0.2)) f.surveyIds = some(ids.surveys);
  if (chance(0.15)) f.surveyKind = pick(['RELATIONSHIP', 'TRANSACTIONAL']);
  if (chance(0.15)) f.categories = some(['PROMOTER', 'PASSIVE', 'DETRACTOR']);
  // Not held by the counters: the raw path answers.
  if (chance(0.08)) f.channels = some(CHANNELS);
  if (chance(0.05)) f.minScore = Math.floor(rnd() * 8);
  return f;
}

/** A KPI rate target's scope split by agent: one department (a leaf team, or any), a period, maybe survey kind or agents. */
function agentSplitFilter(): Record<string, unknown> {
  const f: Record<string, unknown> = { departmentIds: [ids.depts[pick(['CX-A', 'CX-B', 'OPS', 'CX'])]] };
  const a = instant();
  const b = instant();
  if (chance(0.7)) [f.from, f.to] = [iso(Math.min(a, b)), iso(Math.max(a, b) + 1)];
  else f.from = iso(a);
  if (chance(0.2)) f.surveyKind = pick(['RELATIONSHIP', 'TRANSACTIONAL']);
  if (chance(0.2)) f.agentIds = some(ids.agents);
  // Not held by the agent counters: the raw path answers the whole call.
  if (chance(0.1)) f.channels = some(CHANNELS);
  return f;
}

/** summariesByAgent from the agent counters equals the raw rows' split (medians aside: the counters hold none). */
async function compareAgentSplits(n: number) {
  const noMedians = (maps: Map<string | null, any>[]) =>
    maps.map((m) => new Map([...m].filter(([, v]) => v.detractors || v.actionItems).map(([k, v]) => [k, { ...v, medianHoursToFirstAction: null, medianHoursToClose: null }])));
  let split = 0;
  for (let i = 0; i < n; i++) {
    const filters = Array.from({ length: 1 + Math.floor(rnd() * 3) }, agentSplitFilter);
    const at = chance(0.5) ? NOW : new Date(instant());
    const stats = { statements: 0, plans: [] as string[] };
    const counted = await withQueryStats(stats, () => t.app.services.closedLoop.summariesByAgent(t.ctx(SYSTEM_VIEWER, () => at), filters as any));
    stats.plans.forEach((p) => plansSeen.add(`agents:${p}`));
    const rawCtx = t.ctx(SYSTEM_VIEWER, () => at);
    rawCtx.rawFacts = true;
    const raw = await t.app.services.closedLoop.summariesByAgent(rawCtx, filters as any);
    expect({ case: i, filters, split: noMedians(counted) }).toEqual({ case: i, filters, split: noMedians(raw) });
    split += counted.reduce((s, m) => s + [...m.keys()].filter((k) => k !== null).length, 0);
  }
  expect(split).toBeGreaterThan(n);
}

const plansSeen = new Set<string>();
const MANAGER = (code: string): Viewer => ({ keyId: null, name: 'manager', role: Role.MANAGER, departmentId: ids.depts[code] });

async function run(query: string, variables: Record<string, unknown>, viewer: Viewer, raw: boolean, now: () => Date) {
  const ctx = t.ctx(viewer, now);
  ctx.rawFacts = raw;
  const stats = { statements: 0, plans: [] as string[] };
  const res = await withQueryStats(stats, () => t.app.apollo.executeOperation({ query, variables }, { contextValue: ctx }));
  if (!raw) stats.plans.filter((p) => p.startsWith('closed-loop')).forEach((p) => plansSeen.add(p));
  assert(res.body.kind === 'single');
  return res.body.singleResult;
}

function randomQuestion(): { name: keyof typeof QUERIES; variables: Record<string, unknown> } {
  const filter = randomFilter();
  switch (pick(['summary', 'summary', 'trend', 'departments'] as const)) {
    case 'summary':
      return { name: 'summary', variables: { filter } };
    case 'trend': {
      const interval = pick(INTERVALS);
      if (interval === 'DAY') {
        const a = instant();
        Object.assign(filter, { from: iso(a), to: chance(0.5) ? iso(a + Math.floor(rnd() * 40 * DAY) + 1) : undefined });
        if (!filter.to) filter.from = iso(NOW.getTime() - Math.floor(rnd() * 40 * DAY));
      }
      return { name: 'trend', variables: { filter, interval, tz: pick(ZONES) } };
    }
    case 'departments':
      return { name: 'departments', variables: { filter, parentId: chance(0.5) ? ids.depts[pick(['CO', 'CX'])] : null } };
  }
}

async function compareRandomQuestions(n: number): Promise<number> {
  let nonEmpty = 0;
  for (let i = 0; i < n; i++) {
    const q = randomQuestion();
    const viewer = chance(0.25) ? MANAGER(pick(['CX', 'CX-A', 'OPS'])) : SYSTEM_VIEWER;
    // "now" varies too: overdue is measured against it, and today's due items come from the ledger.
    const at = chance(0.5) ? NOW : new Date(instant());
    const now = () => at;
    const counted = await run(QUERIES[q.name], q.variables, viewer, false, now);
    const raw = await run(QUERIES[q.name], q.variables, viewer, true, now);
    expect({ case: i, ...q, answer: counted }).toEqual({ case: i, ...q, answer: raw });
    if (JSON.stringify(counted.data ?? {}).match(/"actionItems":[1-9]/)) nonEmpty++;
  }
  // KPI targets: summaries of several filters in one call, the counters holding some of them and
  // not the one naming channels (the raw rows answer that one in a second statement).
  for (let i = 0; i < 5; i++) {
    const filters = [...Array.from({ length: 1 + Math.floor(rnd() * 4) }, randomFilter), { ...randomFilter(), channels: [pick(CHANNELS)] }];
    const ctx = t.ctx(SYSTEM_VIEWER, clock);
    const counted = await t.app.services.closedLoop.summaries(ctx, filters as any);
    const rawCtx = t.ctx(SYSTEM_VIEWER, clock);
    rawCtx.rawFacts = true;
    expect(counted).toEqual(await t.app.services.closedLoop.summaries(rawCtx, filters as any));
  }
  // KPI-shaped scopes: one department and a period each (counted together per period and subtree), with a company-wide one.
  const periods = [[iso(START), iso(END)], [iso(START + 17 * DAY + 3_600_000), iso(END - 9 * DAY)]];
  const scopes = periods.flatMap(([from, to]) => [...DEPT_CODES.map((c) => ({ from, to, departmentIds: [ids.depts[c]] })), { from, to }]);
  const ctx = t.ctx(SYSTEM_VIEWER, clock);
  const rawCtx = t.ctx(SYSTEM_VIEWER, clock);
  rawCtx.rawFacts = true;
  const grouped = await t.app.services.closedLoop.summaries(ctx, scopes as any);
  expect(grouped).toEqual(await t.app.services.closedLoop.summaries(rawCtx, scopes as any));
  expect(grouped.some((m) => m.actionItems > 0)).toBe(true);
  return nonEmpty;
}

async function expectCountersExact() {
  expect(await compareClosedLoopCounters(t.deps.ds)).toEqual([]);
}

const UPDATE = `mutation($input: UpdateActionItemInput!) { updateActionItem(input: $input) { id } }`;
const CREATE = `mutation($input: CreateActionItemInput!) { createActionItem(input: $input) { id } }`;
const STATUSES = ['IN_PROGRESS', 'BLOCKED', 'DONE', 'WONT_DO', 'OPEN'];

/** Random moves through the API at random instants (seconds and milliseconds off every minute). */
async function moveItems(n: number) {
  const items: { id: string; created_at: Date }[] = await t.deps.ds.query('SELECT id, created_at FROM action_items ORDER BY id');
  for (let i = 0; i < n; i++) {
    const item = pick(items);
    const at = new Date(new Date(item.created_at).getTime() + Math.floor(rnd() * 20 * DAY));
    const input: Record<string, unknown> = { id: item.id, status: pick(STATUSES) };
    if (chance(0.3)) input.dueAt = chance(0.2) ? null : iso(at.getTime() + Math.floor((rnd() - 0.3) * 10 * DAY));
    await t.exec(UPDATE, { input }, { now: () => at }); // some moves are refused (not allowed from the current status): fine
  }
}

beforeAll(async () => {
  CLOSED_LOOP_TREND.fromCounters = true;
  t = await createTestApp();
  const dept = `mutation($input: DepartmentInput!) { upsertDepartment(input: $input) { id code } }`;
  for (const [code, parent] of [['CO', null], ['CX', 'CO'], ['CX-A', 'CX'], ['CX-B', 'CX'], ['OPS', 'CO']] as const) {
    ids.depts[code] = (await t.ok(dept, { input: { code, name: code, parentCode: parent } })).upsertDepartment.id;
  }
  for (const [email, dept] of AGENTS) {
    ids.agents.push((await t.ok(`mutation($input: PersonInput!) { upsertPerson(input: $input) { id } }`, { input: { email, name: email, departmentCode: dept } })).upsertPerson.id);
  }
  for (const s of SURVEYS) {
    ids.surveys.push((await t.ok(`mutation($input: SurveyInput!) { upsertSurvey(input: $input) { id } }`, { input: { code: s.code, name: s.code, kind: s.kind } })).upsertSurvey.id);
  }
  const rows = Array.from({ length: 600 }, (_, n) => ({
    externalRef: `cl-${n}`,
    surveyCode: pick(SURVEYS).code,
    score: Math.floor(rnd() * 11),
    respondedAt: iso(instant()),
    departmentCode: chance(0.92) ? pick(DEPT_CODES.filter((c) => c !== 'CO')) : null,
    channel: pick(CHANNELS),
    agentEmail: chance(0.7) ? pick(AGENTS)[0] : null,
  }));
  const SUBMIT = `mutation($rows: [ResponseInput!]!) { submitResponses(responses: $rows) { accepted } }`;
  for (let i = 0; i < rows.length; i += 200) {
    // Each batch at its own instant, after its responses: the automatic follow-ups are created then.
    const batch = rows.slice(i, i + 200);
    const at = Math.max(...batch.map((r) => Date.parse(r.respondedAt))) + 1234;
    await t.ok(SUBMIT, { rows: batch }, { now: () => new Date(at) });
  }
  // Manual items, several per response for some (promoters and passives too).
  const responses: { id: string; responded_at: Date }[] = await t.deps.ds.query('SELECT id, responded_at FROM responses ORDER BY external_ref');
  for (let i = 0; i < 120; i++) {
    const r = pick(responses);
    const at = new Date(new Date(r.responded_at).getTime() + Math.floor(rnd() * 3 * DAY));
    const dueAt = chance(0.7) ? iso(at.getTime() + Math.floor(rnd() * 5 * DAY)) : null;
    await t.ok(CREATE, { input: { responseId: r.id, dueAt } }, { now: () => at });
  }
  await moveItems(400);
}, 600_000);
afterAll(() => t?.close());

describe('closed-loop counters against raw rows', () => {
  it('hold exactly what the rows hold after ingest, item creation and moves through the API', async () => {
    const [{ n }] = await t.deps.ds.query('SELECT count(*)::int AS n FROM action_items WHERE response_id IS NOT NULL');
    expect(n).toBeGreaterThan(200);
    await expectCountersExact();
  });

  it('give identical answers for random questions, roles, zones, bounds and instants', async () => {
    const nonEmpty = await compareRandomQuestions(CASES);
    expect(nonEmpty).toBeGreaterThan(CASES / 3);
    expect([...plansSeen].filter((p) => !p.startsWith('agents:')).sort()).toEqual(['closed-loop:hybrid', 'closed-loop:raw', 'closed-loop:rollup']);
  }, 600_000);

  it('split by agent from the agent counters as the raw rows do (KPI rate contributors by agent)', async () => {
    await compareAgentSplits(Math.ceil(CASES / 2));
    expect([...plansSeen].filter((p) => p.startsWith('agents:')).sort()).toEqual(expect.arrayContaining(['agents:closed-loop:hybrid', 'agents:closed-loop:raw']));
  }, 600_000);

  it('stay exact after direct SQL on action_items and responses, and deletions', async () => {
    const q = (sql: string, params: unknown[] = []) => t.deps.ds.query(sql, params);
    await q(`UPDATE action_items SET status = 'DONE', closed_at = coalesce(first_action_at, created_at) + interval '97 minutes 13 seconds',
               first_action_at = coalesce(first_action_at, created_at + interval '5 minutes 59 seconds') WHERE id IN (SELECT id FROM action_items ORDER BY id LIMIT 40)`);
    await q(`UPDATE action_items SET due_at = $1 WHERE id IN (SELECT id FROM action_items ORDER BY id DESC LIMIT 30)`, [iso(NOW.getTime() - 3_600_000)]);
    await q(`UPDATE action_items SET response_id = (SELECT id FROM responses ORDER BY external_ref LIMIT 1) WHERE id IN (SELECT id FROM action_items ORDER BY created_at LIMIT 5) AND NOT auto_created`);
    await q(`DELETE FROM action_items WHERE id IN (SELECT id FROM action_items ORDER BY id OFFSET 100 LIMIT 15)`);
    await q(`UPDATE responses SET score = 10 - score WHERE external_ref LIKE 'cl-1%'`);
    await q(`UPDATE responses SET responded_at = responded_at + interval '37 minutes' WHERE external_ref LIKE 'cl-2%'`);
    await q(`UPDATE responses SET department_id = $1 WHERE external_ref LIKE 'cl-3%'`, [ids.depts.OPS]);
    await q(`UPDATE responses SET comment = 'edited' WHERE external_ref LIKE 'cl-5%'`);
    await q(`UPDATE responses SET agent_id = CASE WHEN agent_id IS NULL THEN $1::uuid END WHERE external_ref LIKE 'cl-6%'`, [ids.agents[0]]);
    await q(`DELETE FROM responses WHERE external_ref LIKE 'cl-4%'`);
    await expectCountersExact();
    await moveItems(100);
    await expectCountersExact();
    await compareRandomQuestions(Math.ceil(CASES / 2));
    await compareAgentSplits(Math.ceil(CASES / 4));
  }, 600_000);

  it('empty with a truncate', async () => {
    await t.deps.ds.query('TRUNCATE responses CASCADE');
    await expectCountersExact();
    const [{ n }] = await t.deps.ds.query('SELECT (SELECT count(*) FROM cl_ledger) + (SELECT count(*) FROM cl_items_day) + (SELECT count(*) FROM cl_minutes_hour) AS n');
    expect(Number(n)).toBe(0);
  });
});
