import { createTestApp, codes, TestApp } from './support/test-app';
import { Role, Viewer } from '../src/modules/auth/viewer';
import { insertKpiTree, insertPerson } from './support/org-fixture';

/**
 * Fixture (all responses hand-placed; expected figures below are counted by hand from this table):
 *
 *   CO (company) ─┬─ SUP (support) ── SUP-EU
 *                 └─ SALES
 *   People: Ceo (CO) ← Vera VP (SUP) ← Lena Lead (SUP-EU) ← Abe Agent (SUP-EU);  Ceo ← Sam Sales (SALES)
 *   Segment "EU": customers in region EU.
 *
 *   Q1 2026 = [2026-01-01, 2026-04-01)
 *   SUP-EU, EU customer : 10 (exactly at 2026-01-01T00:00Z), 9, 9, 7, 3
 *   SUP-EU, US customer : 0
 *   SUP,    US customer : 10, 6, 5
 *   SALES,  EU customer : 9
 *   SALES,  US customer : 9, 2, 8
 *   Outside Q1          : SUP-EU/EU 0 at 2025-12-31T23:59:59.999Z, SUP/US 0 at 2026-04-01T00:00Z (end is exclusive)
 */
let t: TestApp;
const ids: Record<string, string> = {};
const Q1 = { periodStart: '2026-01-01T00:00:00.000Z', periodEnd: '2026-04-01T00:00:00.000Z' };
const Q2 = { periodStart: '2026-04-01T00:00:00.000Z', periodEnd: '2026-07-01T00:00:00.000Z' };
const MID_Q1 = new Date('2026-02-15T00:00:00.000Z'); // 45 of Q1's 90 days
const atMidQ1 = () => MID_Q1;
const admin = { now: atMidQ1 };
const viewer = (role: Role, departmentId: string | null = null): Viewer => ({ keyId: null, name: role.toLowerCase(), role, departmentId });

const sql = (query: string, params: unknown[] = []) => t.deps.ds.query(query, params);
const targetCount = async () => Number((await sql('SELECT count(*)::int AS n FROM kpi_targets'))[0].n);

const CREATE = `mutation($input: CreateKpiTargetInput!) { createKpiTarget(input: $input) { id } }`;
async function mk(key: string, input: Record<string, unknown>, opts: { viewer?: Viewer } = {}): Promise<string> {
  const data = await t.ok(CREATE, { input }, opts);
  ids[key] = data.createKpiTarget.id;
  return ids[key];
}

const FIGURES = `id metric target actual gap status progress asOf owner { name } department { code } segment { name }
  score { responses promoters passives detractors nps marginOfError }`;
const ONE = `query($id: ID!) { kpiTarget(id: $id) { ${FIGURES} } }`;
const one = async (key: string, opts: { viewer?: Viewer; now?: () => Date } = admin) => (await t.ok(ONE, { id: ids[key] }, opts)).kpiTarget;

/** 95% adjusted-Wald margin (BRIEF.md), recomputed here independently of src/scoring. */
function margin(p: number, d: number, n: number): number {
  const n2 = n + 3;
  const p2 = (p + 0.75) / n2;
  const d2 = (d + 0.75) / n2;
  return 1.96 * 100 * Math.sqrt((p2 + d2 - (p2 - d2) ** 2) / n2);
}

beforeAll(async () => {
  t = await createTestApp();
  await insertKpiTree(sql, ids);
  const person = (key: string, name: string, deptCode: string, manager: string | null = null) => insertPerson(sql, ids, key, name, deptCode, manager);
  await person('ceo', 'Ceo', 'CO', null);
  await person('vp', 'Vera VP', 'SUP', 'ceo');
  await person('lead', 'Lena Lead', 'SUP-EU', 'vp');
  await person('agent', 'Abe Agent', 'SUP-EU', 'lead');
  await person('sales', 'Sam Sales', 'SALES', 'ceo');
  const [survey] = await sql(`INSERT INTO surveys (code, name, kind) VALUES ('REL', 'Relationship', 'RELATIONSHIP') RETURNING id`);
  const [eu] = await sql(`INSERT INTO customers (external_ref, region) VALUES ('c-eu', 'EU') RETURNING id`);
  const [us] = await sql(`INSERT INTO customers (external_ref, region) VALUES ('c-us', 'US') RETURNING id`);
  const [segment] = await sql(`INSERT INTO segments (name, filter) VALUES ('EU', '{"regions": ["EU"]}') RETURNING id`);
  ids.segEU = segment.id;
  let n = 0;
  const respond = async (deptCode: string, customer: string, at: string, ...scores: number[]) => {
    for (const score of scores) {
      await sql('INSERT INTO responses (external_ref, score, survey_id, customer_id, department_id, responded_at) VALUES ($1, $2, $3, $4, $5, $6)', [
        `r${++n}`,
        score,
        survey.id,
        customer,
        ids[deptCode],
        at,
      ]);
    }
  };
  await respond('SUP-EU', eu.id, '2026-01-01T00:00:00.000Z', 10);
  await respond('SUP-EU', eu.id, '2026-02-01T10:00:00.000Z', 9, 9, 7, 3);
  await respond('SUP-EU', us.id, '2026-02-02T10:00:00.000Z', 0);
  await respond('SUP', us.id, '2026-03-31T23:59:59.999Z', 10, 6, 5);
  await respond('SALES', eu.id, '2026-01-15T10:00:00.000Z', 9);
  await respond('SALES', us.id, '2026-02-10T10:00:00.000Z', 9, 2, 8);
  await respond('SUP-EU', eu.id, '2025-12-31T23:59:59.999Z', 0);
  await respond('SUP', us.id, '2026-04-01T00:00:00.000Z', 0);

  // Closed loop over the SUP subtree's Q1 detractors: r5 (3, SUP-EU), r6 (0, SUP-EU), r8 (6, SUP), r9 (5, SUP).
  const item = async (ref: string, firstActionAt: string | null, closedAt: string | null, dueAt: string | null, status: string) => {
    const [r] = await sql('SELECT id, department_id FROM responses WHERE external_ref = $1', [ref]);
    await sql('INSERT INTO action_items (title, response_id, department_id, first_action_at, closed_at, due_at, status) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      `follow up ${ref}`,
      r.id,
      r.department_id,
      firstActionAt,
      closedAt,
      dueAt,
      status,
    ]);
  };
  await item('r5', '2026-02-02T00:00:00Z', '2026-02-03T00:00:00Z', '2026-02-04T00:00:00Z', 'DONE'); // followed up, closed within SLA
  await item('r6', '2026-02-03T00:00:00Z', '2026-02-09T00:00:00Z', '2026-02-04T00:00:00Z', 'DONE'); // followed up, closed late
  await item('r8', null, null, '2026-04-02T00:00:00Z', 'OPEN'); // not followed up yet; r9 has no item at all

  await mk('ceoNps', { ownerId: ids.ceo, metric: 'NPS', target: 30, ...Q1 });
  await mk('vpNps', { ownerEmail: 'VP@example.com', metric: 'NPS', target: -10, departmentCode: 'SUP', ...Q1 });
  await mk('leadPromoters', { ownerId: ids.lead, metric: 'PROMOTER_SHARE', target: 60, tolerance: 10, departmentId: ids['SUP-EU'], ...Q1 });
  await mk('leadDetractors', { ownerId: ids.lead, metric: 'DETRACTOR_SHARE', target: 20, tolerance: 5, departmentId: ids['SUP-EU'], ...Q1 });
  await mk('salesDetractors', { ownerId: ids.sales, metric: 'DETRACTOR_SHARE', target: 30, departmentCode: 'SALES', ...Q1 });
  await mk('vpEuNps', { ownerId: ids.vp, metric: 'NPS', target: 40, departmentId: ids.SUP, segmentId: ids.segEU, ...Q1, name: 'EU support NPS' });
  await mk('agentEuCount', { ownerId: ids.agent, metric: 'RESPONSE_COUNT', target: 7, tolerance: 1, segmentId: ids.segEU, ...Q1 });
  await mk('vpFollowUp', { ownerId: ids.vp, metric: 'FOLLOW_UP_RATE', target: 80, departmentCode: 'SUP', ...Q1 });
  await mk('vpSla', { ownerId: ids.vp, metric: 'CLOSED_WITHIN_SLA_RATE', target: 50, departmentCode: 'SUP', ...Q1 });
  await mk('leadFollowUp', { ownerId: ids.lead, metric: 'FOLLOW_UP_RATE', target: 90, departmentCode: 'SUP-EU', ...Q1 });
  await mk('salesQ2FollowUp', { ownerId: ids.sales, metric: 'FOLLOW_UP_RATE', target: 90, departmentCode: 'SALES', ...Q2 });
  await mk('salesQ2Nps', { ownerId: ids.sales, metric: 'NPS', target: 20, departmentCode: 'SALES', ...Q2 });
  await mk('salesQ2Count', { ownerId: ids.sales, metric: 'RESPONSE_COUNT', target: 5, departmentCode: 'SALES', ...Q2 });
});
afterAll(() => t.close());

describe('KPI actuals, gaps and statuses', () => {
  it('NPS over the whole organisation: AT_RISK because the miss is within the margin of error', async () => {
    // In Q1: promoters 10,9,9,10,9,9 = 6; passives 7,8 = 2; detractors 3,0,6,5,2 = 5; n = 13.
    const k = await one('ceoNps');
    expect(k.score).toMatchObject({ responses: 13, promoters: 6, passives: 2, detractors: 5 });
    expect(k.actual).toBeCloseTo((100 * (6 - 5)) / 13, 10);
    expect(k.gap).toBeCloseTo(100 / 13 - 30, 10);
    expect(k.score.marginOfError).toBeCloseTo(margin(6, 5, 13), 10);
    expect(-k.gap).toBeGreaterThan(5); // beyond the default tolerance...
    expect(-k.gap).toBeLessThan(k.score.marginOfError); // ...but inside the margin of error
    expect(k.status).toBe('AT_RISK');
    expect(k).toMatchObject({ owner: { name: 'Ceo' }, department: null, segment: null, progress: 0.5, asOf: MID_Q1.toISOString() });
  });

  it('NPS over a department subtree: ON_TRACK', async () => {
    // SUP subtree: SUP-EU (10,9,9,7,3,0) + SUP (10,6,5): promoters 4, passives 1, detractors 4, n = 9 -> NPS 0.
    const k = await one('vpNps');
    expect(k.score).toMatchObject({ responses: 9, promoters: 4, passives: 1, detractors: 4, nps: 0 });
    expect(k).toMatchObject({ actual: 0, gap: 10, status: 'ON_TRACK', department: { code: 'SUP' }, owner: { name: 'Vera VP' } });
  });

  it('PROMOTER_SHARE missed by exactly the tolerance is AT_RISK', async () => {
    // SUP-EU: 3 promoters of 6 = 50 %, target 60, tolerance 10.
    const k = await one('leadPromoters');
    expect(k).toMatchObject({ actual: 50, gap: -10, status: 'AT_RISK' });
  });

  it('DETRACTOR_SHARE: lower is better, so the gap is target - actual', async () => {
    // SUP-EU: 2 detractors (3, 0) of 6 = 33.3 %, target 20 -> gap -13.3, beyond tolerance 5.
    const lead = await one('leadDetractors');
    expect(lead.actual).toBeCloseTo(100 / 3, 10);
    expect(lead.gap).toBeCloseTo(20 - 100 / 3, 10);
    expect(lead.status).toBe('OFF_TRACK');
    // SALES: 1 detractor (2) of 4 = 25 %, target 30 -> gap +5.
    expect(await one('salesDetractors')).toMatchObject({ actual: 25, gap: 5, status: 'ON_TRACK' });
  });

  it('segment AND department: only EU customers within the SUP subtree', async () => {
    // SUP subtree, EU customers: 10, 9, 9, 7, 3 -> 3 promoters, 1 passive, 1 detractor, NPS 40.
    const k = await one('vpEuNps');
    expect(k.score).toMatchObject({ responses: 5, promoters: 3, passives: 1, detractors: 1, nps: 40 });
    expect(k).toMatchObject({ actual: 40, gap: 0, status: 'ON_TRACK', segment: { name: 'EU' }, department: { code: 'SUP' } });
  });

  it('RESPONSE_COUNT over a segment organisation-wide: AT_RISK within its tolerance once the period is over', async () => {
    // EU customers in Q1: 5 in SUP-EU + 1 in SALES (the 2025-12-31 one is outside) = 6; target 7, tolerance 1.
    const afterQ1 = { now: () => new Date('2026-04-15T00:00:00.000Z') };
    expect(await one('agentEuCount', afterQ1)).toMatchObject({ actual: 6, gap: -1, status: 'AT_RISK', progress: 1, score: { responses: 6 } });
  });

  it('a running RESPONSE_COUNT is judged on pace: ahead of the pro-rated target is ON_TRACK though short of the full one', async () => {
    // Mid-Q1 (progress 0.5) all 6 EU responses are in: pace 3.5, so ON_TRACK; the gap stays to the full target.
    expect(await one('agentEuCount')).toMatchObject({ actual: 6, gap: -1, status: 'ON_TRACK', progress: 0.5 });
  });

  it('NO_DATA with no responses; a running count of zero is OFF_TRACK; a count before its period is NO_DATA', async () => {
    const inQ2 = { now: () => new Date('2026-05-01T00:00:00.000Z') };
    const nps = await one('salesQ2Nps', inQ2);
    expect(nps).toMatchObject({ actual: null, gap: null, status: 'NO_DATA', score: { responses: 0, nps: null, marginOfError: null } });
    expect(await one('salesQ2Count', inQ2)).toMatchObject({ actual: 0, gap: -5, status: 'OFF_TRACK' });
    const before = await one('salesQ2Count', admin);
    expect(before).toMatchObject({ actual: null, gap: null, status: 'NO_DATA', progress: 0, asOf: Q2.periodStart });
  });

  it('FOLLOW_UP_RATE and CLOSED_WITHIN_SLA_RATE come from the closed loop of the scope', async () => {
    // SUP subtree: 4 detractors (r5, r6, r8, r9), 2 followed up (r5, r6) -> 50 %, target 80 -> OFF_TRACK.
    expect(await one('vpFollowUp')).toMatchObject({ actual: 50, gap: -30, status: 'OFF_TRACK', score: { detractors: 4 } });
    // Closed items with a due date: r5 (in time), r6 (late) -> 50 %, target 50 -> ON_TRACK.
    expect(await one('vpSla')).toMatchObject({ actual: 50, gap: 0, status: 'ON_TRACK' });
    // SUP-EU: detractors r5, r6, both followed up -> 100 %.
    expect(await one('leadFollowUp')).toMatchObject({ actual: 100, gap: 10, status: 'ON_TRACK' });
    // SALES in Q2: no detractors, nothing to measure.
    expect(await one('salesQ2FollowUp', { now: () => new Date('2026-05-01T00:00:00Z') })).toMatchObject({ actual: null, gap: null, status: 'NO_DATA' });
  });

  it('a finished period reports progress 1 and figures as of its end', async () => {
    const k = await one('ceoNps', { now: () => new Date('2027-01-01T00:00:00.000Z') });
    expect(k).toMatchObject({ progress: 1, asOf: Q1.periodEnd, score: { responses: 13 } });
  });
});

describe('listing and the accountability chain', () => {
  const LIST = `query($ownerId: ID, $activeAt: DateTimeISO, $includeReports: Boolean, $departmentId: ID, $metric: KpiMetric) {
    kpiTargets(ownerId: $ownerId, activeAt: $activeAt, includeReports: $includeReports, departmentId: $departmentId, metric: $metric) { id owner { name } metric } }`;
  const keysOf = (list: { id: string }[]) => list.map((k) => Object.keys(ids).find((key) => ids[key] === k.id));

  it('orders by period start, owner name, metric (then period end, id)', async () => {
    const data = await t.ok(LIST, {}, admin);
    const vp = ['vpEuNps', 'vpNps'].sort((a, b) => (ids[a] < ids[b] ? -1 : 1)); // same period, owner and metric: by id
    expect(keysOf(data.kpiTargets)).toEqual([
      'agentEuCount', // Q1, Abe Agent
      'ceoNps', // Q1, Ceo
      'leadDetractors', // Q1, Lena Lead: DETRACTOR_SHARE < FOLLOW_UP_RATE < PROMOTER_SHARE
      'leadFollowUp',
      'leadPromoters',
      'salesDetractors', // Q1, Sam Sales
      'vpSla', // Q1, Vera VP: CLOSED_WITHIN_SLA_RATE < FOLLOW_UP_RATE < NPS
      'vpFollowUp',
      ...vp,
      'salesQ2FollowUp', // Q2, Sam Sales: FOLLOW_UP_RATE < NPS < RESPONSE_COUNT
      'salesQ2Nps',
      'salesQ2Count',
    ]);
  });

  const Q1_KEYS = ['agentEuCount', 'ceoNps', 'leadDetractors', 'leadFollowUp', 'leadPromoters', 'salesDetractors', 'vpSla', 'vpFollowUp', 'vpEuNps', 'vpNps'];
  const Q2_KEYS = ['salesQ2FollowUp', 'salesQ2Nps', 'salesQ2Count'];
  const list = async (vars: Record<string, unknown>, opts: { viewer?: Viewer; now?: () => Date } = admin) => keysOf((await t.ok(LIST, vars, opts)).kpiTargets);
  const sorted = (keys: (string | undefined)[]) => [...keys].sort();

  it('activeAt selects targets whose period [start, end) contains the instant', async () => {
    expect(sorted(await list({ activeAt: MID_Q1.toISOString() }))).toEqual(sorted(Q1_KEYS));
    expect(sorted(await list({ activeAt: '2026-03-31T23:59:59.999Z' }))).toEqual(sorted(Q1_KEYS));
    expect(sorted(await list({ activeAt: Q2.periodStart }))).toEqual(sorted(Q2_KEYS));
    expect(await list({ activeAt: '2025-12-31T23:59:59.999Z' })).toEqual([]);
  });

  it('ownerId alone gives the owner\'s targets; includeReports walks the manager chain down', async () => {
    expect(sorted(await list({ ownerId: ids.vp }))).toEqual(sorted(['vpNps', 'vpEuNps', 'vpFollowUp', 'vpSla']));
    const vpChain = ['vpNps', 'vpEuNps', 'vpFollowUp', 'vpSla', 'leadPromoters', 'leadDetractors', 'leadFollowUp', 'agentEuCount'];
    expect(sorted(await list({ ownerId: ids.vp, includeReports: true }))).toEqual(sorted(vpChain));
    expect(sorted(await list({ ownerId: ids.ceo, includeReports: true }))).toEqual(sorted([...Q1_KEYS, ...Q2_KEYS]));
    expect(await list({ ownerId: ids.agent, includeReports: true })).toEqual(['agentEuCount']);
    expect(sorted(await list({ ownerId: ids.vp, includeReports: true, activeAt: Q2.periodStart }))).toEqual([]);
  });

  it('departmentId narrows to targets scoped to that subtree; metric to one metric', async () => {
    const sup = ['vpNps', 'vpEuNps', 'vpFollowUp', 'vpSla', 'leadPromoters', 'leadDetractors', 'leadFollowUp'];
    expect(sorted(await list({ departmentId: ids.SUP }))).toEqual(sorted(sup));
    expect(sorted(await list({ departmentId: ids['SUP-EU'] }))).toEqual(sorted(['leadPromoters', 'leadDetractors', 'leadFollowUp']));
    expect(sorted(await list({ metric: 'NPS' }))).toEqual(sorted(['ceoNps', 'vpNps', 'vpEuNps', 'salesQ2Nps']));
    expect(sorted(await list({ metric: 'NPS', departmentId: ids.SALES }))).toEqual(['salesQ2Nps']);
  });

  describe('status and metrics (status is computed: filtered after one batched measurement)', () => {
    const BY = `query($status: [KpiStatus!], $metrics: [KpiMetric!], $metric: KpiMetric, $departmentId: ID) {
      kpiTargets(status: $status, metrics: $metrics, metric: $metric, departmentId: $departmentId) { id status metric } }`;
    const by = async (vars: Record<string, unknown>, opts: { viewer?: Viewer; now?: () => Date } = admin) => {
      const list = (await t.ok(BY, vars, opts)).kpiTargets;
      for (const k of list) if ((vars.status as string[] | undefined)?.length) expect(vars.status).toContain(k.status);
      return keysOf(list);
    };

    it('status keeps the targets whose status (as of now) is one of those asked, in the usual order', async () => {
      // Mid-Q1 statuses, as asserted figure by figure above.
      expect(await by({ status: ['OFF_TRACK', 'AT_RISK'] })).toEqual(['ceoNps', 'leadDetractors', 'leadPromoters', 'vpFollowUp']);
      expect(await by({ status: ['NO_DATA'] })).toEqual(Q2_KEYS);
      expect(sorted(await by({ status: ['ON_TRACK'] }))).toEqual(sorted(['agentEuCount', 'leadFollowUp', 'salesDetractors', 'vpSla', 'vpEuNps', 'vpNps']));
      // After Q1 the response count is judged against the full target: 6 of 7, AT_RISK.
      const afterQ1 = { now: () => new Date('2026-04-15T00:00:00Z') };
      expect(await by({ status: ['AT_RISK'], metrics: ['RESPONSE_COUNT'] }, afterQ1)).toEqual(['agentEuCount']);
    });

    it('metrics keeps targets of any of the metrics; combines with metric, status and departmentId', async () => {
      expect(sorted(await by({ metrics: ['FOLLOW_UP_RATE', 'CLOSED_WITHIN_SLA_RATE'] }))).toEqual(sorted(['leadFollowUp', 'vpSla', 'vpFollowUp', 'salesQ2FollowUp']));
      expect(await by({ metrics: ['NPS', 'RESPONSE_COUNT'], status: ['NO_DATA'] })).toEqual(['salesQ2Nps', 'salesQ2Count']);
      expect(await by({ metrics: ['FOLLOW_UP_RATE'], metric: 'NPS' })).toEqual([]);
      expect(await by({ metrics: ['NPS', 'DETRACTOR_SHARE'], metric: 'NPS', status: ['AT_RISK'] })).toEqual(['ceoNps']);
      expect(await by({ status: ['OFF_TRACK'], departmentId: ids['SUP-EU'] })).toEqual(['leadDetractors']);
    });

    it('empty lists restrict nothing', async () => {
      expect(sorted(await by({ status: [], metrics: [] }))).toEqual(sorted([...Q1_KEYS, ...Q2_KEYS]));
    });

    it('a MANAGER filters only the targets of their subtree', async () => {
      const manager = { viewer: viewer(Role.MANAGER, ids['SUP-EU']), now: atMidQ1 };
      expect(await by({ status: ['OFF_TRACK', 'AT_RISK'] }, manager)).toEqual(['leadDetractors', 'leadPromoters']);
    });
  });

  it('rejects includeReports without ownerId, unknown and malformed ids', async () => {
    expect(codes(await t.exec(LIST, { includeReports: true }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.exec(LIST, { ownerId: '00000000-0000-4000-8000-000000000000' }))).toEqual(['NOT_FOUND']);
    expect(codes(await t.exec(LIST, { departmentId: '00000000-0000-4000-8000-000000000000' }))).toEqual(['NOT_FOUND']);
    expect(codes(await t.exec(LIST, { ownerId: 'nope' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.exec(ONE, { id: '00000000-0000-4000-8000-000000000000' }))).toEqual(['NOT_FOUND']);
  });

  it('walks CEO -> reports -> agents with their targets in one round trip', async () => {
    const WALK = `query($id: ID!, $at: DateTimeISO) { person(id: $id) { name targets(activeAt: $at) { metric status }
      reports { name targets(activeAt: $at) { metric actual }
        reports { name targets(activeAt: $at) { metric actual } reports { name targets(activeAt: $at) { metric actual } reports { name } } } } } }`;
    const data = await t.ok(WALK, { id: ids.ceo, at: MID_Q1.toISOString() }, admin);
    const ceo = data.person;
    expect(ceo.name).toBe('Ceo');
    expect(ceo.targets).toEqual([{ metric: 'NPS', status: 'AT_RISK' }]);
    expect(ceo.reports.map((p: any) => p.name)).toEqual(['Sam Sales', 'Vera VP']);
    const [sam, vera] = ceo.reports;
    expect(sam.targets).toEqual([{ metric: 'DETRACTOR_SHARE', actual: 25 }]); // Q2 targets are not active mid-Q1
    expect(sam.reports).toEqual([]);
    expect(vera.targets.map((k: any) => k.metric)).toEqual(['CLOSED_WITHIN_SLA_RATE', 'FOLLOW_UP_RATE', 'NPS', 'NPS']);
    const lena = vera.reports[0];
    expect(vera.reports.map((p: any) => p.name)).toEqual(['Lena Lead']);
    expect(lena.targets).toEqual([
      { metric: 'DETRACTOR_SHARE', actual: 100 / 3 },
      { metric: 'FOLLOW_UP_RATE', actual: 100 },
      { metric: 'PROMOTER_SHARE', actual: 50 },
    ]);
    expect(lena.reports).toEqual([{ name: 'Abe Agent', targets: [{ metric: 'RESPONSE_COUNT', actual: 6 }], reports: [] }]);
  });
});

describe('access', () => {
  const LIST = `query($ownerId: ID, $includeReports: Boolean) { kpiTargets(ownerId: $ownerId, includeReports: $includeReports) { id actual department { code } } }`;
  const supManager = () => viewer(Role.MANAGER, ids.SUP);

  it('a MANAGER sees only targets of departments in their subtree, never organisation-wide ones', async () => {
    const data = await t.ok(LIST, {}, { viewer: supManager(), now: atMidQ1 });
    const seen = data.kpiTargets.map((k: any) => k.id).sort();
    const expected = ['vpNps', 'vpEuNps', 'vpFollowUp', 'vpSla', 'leadPromoters', 'leadDetractors', 'leadFollowUp'].map((k) => ids[k]).sort();
    expect(seen).toEqual(expected);
    expect(data.kpiTargets.every((k: any) => ['SUP', 'SUP-EU'].includes(k.department.code))).toBe(true);
    // The same figures as an unscoped caller sees (the whole scope lies in the subtree).
    const vp = data.kpiTargets.find((k: any) => k.id === ids.vpNps);
    expect(vp.actual).toBe(0);
    const chain = await t.ok(LIST, { ownerId: ids.ceo, includeReports: true }, { viewer: supManager() });
    expect(chain.kpiTargets.map((k: any) => k.id).sort()).toEqual(expected);
  });

  it('kpiTarget(id) is FORBIDDEN to a MANAGER outside their subtree or for an organisation-wide target', async () => {
    const opts = { viewer: supManager(), now: atMidQ1 };
    expect(codes(await t.exec(ONE, { id: ids.salesDetractors }, opts))).toEqual(['FORBIDDEN']);
    expect(codes(await t.exec(ONE, { id: ids.ceoNps }, opts))).toEqual(['FORBIDDEN']);
    expect(codes(await t.exec(ONE, { id: ids.agentEuCount }, opts))).toEqual(['FORBIDDEN']);
    expect(await one('leadPromoters', opts)).toMatchObject({ actual: 50, gap: -10, status: 'AT_RISK' });
  });

  it('Person.targets and Person.reports apply the same scope for a MANAGER', async () => {
    const q = `query($id: ID!) { person(id: $id) { targets { id } reports { name targets { id } } } }`;
    const data = await t.ok(q, { id: ids.ceo }, { viewer: supManager() });
    expect(data.person.targets).toEqual([]);
    expect(data.person.reports.map((p: any) => p.name)).toEqual(['Vera VP']);
    expect(data.person.reports[0].targets.map((k: any) => k.id).sort()).toEqual(['vpNps', 'vpEuNps', 'vpFollowUp', 'vpSla'].map((k) => ids[k]).sort());
  });

  it('reads need READ_TARGETS', async () => {
    const integration = { viewer: viewer(Role.INTEGRATION) };
    expect(codes(await t.exec(LIST, {}, integration))).toEqual(['FORBIDDEN']);
    expect(codes(await t.exec(ONE, { id: ids.ceoNps }, integration))).toEqual(['FORBIDDEN']);
  });

  it('an EXECUTIVE may create targets; a MANAGER may not, and nothing is created', async () => {
    const input = { ownerId: ids.lead, metric: 'NPS', target: 10, departmentId: ids['SUP-EU'], periodStart: '2029-01-01T00:00:00Z', periodEnd: '2030-01-01T00:00:00Z' };
    const before = await targetCount();
    const res = await t.exec(CREATE, { input }, { viewer: supManager() });
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(await targetCount()).toBe(before);
    const id = await mk('execCreated', input, { viewer: viewer(Role.EXECUTIVE) });
    expect(await targetCount()).toBe(before + 1);
    const del = `mutation($id: ID!) { deleteKpiTarget(id: $id) }`;
    expect(codes(await t.exec(del, { id }, { viewer: supManager() }))).toEqual(['FORBIDDEN']);
    expect(await targetCount()).toBe(before + 1);
    expect((await t.ok(del, { id }, { viewer: viewer(Role.EXECUTIVE) })).deleteKpiTarget).toBe(id);
    expect(await targetCount()).toBe(before);
  });
});

describe('create, update, delete', () => {
  const UPDATE = `mutation($id: ID!, $input: UpdateKpiTargetInput!) { updateKpiTarget(id: $id, input: $input) {
    id name metric target tolerance periodStart periodEnd owner { name } department { code } segment { name } } }`;
  const Y2030 = { periodStart: '2030-01-01T00:00:00.000Z', periodEnd: '2031-01-01T00:00:00.000Z' };
  const rows = () => sql('SELECT * FROM kpi_targets ORDER BY id');

  /** Runs the mutation, expects exactly this error code, and checks no row changed. */
  async function refused(query: string, variables: Record<string, unknown>, code: string, field?: string) {
    const before = await rows();
    const res = await t.exec(query, variables);
    expect(codes(res)).toEqual([code]);
    if (field) expect(res.errors![0].extensions?.field ?? JSON.stringify(res.errors![0].extensions)).toContain(field);
    expect(await rows()).toEqual(before);
    return res;
  }

  it('validates the target value per metric, the period and the tolerance, creating nothing', async () => {
    const base = { ownerId: ids.vp, departmentId: ids.SUP, ...Y2030 };
    const bad: [Record<string, unknown>, string][] = [
      [{ metric: 'NPS', target: 100.5 }, 'target'],
      [{ metric: 'NPS', target: -101 }, 'target'],
      [{ metric: 'PROMOTER_SHARE', target: 100.1 }, 'target'],
      [{ metric: 'DETRACTOR_SHARE', target: -1 }, 'target'],
      [{ metric: 'FOLLOW_UP_RATE', target: 101 }, 'target'],
      [{ metric: 'CLOSED_WITHIN_SLA_RATE', target: -0.5 }, 'target'],
      [{ metric: 'RESPONSE_COUNT', target: -1 }, 'target'],
      [{ metric: 'NPS', target: 10, periodEnd: Y2030.periodStart }, 'periodEnd'],
      [{ metric: 'NPS', target: 10, periodEnd: '2029-12-31T00:00:00Z' }, 'periodEnd'],
      [{ metric: 'NPS', target: 10, tolerance: -1 }, 'tolerance'],
      [{ metric: 'NPS', target: 10, ownerId: null }, 'ownerId'],
      [{ metric: 'NPS', target: 10, ownerEmail: 'vp@example.com' }, 'ownerEmail'],
      [{ metric: 'NPS', target: 10, ownerId: '42' }, 'ownerId'],
      [{ metric: 'NPS', target: 10, departmentCode: 'SUP' }, 'departmentCode'],
      [{ metric: 'NPS', target: 10, departmentId: 'x' }, 'departmentId'],
    ];
    for (const [patch, field] of bad) await refused(CREATE, { input: { ...base, ...patch } }, 'BAD_USER_INPUT', field);
    // The edges of each range are accepted.
    for (const [metric, target] of [['NPS', -100], ['NPS', 100], ['PROMOTER_SHARE', 0], ['DETRACTOR_SHARE', 100], ['RESPONSE_COUNT', 0]] as const) {
      const id = await mk(`edge-${metric}-${target}`, { ...base, metric, target });
      await t.ok(`mutation($id: ID!) { deleteKpiTarget(id: $id) }`, { id });
    }
  });

  it('answers NOT_FOUND for unknown references, creating nothing', async () => {
    const base = { ownerId: ids.vp, metric: 'NPS', target: 10, ...Y2030 };
    const unknown = '00000000-0000-4000-8000-000000000000';
    const cases: [Record<string, unknown>, string][] = [
      [{ ownerId: unknown }, 'ownerId'],
      [{ ownerId: null, ownerEmail: 'nobody@example.com' }, 'ownerEmail'],
      [{ departmentId: unknown }, 'departmentId'],
      [{ departmentCode: 'NOPE' }, 'departmentCode'],
      [{ segmentId: unknown }, 'segmentId'],
    ];
    for (const [patch, field] of cases) await refused(CREATE, { input: { ...base, ...patch } }, 'NOT_FOUND', field);
  });

  it('creates by email and code, then updates only what is given; null clears optional fields', async () => {
    const id = await mk('edited', {
      ownerEmail: 'LEAD@example.com',
      metric: 'NPS',
      target: 20,
      departmentCode: 'SUP-EU',
      segmentId: ids.segEU,
      tolerance: 3,
      name: 'EU NPS',
      ...Y2030,
    });
    let k = (await t.ok(UPDATE, { id, input: { target: 25 } })).updateKpiTarget;
    expect(k).toEqual({
      id,
      name: 'EU NPS',
      metric: 'NPS',
      target: 25,
      tolerance: 3,
      ...Y2030,
      owner: { name: 'Lena Lead' },
      department: { code: 'SUP-EU' },
      segment: { name: 'EU' },
    });
    k = (await t.ok(UPDATE, { id, input: { departmentId: null, segmentId: null, tolerance: null, name: null, ownerId: ids.vp, metric: 'PROMOTER_SHARE' } }, { viewer: viewer(Role.EXECUTIVE) })).updateKpiTarget;
    expect(k).toMatchObject({ name: null, metric: 'PROMOTER_SHARE', target: 25, tolerance: null, owner: { name: 'Vera VP' }, department: null, segment: null });
    k = (await t.ok(UPDATE, { id, input: { departmentCode: 'SALES', periodEnd: '2030-07-01T00:00:00.000Z' } })).updateKpiTarget;
    expect(k).toMatchObject({ department: { code: 'SALES' }, periodStart: Y2030.periodStart, periodEnd: '2030-07-01T00:00:00.000Z' });
  });

  it('refuses bad updates, changing nothing', async () => {
    const id = await mk('negativeNps', { ownerId: ids.vp, metric: 'NPS', target: -10, departmentCode: 'SUP', ...Y2030 });
    await refused(UPDATE, { id, input: { target: 150 } }, 'BAD_USER_INPUT', 'target');
    await refused(UPDATE, { id, input: { metric: 'PROMOTER_SHARE' } }, 'BAD_USER_INPUT', 'target'); // -10 is no share
    await refused(UPDATE, { id, input: { periodEnd: '2029-06-01T00:00:00Z' } }, 'BAD_USER_INPUT', 'periodEnd');
    await refused(UPDATE, { id, input: { metric: null } }, 'BAD_USER_INPUT', 'metric');
    await refused(UPDATE, { id, input: { tolerance: -2 } }, 'BAD_USER_INPUT', 'tolerance');
    await refused(UPDATE, { id, input: { departmentId: ids.SUP, departmentCode: 'SUP' } }, 'BAD_USER_INPUT', 'departmentCode');
    await refused(UPDATE, { id, input: { target: 5, departmentCode: 'NOPE' } }, 'NOT_FOUND', 'departmentCode');
    await refused(UPDATE, { id, input: { target: 5, ownerEmail: 'nobody@example.com' } }, 'NOT_FOUND', 'ownerEmail');
    // Empty and null references are input errors naming the field, not internal errors.
    await refused(UPDATE, { id, input: { ownerId: '' } }, 'BAD_USER_INPUT', 'ownerId');
    await refused(UPDATE, { id, input: { ownerId: null } }, 'BAD_USER_INPUT', 'ownerId');
    await refused(UPDATE, { id, input: { ownerEmail: '' } }, 'BAD_USER_INPUT', 'ownerEmail');
    await refused(UPDATE, { id, input: { segmentId: '' } }, 'BAD_USER_INPUT', 'segmentId');
    await refused(UPDATE, { id: '00000000-0000-4000-8000-000000000000', input: { target: 5 } }, 'NOT_FOUND', 'id');
    expect(codes(await t.exec(UPDATE, { id, input: { target: 5 } }, { viewer: viewer(Role.MANAGER, ids.SUP) }))).toEqual(['FORBIDDEN']);
    const [row] = await sql('SELECT target, metric FROM kpi_targets WHERE id = $1', [id]);
    expect(row).toEqual({ target: -10, metric: 'NPS' });
  });

  it('deletes once; a second delete is NOT_FOUND', async () => {
    const id = await mk('doomed', { ownerId: ids.agent, metric: 'RESPONSE_COUNT', target: 3, ...Y2030 });
    const del = `mutation($id: ID!) { deleteKpiTarget(id: $id) }`;
    expect((await t.ok(del, { id })).deleteKpiTarget).toBe(id);
    expect(await sql('SELECT id FROM kpi_targets WHERE id = $1', [id])).toEqual([]);
    expect(codes(await t.exec(del, { id }))).toEqual(['NOT_FOUND']);
  });
});

describe('statement count', () => {
  const Y2031 = { start: '2031-01-01T00:00:00.000Z', end: '2032-01-01T00:00:00.000Z' };
  const Q = `query($metric: KpiMetric) { kpiTargets(activeAt: "2031-06-01T00:00:00Z", metric: $metric) {
    id actual gap status progress asOf owner { name } department { code } segment { name }
    score { responses nps marginOfError } } }`;

  /** Statements sent to the database while running the operation. */
  async function statements(variables: Record<string, unknown>): Promise<{ count: number; data: any }> {
    const spy = jest.spyOn(t.deps.ds.logger, 'logQuery');
    try {
      const data = await t.ok(Q, variables, { now: () => new Date('2031-06-01T00:00:00Z') });
      return { count: spy.mock.calls.length, data };
    } finally {
      spy.mockRestore();
    }
  }

  it('a list of 20 targets with nested owner, department, segment and figures takes a handful of statements, not one per target', async () => {
    const owners = ['ceo', 'vp', 'lead', 'agent', 'sales'];
    const depts = [null, 'CO', 'SUP', 'SUP-EU', 'SALES'];
    for (let i = 0; i < 20; i++) {
      await sql(
        'INSERT INTO kpi_targets (owner_id, metric, target, period_start, period_end, department_id, segment_id) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [ids[owners[i % 5]], i % 2 ? 'PROMOTER_SHARE' : 'NPS', 10 + i, Y2031.start, Y2031.end, depts[i % 5] && ids[depts[i % 5]!], i % 3 ? null : ids.segEU],
      );
    }
    const all = await statements({});
    expect(all.data.kpiTargets).toHaveLength(20);
    expect(all.data.kpiTargets.every((k: any) => k.status === 'NO_DATA' && k.owner.name && k.score.responses === 0)).toBe(true);
    // list, people, departments, segments, one UNION ALL of counts.
    expect(all.count).toBeLessThanOrEqual(5);
    const half = await statements({ metric: 'NPS' });
    expect(half.data.kpiTargets).toHaveLength(10);
    expect(all.count).toBe(half.count);
    // Filtering by status measures the list once; the figures selected read the same measurements.
    const spy = jest.spyOn(t.deps.ds.logger, 'logQuery');
    try {
      const QS = Q.replace('query($metric: KpiMetric)', 'query($metric: KpiMetric, $status: [KpiStatus!])').replace('metric: $metric)', 'metric: $metric, status: $status)');
      const data = await t.ok(QS, { status: ['NO_DATA'] }, { now: () => new Date('2031-06-01T00:00:00Z') });
      expect(data.kpiTargets).toHaveLength(20);
      expect(spy.mock.calls.length).toBe(all.count);
      spy.mockClear();
      expect((await t.ok(QS, { status: ['ON_TRACK'] }, { now: () => new Date('2031-06-01T00:00:00Z') })).kpiTargets).toEqual([]);
      expect(spy.mock.calls.length).toBeLessThanOrEqual(all.count);
    } finally {
      spy.mockRestore();
    }
  });
});
