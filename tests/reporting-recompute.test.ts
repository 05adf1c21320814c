import { randomUUID } from 'node:crypto';
import { createTestApp, TestApp } from './support/test-app';
import { Role, SYSTEM_VIEWER, Viewer } from '../src/modules/auth/viewer';
import { mulberry32 } from './support/seeded-random';

/**
 * Independent recomputation: a few hundred responses with every attribute a filter can name are
 * inserted with a seeded PRNG; for many random filter combinations (segments, department subtrees,
 * customer attributes, dates, manager scopes) the counts are recomputed in plain JavaScript from the
 * inserted rows and compared with npsSummary, departmentScores, Segment.score and npsTrend.
 */

// ---------------------------------------------------------------- seeded data
const SEED = 20251123;
const rnd = mulberry32(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
const chance = (p: number) => rnd() < p;
const some = <T>(xs: readonly T[], max = 2): T[] => {
  const n = 1 + Math.floor(rnd() * max);
  return Array.from({ length: n }, () => pick(xs));
};

const START = Date.parse('2024-10-01T00:00:00Z');
const END = Date.parse('2025-07-01T00:00:00Z');
const NOW = new Date('2025-07-15T12:00:00Z');
const DAY_MS = 86_400_000;
const at = () => START + Math.floor(rnd() * (END - START));

interface Dept { id: string; code: string; parentId: string | null }
interface Survey { id: string; kind: 'RELATIONSHIP' | 'TRANSACTIONAL' }
interface Customer { id: string; region: string | null; plan: string | null; spend: number | null; signupChannel: string | null; product: string | null; since: number | null }
interface Resp { id: string; score: number; at: number; dept: string | null; survey: string; channel: string | null; touchpoint: string | null; agent: string | null; customer: string | null; comment: string | null }
type Filter = Record<string, any>;

const depts: Dept[] = [];
const surveys: Survey[] = [];
const agents: string[] = [];
const customers = new Map<string, Customer>();
const responses: Resp[] = [];
const segments = new Map<string, Filter>();

const CHANNELS = ['email', 'sms', 'web', 'in_app'];
const TOUCHPOINTS = ['support_call', 'delivery', 'onboarding'];
const REGIONS = ['EU', 'US', 'APAC'];
const PLANS = ['free', 'pro', 'enterprise'];
const SIGNUPS = ['web', 'sales', 'partner'];
const PRODUCTS = ['core', 'analytics'];

function buildModel() {
  const dept = (code: string, parent: Dept | null) => {
    const d = { id: randomUUID(), code, parentId: parent?.id ?? null };
    depts.push(d);
    return d;
  };
  const co = dept('CO', null);
  for (const [div, teams] of [['SALES', 3], ['SUPPORT', 3], ['OPS', 2]] as const) {
    const d = dept(div, co);
    for (let i = 1; i <= teams; i++) dept(`${div}-T${i}`, d);
  }
  const lab = dept('LAB', null);
  dept('LAB-X', lab);
  for (const kind of ['RELATIONSHIP', 'RELATIONSHIP', 'TRANSACTIONAL', 'TRANSACTIONAL'] as const) surveys.push({ id: randomUUID(), kind });
  for (let i = 0; i < 6; i++) agents.push(randomUUID());
  for (let i = 0; i < 80; i++) {
    const id = randomUUID();
    customers.set(id, {
      id,
      region: chance(0.85) ? pick(REGIONS) : null,
      plan: chance(0.85) ? pick(PLANS) : null,
      spend: chance(0.8) ? Math.round(rnd() * 2_000_000) / 100 : null,
      signupChannel: chance(0.8) ? pick(SIGNUPS) : null,
      product: chance(0.8) ? pick(PRODUCTS) : null,
      since: chance(0.85) ? Date.parse('2022-01-01T00:00:00Z') + Math.floor(rnd() * 3.3 * 365 * DAY_MS) : null,
    });
  }
  const customerIds = [...customers.keys()];
  for (let i = 0; i < 420; i++) {
    responses.push({
      id: randomUUID(),
      score: Math.floor(rnd() * 11),
      at: at(),
      dept: chance(0.9) ? pick(depts).id : null,
      survey: pick(surveys).id,
      channel: chance(0.85) ? pick(CHANNELS) : null,
      touchpoint: chance(0.7) ? pick(TOUCHPOINTS) : null,
      agent: chance(0.5) ? pick(agents) : null,
      customer: chance(0.85) ? pick(customerIds) : null,
      comment: pick([null, '', '  ', 'Great service', 'Too slow']),
    });
  }
}

// ---------------------------------------------------------------- the JavaScript model of a filter
const childrenOf = (id: string | null) => depts.filter((d) => d.parentId === id);
const subtrees = new Map<string, Set<string>>();
function subtree(id: string): Set<string> {
  if (!subtrees.has(id)) subtrees.set(id, walkDown(id));
  return subtrees.get(id)!;
}
function walkDown(id: string): Set<string> {
  const out = new Set([id]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const d of depts) if (d.parentId && out.has(d.parentId) && !out.has(d.id)) (out.add(d.id), (grew = true));
  }
  return out;
}
const category = (score: number) => (score >= 9 ? 'PROMOTER' : score >= 7 ? 'PASSIVE' : 'DETRACTOR');

function matches(r: Resp, f: Filter): boolean {
  const has = (list: unknown[] | undefined) => list !== undefined && list !== null && list.length > 0;
  if (f.from && !(r.at >= Date.parse(f.from))) return false;
  if (f.to && !(r.at < Date.parse(f.to))) return false;
  if (has(f.departmentIds) && !(r.dept && f.departmentIds.some((d: string) => subtree(d).has(r.dept!)))) return false;
  if (has(f.surveyIds) && !f.surveyIds.includes(r.survey)) return false;
  if (f.surveyKind && surveys.find((s) => s.id === r.survey)!.kind !== f.surveyKind) return false;
  if (has(f.channels) && !(r.channel !== null && f.channels.includes(r.channel))) return false;
  if (has(f.touchpoints) && !(r.touchpoint !== null && f.touchpoints.includes(r.touchpoint))) return false;
  if (has(f.agentIds) && !(r.agent !== null && f.agentIds.includes(r.agent))) return false;
  if (has(f.categories) && !f.categories.includes(category(r.score))) return false;
  if (f.hasComment !== undefined && f.hasComment !== null && (r.comment !== null && r.comment.trim() !== '') !== f.hasComment) return false;
  if (f.minScore !== undefined && f.minScore !== null && r.score < f.minScore) return false;
  if (f.maxScore !== undefined && f.maxScore !== null && r.score > f.maxScore) return false;
  const customerRules = ['regions', 'plans', 'signupChannels', 'products'].some((k) => has(f[k])) ||
    ['spendMin', 'spendMax', 'tenureMinDays', 'tenureMaxDays'].some((k) => f[k] !== undefined && f[k] !== null);
  if (customerRules) {
    const c = r.customer ? customers.get(r.customer)! : null;
    if (!c) return false;
    const inList = (v: string | null, list: string[] | undefined) => !has(list) || (v !== null && list!.includes(v));
    if (!inList(c.region, f.regions) || !inList(c.plan, f.plans) || !inList(c.signupChannel, f.signupChannels) || !inList(c.product, f.products)) return false;
    if (f.spendMin != null && !(c.spend !== null && c.spend >= f.spendMin)) return false;
    if (f.spendMax != null && !(c.spend !== null && c.spend < f.spendMax)) return false;
    if (f.tenureMinDays != null && !(c.since !== null && r.at - c.since >= f.tenureMinDays * DAY_MS)) return false;
    if (f.tenureMaxDays != null && !(c.since !== null && r.at - c.since < f.tenureMaxDays * DAY_MS)) return false;
  }
  return true;
}

/** Everything that decides whether a response counts: the filter, the segment it names, the viewer's scope. */
function counted(r: Resp, f: Filter, viewer: Viewer): boolean {
  if (!matches(r, f)) return false;
  if (f.segmentId && !matches(r, segments.get(f.segmentId)!)) return false;
  if (viewer.role === Role.MANAGER && !(r.dept && subtree(viewer.departmentId!).has(r.dept))) return false;
  return true;
}

function countsOf(rows: Resp[]) {
  const promoters = rows.filter((r) => r.score >= 9).length;
  const detractors = rows.filter((r) => r.score <= 6).length;
  return { responses: rows.length, promoters, passives: rows.length - promoters - detractors, detractors };
}

// ---------------------------------------------------------------- random filters
const iso = (ms: number) => new Date(ms).toISOString();

function randomFilter(allowedDepts: Dept[]): Filter {
  const f: Filter = {};
  // Half the bounds sit exactly on a response's time or a customer's spend, so edges (inclusive/exclusive) are tested.
  const instant = () => (chance(0.5) ? pick(responses).at : at());
  const spend = () => (chance(0.5) ? pick([...customers.values()].filter((c) => c.spend !== null)).spend! : Math.floor(rnd() * 15000));
  if (chance(0.45)) {
    const a = instant();
    const b = instant();
    if (a !== b) {
      if (chance(0.7)) [f.from, f.to] = [iso(Math.min(a, b)), iso(Math.max(a, b))];
      else if (chance(0.5)) f.from = iso(a);
      else f.to = iso(b);
    }
  }
  if (chance(0.3)) f.departmentIds = [...new Set(some(allowedDepts).map((d) => d.id))];
  if (chance(0.25) && segments.size) f.segmentId = pick([...segments.keys()]);
  if (chance(0.2)) f.surveyIds = some(surveys).map((s) => s.id);
  if (chance(0.15)) f.surveyKind = pick(['RELATIONSHIP', 'TRANSACTIONAL']);
  if (chance(0.25)) f.channels = some(CHANNELS);
  if (chance(0.15)) f.touchpoints = some(TOUCHPOINTS);
  if (chance(0.2)) f.regions = some(REGIONS);
  if (chance(0.2)) f.plans = some(PLANS);
  if (chance(0.1)) f.signupChannels = some(SIGNUPS);
  if (chance(0.1)) f.products = some(PRODUCTS);
  if (chance(0.12)) f.tenureMinDays = Math.floor(rnd() * 600);
  if (chance(0.12)) f.tenureMaxDays = (f.tenureMinDays ?? 0) + Math.floor(rnd() * 900);
  if (chance(0.15)) f.spendMin = spend();
  if (chance(0.15)) f.spendMax = Math.max(f.spendMin ?? 0, spend());
  if (chance(0.1)) f.agentIds = some(agents);
  if (chance(0.08)) f.categories = some(['PROMOTER', 'PASSIVE', 'DETRACTOR']);
  if (chance(0.1)) f.hasComment = chance(0.5);
  if (chance(0.08)) f.minScore = Math.floor(rnd() * 6);
  if (chance(0.08)) f.maxScore = 5 + Math.floor(rnd() * 6);
  return f;
}

// ---------------------------------------------------------------- local calendar in a zone (for bucket edges)
function localParts(ms: number, zone: string) {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short', hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return { month: Number(get('month')), day: Number(get('day')), hour: Number(get('hour')), minute: Number(get('minute')), second: Number(get('second')), weekday: get('weekday') };
}

// ---------------------------------------------------------------- the test
let t: TestApp;

beforeAll(async () => {
  buildModel();
  t = await createTestApp();
  const q = (s: string, p: unknown[] = []) => t.db.dataSource.query(s, p);
  for (const d of depts) await q('INSERT INTO departments (id, code, name, parent_id) VALUES ($1, $2, $2, $3)', [d.id, d.code, d.parentId]);
  for (const [i, s] of surveys.entries()) await q('INSERT INTO surveys (id, code, name, kind) VALUES ($1, $2, $2, $3)', [s.id, `S${i}`, s.kind]);
  for (const [i, id] of agents.entries()) await q('INSERT INTO people (id, name) VALUES ($1, $2)', [id, `Agent ${i}`]);
  await q(
    `INSERT INTO customers (id, external_ref, region, plan, spend, signup_channel, product, customer_since)
     SELECT id, external_ref, region, plan, spend, signup_channel, product, customer_since
     FROM json_to_recordset($1::json) AS x(id uuid, external_ref text, region text, plan text, spend numeric, signup_channel text, product text, customer_since timestamptz)`,
    [JSON.stringify([...customers.values()].map((c, i) => ({
      id: c.id, external_ref: `cust-${i}`, region: c.region, plan: c.plan, spend: c.spend, signup_channel: c.signupChannel, product: c.product,
      customer_since: c.since === null ? null : iso(c.since),
    })))],
  );
  await q(
    `INSERT INTO responses (id, external_ref, score, responded_at, department_id, survey_id, channel, touchpoint, agent_id, customer_id, comment)
     SELECT id, external_ref, score, responded_at, department_id, survey_id, channel, touchpoint, agent_id, customer_id, comment
     FROM json_to_recordset($1::json) AS x(id uuid, external_ref text, score int, responded_at timestamptz, department_id uuid, survey_id uuid,
       channel text, touchpoint text, agent_id uuid, customer_id uuid, comment text)`,
    [JSON.stringify(responses.map((r, i) => ({
      id: r.id, external_ref: `resp-${i}`, score: r.score, responded_at: iso(r.at), department_id: r.dept, survey_id: r.survey,
      channel: r.channel, touchpoint: r.touchpoint, agent_id: r.agent, customer_id: r.customer, comment: r.comment,
    })))],
  );
  // Saved segments, created through the API: their filters are stored normalized.
  for (let i = 0; i < 6; i++) {
    const filter = randomFilter(depts);
    delete filter.segmentId;
    const res = await t.ok(`mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }`, { input: { name: `Segment ${i}`, filter } });
    segments.set(res.createSegment.id, filter);
  }
  const [{ n }] = await q('SELECT count(*)::int AS n FROM responses');
  expect(n).toBe(responses.length);
});
afterAll(() => t.close());

const COUNTS = 'responses promoters passives detractors';
const SUMMARY = `query($f: ResponseFilter) { npsSummary(filter: $f) { ${COUNTS} nps } }`;
const DEPTS = `query($f: ResponseFilter, $p: ID) { departmentScores(filter: $f, parentId: $p) { department { id } score { ${COUNTS} } } }`;
const SEGMENT = `query($id: ID!, $f: ResponseFilter) { segment(id: $id) { score(filter: $f) { ${COUNTS} } } }`;
const TREND = `query($f: ResponseFilter, $i: TrendInterval!, $tz: String) { npsTrend(filter: $f, interval: $i, timeZone: $tz) { periodStart periodEnd score { ${COUNTS} } } }`;

const COMBOS = 70;

describe('independent recomputation', () => {
  it(`matches plain JavaScript counts for ${COMBOS} random filter combinations (seed ${SEED})`, async () => {
    let nonEmpty = 0;
    const seen = { manager: 0, segment: 0, departments: 0, customer: 0, parent: 0 };
    for (let combo = 0; combo < COMBOS; combo++) {
      const managerScope = chance(0.3) ? pick(depts.filter((d) => d.code !== 'LAB-X')) : null;
      const viewer: Viewer = managerScope ? { keyId: null, name: 'mgr', role: Role.MANAGER, departmentId: managerScope.id } : SYSTEM_VIEWER;
      const visible = managerScope ? depts.filter((d) => subtree(managerScope.id).has(d.id)) : depts;
      const filter = randomFilter(visible);
      const label = JSON.stringify({ combo, manager: managerScope?.code ?? null, filter });
      const opts = { viewer, now: () => NOW };
      const rows = responses.filter((r) => counted(r, filter, viewer));
      const expected = countsOf(rows);
      if (expected.responses) nonEmpty++;
      if (managerScope) seen.manager++;
      if (filter.segmentId) seen.segment++;
      if (filter.departmentIds) seen.departments++;
      if (filter.regions || filter.plans || filter.spendMin != null || filter.tenureMinDays != null) seen.customer++;

      // npsSummary
      const { npsSummary } = await t.ok(SUMMARY, { f: filter }, opts);
      expect([label, { ...npsSummary, nps: undefined }]).toEqual([label, { ...expected, nps: undefined }]);
      expect([label, npsSummary.nps]).toEqual([label, expected.responses ? (100 * (expected.promoters - expected.detractors)) / expected.responses : null]);

      // departmentScores: children of a random parent in view (or the default level), rolled up in JS
      const parent = chance(0.6) ? pick(visible.filter((d) => childrenOf(d.id).length)) : null;
      if (parent) seen.parent++;
      const targets = parent ? childrenOf(parent.id) : managerScope ? [managerScope] : childrenOf(null);
      const { departmentScores } = await t.ok(DEPTS, { f: filter, p: parent?.id ?? null }, opts);
      const expectedDepts = [...targets]
        .sort((a, b) => (a.code < b.code ? -1 : 1))
        .map((d) => ({ department: { id: d.id }, score: countsOf(rows.filter((r) => r.dept && subtree(d.id).has(r.dept))) }));
      expect([label, parent?.code ?? null, departmentScores]).toEqual([label, parent?.code ?? null, expectedDepts]);

      // Segment.score: the segment narrowed by the rest of the filter
      if (filter.segmentId) {
        const { segmentId, ...rest } = filter;
        const { segment } = await t.ok(SEGMENT, { id: segmentId, f: rest }, opts);
        expect([label, segment.score]).toEqual([label, expected]);
      }

      // npsTrend: every bucket holds exactly the matching responses of its period; buckets sum to the summary
      const interval = pick(['DAY', 'WEEK', 'MONTH', 'QUARTER']);
      const zone = pick([null, 'UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney']);
      const { npsTrend } = await t.ok(TREND, { f: filter, i: interval, tz: zone }, opts);
      const to = filter.to ? Date.parse(filter.to) : NOW.getTime();
      const inRange = rows.filter((r) => r.at < to);
      const from = filter.from ? Date.parse(filter.from) : inRange.length ? Math.min(...inRange.map((r) => r.at)) : null;
      if (from === null) {
        expect([label, npsTrend]).toEqual([label, []]);
        continue;
      }
      const total = countsOf([]);
      for (const [k, point] of npsTrend.entries()) {
        const s = Date.parse(point.periodStart);
        const e = Date.parse(point.periodEnd);
        expect([label, k, point.score]).toEqual([label, k, countsOf(inRange.filter((r) => r.at >= s && r.at < e))]);
        for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += point.score[key];
        if (k > 0) expect(point.periodStart).toBe(npsTrend[k - 1].periodEnd);
        const local = localParts(s, zone ?? 'UTC');
        expect([label, interval, zone, point.periodStart, local.hour, local.minute, local.second]).toEqual([label, interval, zone, point.periodStart, 0, 0, 0]);
        if (interval === 'WEEK') expect([label, local.weekday]).toEqual([label, 'Mon']);
        if (interval === 'MONTH' || interval === 'QUARTER') expect([label, local.day]).toEqual([label, 1]);
        if (interval === 'QUARTER') expect([label, (local.month - 1) % 3]).toEqual([label, 0]);
      }
      expect([label, total]).toEqual([label, countsOf(inRange)]);
      expect(Date.parse(npsTrend[0].periodStart)).toBeLessThanOrEqual(from);
      expect(Date.parse(npsTrend[0].periodEnd)).toBeGreaterThan(from);
      expect(Date.parse(npsTrend[npsTrend.length - 1].periodEnd)).toBeGreaterThanOrEqual(to);
      expect(Date.parse(npsTrend[npsTrend.length - 1].periodStart)).toBeLessThan(to);
    }
    // The random combinations really exercised the interesting cases.
    expect(nonEmpty).toBeGreaterThan(COMBOS / 3);
    for (const [what, n] of Object.entries(seen)) expect([what, n >= 5]).toEqual([what, true]);
  });
});
