import { createTestApp, TestApp, viewers } from './support/test-app';
import { insertKpiTree } from './support/org-fixture';

/**
 * KpiTarget.contributors of FOLLOW_UP_RATE and CLOSED_WITHIN_SLA_RATE targets on a hand-built
 * fixture; every figure is worked out by hand below.
 *
 *   CO ─┬─ SUP ── SUP-EU (agents Ann, Bob)
 *       └─ SALES
 *
 *   Q1 2026 responses and their action items (followed up = the item left OPEN; SLA = closed by its due date):
 *   SUP-EU, Ann      : 2 (followed, closed in time), 5 (followed, closed late), 9 (no item)
 *   SUP-EU, Bob      : 0 (item still OPEN, due), 3 (no item)
 *   SUP-EU, no agent : 6 (followed, closed in time)
 *   SUP itself       : 1 (followed, closed, no due date: no SLA), 4 (item OPEN, no due date)
 *   SALES            : 0 (followed, closed in time), 10
 *   no department    : 2 (followed, closed late)
 */
let t: TestApp;
const ids: Record<string, string> = {};
const Q1 = { periodStart: '2026-01-01T00:00:00.000Z', periodEnd: '2026-04-01T00:00:00.000Z' };
const now = () => new Date('2026-05-01T00:00:00.000Z');
const sql = (query: string, params: unknown[] = []) => t.deps.ds.query(query, params);

const CONTRIB = 'kind label responses base actual contribution department { code } agent { name }';
const ONE = `query($id: ID!) { kpiTarget(id: $id) { actual gap contributors { ${CONTRIB} } } }`;
const sum = (list: { contribution: number }[]) => list.reduce((s, c) => s + c.contribution, 0);
const brief = (list: any[]) => list.map((c) => [c.kind, c.label, c.responses, c.base]);

beforeAll(async () => {
  t = await createTestApp();
  await insertKpiTree(sql, ids);
  for (const [key, name, code] of [['ceo', 'Ceo', 'CO'], ['ann', 'Ann', 'SUP-EU'], ['bob', 'Bob', 'SUP-EU']]) {
    const [row] = await sql('INSERT INTO people (name, email, department_id) VALUES ($1, $2, $3) RETURNING id', [name, `${key}@example.com`, ids[code]]);
    ids[key] = row.id;
  }
  const [survey] = await sql(`INSERT INTO surveys (code, name, kind) VALUES ('TX', 'Support', 'TRANSACTIONAL') RETURNING id`);
  const FOLLOWED_IN_TIME = { first: '2026-02-02T00:00:00Z', closed: '2026-02-03T00:00:00Z', due: '2026-02-04T00:00:00Z', status: 'DONE' };
  const FOLLOWED_LATE = { first: '2026-02-03T00:00:00Z', closed: '2026-02-09T00:00:00Z', due: '2026-02-04T00:00:00Z', status: 'DONE' };
  const OPEN_DUE = { first: null, closed: null, due: '2026-02-10T00:00:00Z', status: 'OPEN' };
  const CLOSED_NO_DUE = { first: '2026-02-02T00:00:00Z', closed: '2026-02-03T00:00:00Z', due: null, status: 'DONE' };
  const OPEN_NO_DUE = { first: null, closed: null, due: null, status: 'OPEN' };
  type Item = { first: string | null; closed: string | null; due: string | null; status: string } | null;
  let n = 0;
  const respond = async (code: string | null, agent: string | null, score: number, item: Item) => {
    const [r] = await sql(
      'INSERT INTO responses (external_ref, score, survey_id, department_id, agent_id, responded_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
      [`r${++n}`, score, survey.id, code && ids[code], agent && ids[agent], '2026-02-01T10:00:00.000Z'],
    );
    if (!item) return;
    await sql('INSERT INTO action_items (title, response_id, department_id, first_action_at, closed_at, due_at, status) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      `follow up r${n}`,
      r.id,
      code && ids[code],
      item.first,
      item.closed,
      item.due,
      item.status,
    ]);
  };
  await respond('SUP-EU', 'ann', 2, FOLLOWED_IN_TIME);
  await respond('SUP-EU', 'ann', 5, FOLLOWED_LATE);
  await respond('SUP-EU', 'ann', 9, null);
  await respond('SUP-EU', 'bob', 0, OPEN_DUE);
  await respond('SUP-EU', 'bob', 3, null);
  await respond('SUP-EU', null, 6, FOLLOWED_IN_TIME);
  await respond('SUP', null, 1, CLOSED_NO_DUE);
  await respond('SUP', null, 4, OPEN_NO_DUE);
  await respond('SALES', null, 0, FOLLOWED_IN_TIME);
  await respond('SALES', null, 10, null);
  await respond(null, null, 2, FOLLOWED_LATE);
  const mk = async (key: string, input: Record<string, unknown>) => {
    const data = await t.ok(`mutation($input: CreateKpiTargetInput!) { createKpiTarget(input: $input) { id } }`, { input: { ownerId: ids.ceo, ...Q1, ...input } });
    ids[key] = data.createKpiTarget.id;
  };
  await mk('supFollowUp', { metric: 'FOLLOW_UP_RATE', target: 80, departmentCode: 'SUP' });
  await mk('euSla', { metric: 'CLOSED_WITHIN_SLA_RATE', target: 50, departmentCode: 'SUP-EU' });
  await mk('orgFollowUp', { metric: 'FOLLOW_UP_RATE', target: 70 });
  await mk('supSla', { metric: 'CLOSED_WITHIN_SLA_RATE', target: 50, departmentCode: 'SUP' });
});
afterAll(() => t.close());

const one = async (key: string, viewer = viewers.admin) => (await t.ok(ONE, { id: ids[key] }, { now, viewer })).kpiTarget;

describe('contributors of closed-loop rate targets', () => {
  it('FOLLOW_UP_RATE on a department with children: weighted by detractors, adding up to the gap', async () => {
    // SUP: 7 detractors, 4 followed up: 57.14%, gap 400/7 - 80 = -160/7.
    // SUP-EU: 5 detractors (2, 5, 0, 3, 6), 3 followed: 60%: (100 x 3 - 80 x 5) / 7 = -100/7.
    // SUP itself: 2 detractors (1, 4), 1 followed: 50%: (100 - 160) / 7 = -60/7.
    const k = await one('supFollowUp');
    expect(k.actual).toBeCloseTo(400 / 7, 12);
    expect(k.gap).toBeCloseTo(-160 / 7, 12);
    expect(brief(k.contributors)).toEqual([
      ['CHILD_DEPARTMENT', 'SUP-EU', 6, 5],
      ['OWN_DEPARTMENT', '(this department itself)', 2, 2],
    ]);
    expect(k.contributors.map((c: any) => c.actual)).toEqual([60, 50]);
    expect(k.contributors[0].contribution).toBeCloseTo(-100 / 7, 12);
    expect(k.contributors[1].contribution).toBeCloseTo(-60 / 7, 12);
    expect(sum(k.contributors)).toBeCloseTo(k.gap, 12);
  });

  it('CLOSED_WITHIN_SLA_RATE on a department without children: by agent, weighted by closed items with a due date', async () => {
    // SUP-EU: closed with a due date: Ann 2 (one in time), no agent 1 (in time), Bob 0 (his item is open): 2 of 3 = 66.7%,
    // gap 16.7. Ann: (100 - 50 x 2) / 3 = 0; no agent: (100 - 50) / 3 = 16.7; Bob has no base: left out.
    const k = await one('euSla');
    expect(k.actual).toBeCloseTo(200 / 3, 12);
    expect(brief(k.contributors)).toEqual([
      ['NO_AGENT', '(no agent)', 1, 1],
      ['AGENT', 'Ann', 3, 2],
    ]);
    expect(k.contributors.map((c: any) => [c.actual, c.agent?.name ?? null])).toEqual([
      [100, null],
      [50, 'Ann'],
    ]);
    expect(k.contributors[0].contribution).toBeCloseTo(50 / 3, 12);
    expect(k.contributors[1].contribution).toBe(0);
    expect(sum(k.contributors)).toBeCloseTo(k.gap, 12);
  });

  it('organisation-wide FOLLOW_UP_RATE: top-level departments plus no department', async () => {
    // All: 9 detractors, 6 followed: 66.7%, gap -3.33. CO subtree: 8 detractors, 5 followed (Ann's two, the
    // unassigned 6, SUP's 1, SALES' 0): (500 - 70 x 8) / 9 = -6.67. No department: 1 of 1: (100 - 70) / 9 = 3.33.
    const k = await one('orgFollowUp');
    expect(k.gap).toBeCloseTo(-10 / 3, 12);
    expect(brief(k.contributors)).toEqual([
      ['CHILD_DEPARTMENT', 'CO', 10, 8],
      ['NO_DEPARTMENT', '(no department)', 1, 1],
    ]);
    expect(k.contributors[0].actual).toBe(62.5);
    expect(k.contributors[0].contribution).toBeCloseTo(-20 / 3, 12);
    expect(k.contributors[1].contribution).toBeCloseTo(10 / 3, 12);
    expect(sum(k.contributors)).toBeCloseTo(k.gap, 12);
  });

  it('a part whose base is 0 is left out: SUP itself has no closed item with a due date', async () => {
    // SUP: SUP-EU's 2 of 3 in time; SUP's own closed item has no due date, its other is open: all of the gap is SUP-EU's.
    const k = await one('supSla');
    expect(brief(k.contributors)).toEqual([['CHILD_DEPARTMENT', 'SUP-EU', 6, 3]]);
    expect(k.contributors[0].contribution).toBeCloseTo(k.gap, 12);
    expect(k.gap).toBeCloseTo(50 / 3, 12);
  });

  it('a MANAGER of the subtree gets the same split; the counters and the raw rows agree', async () => {
    const mgr = await one('supFollowUp', viewers.manager(ids.SUP));
    expect(brief(mgr.contributors)).toEqual([
      ['CHILD_DEPARTMENT', 'SUP-EU', 6, 5],
      ['OWN_DEPARTMENT', '(this department itself)', 2, 2],
    ]);
    const split = async (key: string, raw: boolean) => {
      const ctx = t.ctx(undefined, now);
      ctx.rawFacts = raw;
      const target = await ctx.services.kpiTargets.byId(ctx, ids[key]);
      return (await ctx.services.kpiTargets.contributors(ctx, target))!.map((c) => [c.kind, c.label, c.base, c.actual, c.contribution]);
    };
    for (const key of ['supFollowUp', 'euSla', 'orgFollowUp', 'supSla']) expect(await split(key, true)).toEqual(await split(key, false));
  });

  it('summariesByAgent: each agent equals closedLoop narrowed to that agent, and the groups add up to the whole', async () => {
    const filters = [{ departmentIds: [ids['SUP-EU']] }, { departmentIds: [ids.SUP] }, { departmentIds: [ids.SALES], categories: ['DETRACTOR'] }];
    // The agent counters (raw: false) hold counts only: their medians are null; the raw rows' split has them.
    for (const raw of [false, true]) {
      const ctx = t.ctx(undefined, now);
      ctx.rawFacts = raw;
      const split = await t.app.services.closedLoop.summariesByAgent(ctx, filters as any);
      expect([...split[0].keys()].map((k) => k ?? 'none').sort()).toEqual([ids.ann, ids.bob, 'none'].sort());
      for (const [i, f] of filters.entries()) {
        for (const [agent, m] of split[i]) {
          if (!agent) continue;
          const own = await t.app.services.closedLoop.summary(ctx, { ...f, agentIds: [agent] } as any);
          expect(m).toEqual(raw ? own : { ...own, medianHoursToFirstAction: null, medianHoursToClose: null });
        }
        const whole = await t.app.services.closedLoop.summary(ctx, f as any);
        for (const key of ['detractors', 'followedUp', 'actionItems', 'closed', 'closedWithDue', 'closedWithinSla', 'open', 'overdue'] as const) {
          expect([key, [...split[i].values()].reduce((sum, m) => sum + m[key], 0)]).toEqual([key, whole[key]]);
        }
      }
      expect(split[0].get(null)!.detractors).toBeGreaterThan(0);
    }
  });

  it('every rate target of a list: one counting statement and at most three closed-loop statements for the split', async () => {
    const spy = jest.spyOn(t.deps.ds.logger, 'logQuery');
    try {
      const measured = await t.ok(`{ kpiTargets { id gap } }`, {}, { now });
      const base = spy.mock.calls.length;
      spy.mockClear();
      const data = await t.ok(`{ kpiTargets { id gap contributors { label contribution department { code } agent { name } } } }`, {}, { now });
      expect(data.kpiTargets).toHaveLength(4);
      for (const k of data.kpiTargets) expect(sum(k.contributors)).toBeCloseTo(k.gap, 12);
      expect(data.kpiTargets.map((k: any) => k.gap)).toEqual(measured.kpiTargets.map((k: any) => k.gap));
      // Beyond the measurement: department children, the contributors' counts (one statement), the agents, the
      // top-level departments, and the closed-loop metrics of the department and organisation splits (counters:
      // the department-only filters, then the others) and of the agent split (raw rows): whatever the number of targets.
      expect(spy.mock.calls.filter(([q]) => /AS child/.test(q))).toHaveLength(1);
      expect(spy.mock.calls.length - base).toBeLessThanOrEqual(7);
    } finally {
      spy.mockRestore();
    }
  });
});
