import { createTestApp, TestApp } from './support/test-app';
import { Role, Viewer } from '../src/modules/auth/viewer';
import { insertKpiTree, insertPerson } from './support/org-fixture';

/**
 * KpiTarget.contributors on a hand-built fixture; every figure below is worked out by hand.
 *
 *   CO ─┬─ SUP ── SUP-EU
 *       └─ SALES
 *   Agents (SUP-EU): Ann, Bob.
 *
 *   Q1 2026 responses:
 *   SUP-EU, Ann      : 10, 9, 0      (P 2, D 1)
 *   SUP-EU, Bob      : 6, 3          (D 2)
 *   SUP-EU, no agent : 10            (P 1)
 *   SUP (itself)     : 9, 7, 2, 1    (P 1, passive 1, D 2)
 *   SALES            : 10, 10, 8, 5  (P 2, passive 1, D 1)
 *   no department    : 9, 0          (P 1, D 1)
 *   Q2: none.
 *   Segment "EU" (customers in region EU): Ann's three responses and SUP's 9 and 7.
 */
let t: TestApp;
const ids: Record<string, string> = {};
const Q1 = { periodStart: '2026-01-01T00:00:00.000Z', periodEnd: '2026-04-01T00:00:00.000Z' };
const Q2 = { periodStart: '2026-04-01T00:00:00.000Z', periodEnd: '2026-07-01T00:00:00.000Z' };
const now = () => new Date('2026-05-01T00:00:00.000Z');
const sql = (query: string, params: unknown[] = []) => t.deps.ds.query(query, params);
const viewer = (role: Role, departmentId: string | null = null): Viewer => ({ keyId: null, name: role.toLowerCase(), role, departmentId });

const CONTRIB = `kind label responses actual contribution department { code } agent { name } score { responses promoters passives detractors nps }`;
const ONE = `query($id: ID!) { kpiTarget(id: $id) { gap actual contributors { ${CONTRIB} } } }`;
const one = async (key: string, opts: { viewer?: Viewer } = {}) => (await t.ok(ONE, { id: ids[key] }, { now, ...opts })).kpiTarget;
const sum = (list: { contribution: number }[]) => list.reduce((s, c) => s + c.contribution, 0);

beforeAll(async () => {
  t = await createTestApp();
  await insertKpiTree(sql, ids);
  const person = (key: string, name: string, deptCode: string, manager: string | null = null) => insertPerson(sql, ids, key, name, deptCode, manager);
  await person('ceo', 'Ceo', 'CO');
  await person('ann', 'Ann', 'SUP-EU');
  await person('bob', 'Bob', 'SUP-EU');
  const [survey] = await sql(`INSERT INTO surveys (code, name, kind) VALUES ('REL', 'Relationship', 'RELATIONSHIP') RETURNING id`);
  const [eu] = await sql(`INSERT INTO customers (external_ref, region) VALUES ('c-eu', 'EU') RETURNING id`);
  const [segment] = await sql(`INSERT INTO segments (name, filter) VALUES ('EU', '{"regions": ["EU"]}') RETURNING id`);
  ids.segEU = segment.id;
  let n = 0;
  const respond = async (deptCode: string | null, agent: string | null, at: string, ...scores: number[]) => {
    for (const score of scores) {
      const customer = agent === 'ann' || (deptCode === 'SUP' && score >= 7) ? eu.id : null;
      await sql('INSERT INTO responses (external_ref, score, survey_id, department_id, agent_id, customer_id, responded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        `r${++n}`,
        score,
        survey.id,
        deptCode && ids[deptCode],
        agent && ids[agent],
        customer,
        at,
      ]);
    }
  };
  await respond('SUP-EU', 'ann', '2026-02-01T10:00:00.000Z', 10, 9, 0);
  await respond('SUP-EU', 'bob', '2026-02-02T10:00:00.000Z', 6, 3);
  await respond('SUP-EU', null, '2026-02-03T10:30:00.000Z', 10);
  await respond('SUP', null, '2026-03-01T00:00:00.000Z', 9, 7, 2, 1);
  await respond('SALES', null, '2026-01-15T10:00:00.000Z', 10, 10, 8, 5);
  await respond(null, null, '2026-03-31T23:59:59.999Z', 9, 0);

  const mk = async (key: string, input: Record<string, unknown>) => {
    const data = await t.ok(`mutation($input: CreateKpiTargetInput!) { createKpiTarget(input: $input) { id } }`, { input: { ownerId: ids.ceo, ...input } });
    ids[key] = data.createKpiTarget.id;
  };
  await mk('supNps', { metric: 'NPS', target: 20, departmentCode: 'SUP', ...Q1 });
  await mk('euPromoters', { metric: 'PROMOTER_SHARE', target: 50, departmentCode: 'SUP-EU', ...Q1 });
  await mk('orgDetractors', { metric: 'DETRACTOR_SHARE', target: 30, ...Q1 });
  await mk('supCount', { metric: 'RESPONSE_COUNT', target: 5, departmentCode: 'SUP', ...Q1 });
  await mk('supFollowUp', { metric: 'FOLLOW_UP_RATE', target: 80, departmentCode: 'SUP', ...Q1 });
  await mk('supEuNps', { metric: 'NPS', target: 0, departmentCode: 'SUP', segmentId: ids.segEU, ...Q1 });
  await mk('euEuPromoters', { metric: 'PROMOTER_SHARE', target: 50, departmentCode: 'SUP-EU', segmentId: ids.segEU, ...Q1 });
  await mk('supQ2Nps', { metric: 'NPS', target: 20, departmentCode: 'SUP', ...Q2 });
});
afterAll(() => t.close());

describe('KpiTarget.contributors', () => {
  it("NPS on a department with children: each child subtree plus the department's own responses, adding up to the gap", async () => {
    // SUP subtree: n 10, P 4, D 5: NPS -10, gap -10 - 20 = -30.
    // SUP-EU: n 6, P 3, D 3, NPS 0: 6/10 x (0 - 20) = -12.  SUP itself: n 4, P 1, D 2, NPS -25: 4/10 x (-25 - 20) = -18.
    const k = await one('supNps');
    expect(k).toMatchObject({ actual: -10, gap: -30 });
    expect(k.contributors).toEqual([
      {
        kind: 'OWN_DEPARTMENT',
        label: '(this department itself)',
        responses: 4,
        actual: -25,
        contribution: -18,
        department: { code: 'SUP' },
        agent: null,
        score: { responses: 4, promoters: 1, passives: 1, detractors: 2, nps: -25 },
      },
      {
        kind: 'CHILD_DEPARTMENT',
        label: 'SUP-EU',
        responses: 6,
        actual: 0,
        contribution: -12,
        department: { code: 'SUP-EU' },
        agent: null,
        score: { responses: 6, promoters: 3, passives: 0, detractors: 3, nps: 0 },
      },
    ]);
    expect(sum(k.contributors)).toBe(k.gap);
  });

  it('a department without children splits by agent, plus the responses with no agent', async () => {
    // SUP-EU promoter share: 3 of 6 = 50, gap 0. Ann 2/3: 3/6 x (66.67 - 50) = 8.33; Bob 0/2: 2/6 x (0 - 50) = -16.67;
    // no agent 1/1: 1/6 x (100 - 50) = 8.33. Ann and "no agent" tie on |contribution|: more responses first.
    const k = await one('euPromoters');
    expect(k).toMatchObject({ actual: 50, gap: 0 });
    expect(k.contributors.map((c: any) => [c.kind, c.label, c.agent?.name ?? null, c.responses])).toEqual([
      ['AGENT', 'Bob', 'Bob', 2],
      ['AGENT', 'Ann', 'Ann', 3],
      ['NO_AGENT', '(no agent)', null, 1],
    ]);
    const [bob, ann, none] = k.contributors;
    expect(bob.actual).toBe(0);
    expect(bob.contribution).toBeCloseTo(-100 / 6, 12);
    expect(ann.actual).toBeCloseTo(200 / 3, 12);
    expect(ann.contribution).toBeCloseTo(50 / 6, 12);
    expect(none).toMatchObject({ actual: 100, department: null });
    expect(none.contribution).toBeCloseTo(50 / 6, 12);
    expect(sum(k.contributors)).toBeCloseTo(k.gap, 12);
  });

  it('organisation-wide DETRACTOR_SHARE: top-level departments plus no department, signed so positive helps', async () => {
    // All: n 16, D 7: 43.75, gap 30 - 43.75 = -13.75. CO subtree: n 14, D 6: -(600 - 30 x 14) / 16 = -11.25;
    // no department: n 2, D 1: -(100 - 30 x 2) / 16 = -2.5.
    const k = await one('orgDetractors');
    expect(k).toMatchObject({ actual: 43.75, gap: -13.75 });
    expect(k.contributors.map((c: any) => [c.kind, c.label, c.department?.code ?? null, c.responses, c.actual, c.contribution])).toEqual([
      ['CHILD_DEPARTMENT', 'CO', 'CO', 14, (100 * 6) / 14, -11.25],
      ['NO_DEPARTMENT', '(no department)', null, 2, 50, -2.5],
    ]);
    expect(sum(k.contributors)).toBe(k.gap);
  });

  it('a segment-scoped target splits only the segment\'s responses', async () => {
    // SUP x EU: SUP-EU (Ann 10, 9, 0: n 3, NPS 33.3) and SUP itself (9, 7: n 2, NPS 50); all n 5, P 3, D 1: NPS 40, gap 40.
    // SUP-EU: (100 x (2 - 1) - 0 x 3) / 5 = 20; SUP itself: (100 x 1 - 0) / 5 = 20; tied, more responses first.
    const k = await one('supEuNps');
    expect(k).toMatchObject({ actual: 40, gap: 40 });
    expect(k.contributors.map((c: any) => [c.label, c.responses, c.contribution])).toEqual([
      ['SUP-EU', 3, 20],
      ['(this department itself)', 2, 20],
    ]);
    // SUP-EU x EU by agent: Ann only, 2 promoters of 3: 66.7, gap 16.7, all of it hers.
    const a = await one('euEuPromoters');
    expect(a.contributors.map((c: any) => [c.label, c.responses])).toEqual([['Ann', 3]]);
    expect(a.contributors[0].contribution).toBeCloseTo(50 / 3, 12);
    expect(a.contributors[0].contribution).toBeCloseTo(a.gap, 12);
  });

  it('null for RESPONSE_COUNT; empty without responses', async () => {
    expect((await one('supCount')).contributors).toBeNull();
    expect(await one('supQ2Nps')).toMatchObject({ gap: null, contributors: [] });
  });

  it('a FOLLOW_UP_RATE target splits by detractors (no action items here: nobody followed up)', async () => {
    // SUP detractors: SUP-EU 3 (Ann's 0, Bob's 6 and 3), SUP itself 2 (2, 1); none followed up: 0 %, gap 0 - 80 = -80.
    // SUP-EU: 3/5 x (0 - 80) = -48; SUP itself: 2/5 x (0 - 80) = -32.
    const k = await one('supFollowUp');
    expect(k).toMatchObject({ actual: 0, gap: -80 });
    expect(k.contributors.map((c: any) => [c.kind, c.label, c.responses, c.actual, c.contribution])).toEqual([
      ['CHILD_DEPARTMENT', 'SUP-EU', 6, 0, -48],
      ['OWN_DEPARTMENT', '(this department itself)', 4, 0, -32],
    ]);
    expect(sum(k.contributors)).toBe(k.gap);
  });

  it('a MANAGER of the subtree sees the same split', async () => {
    const k = await one('supNps', { viewer: viewer(Role.MANAGER, ids.SUP) });
    expect(k.contributors.map((c: any) => [c.label, c.contribution])).toEqual([
      ['(this department itself)', -18],
      ['SUP-EU', -12],
    ]);
  });

  it('the rollups and the raw rows give the same split (department and agent groupings)', async () => {
    const split = async (key: string, raw: boolean) => {
      const ctx = t.ctx(undefined, now);
      ctx.rawFacts = raw;
      const target = await ctx.services.kpiTargets.byId(ctx, ids[key]);
      const list = (await ctx.services.kpiTargets.contributors(ctx, target))!;
      return list.map((c) => [c.kind, c.label, c.responses, c.score.promoters, c.score.detractors, c.contribution]);
    };
    for (const key of ['supNps', 'euPromoters', 'orgDetractors', 'supEuNps', 'euEuPromoters']) expect(await split(key, true)).toEqual(await split(key, false));
  });

  it('every target of a list in one counting statement', async () => {
    const spy = jest.spyOn(t.deps.ds.logger, 'logQuery');
    try {
      const data = await t.ok(`{ kpiTargets { id gap contributors { label contribution department { code } agent { name } } } }`, {}, { now });
      expect(data.kpiTargets).toHaveLength(8);
      for (const k of data.kpiTargets) if (k.contributors?.length) expect(sum(k.contributors)).toBeCloseTo(k.gap, 12);
      const counting = spy.mock.calls.filter(([q]) => /AS child/.test(q));
      expect(counting).toHaveLength(1);
      // list, departments, segments, department children, measurement counts, closed-loop rates, contributors'
      // counts, the rate contributors' closed-loop metrics, then the contributors' departments and agents: one
      // each at most, whatever the number of targets.
      expect(spy.mock.calls.length).toBeLessThanOrEqual(10);
    } finally {
      spy.mockRestore();
    }
  });
});
