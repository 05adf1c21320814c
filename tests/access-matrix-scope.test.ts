/**
 * A MANAGER key sees one department subtree, in lists AND aggregates, and naming anything outside
 * it is FORBIDDEN. An INTEGRATION key cannot read verbatims or customer details in bulk.
 *
 * Tree: CO → A → A1, and CO → B. The manager is confined to A. Responses exist in every
 * department, in the root itself and without a department, so any leak changes a count.
 */
import { codes, createTestApp, GqlResult, TestApp, viewers } from './support/test-app';
import { Viewer } from '../src/modules/auth/viewer';

let t: TestApp;
let mgr: Viewer;
const id: Record<string, string> = {};
const FROM = '2026-01-01T00:00:00Z';
const TO = '2026-07-01T00:00:00Z';
const WINDOW = { from: FROM, to: TO };

/** score by department code (null: no department); all in March 2026. */
const RESPONSES: [string | null, number, string][] = [
  ['A', 10, 'love it'],
  ['A', 9, 'fine'],
  ['A', 2, 'slow in A'],
  ['A1', 10, 'great team'],
  ['A1', 0, 'awful in A1'],
  ['B', 0, 'SECRET-B-1'],
  ['B', 1, 'SECRET-B-2'],
  ['B', 3, 'SECRET-B-3'],
  ['B', 10, 'SECRET-B-4'],
  ['CO', 5, 'SECRET-CO'],
  [null, 8, 'SECRET-NONE'],
];
/** What the manager of A must see: A and A1 only. */
const IN_SCOPE = { responses: 5, promoters: 3, passives: 0, detractors: 2 };

beforeAll(async () => {
  t = await createTestApp();
  const q = (sql: string, p: unknown[] = []) => t.db.dataSource.query(sql, p);
  const dept = async (code: string, parent?: string) =>
    (id[code] = (await q(`INSERT INTO departments (code, name, parent_id) VALUES ($1, $1, $2) RETURNING id`, [code, parent ? id[parent] : null]))[0].id);
  await dept('CO');
  await dept('A', 'CO');
  await dept('A1', 'A');
  await dept('B', 'CO');
  id.pa = (await q(`INSERT INTO people (name, email, department_id) VALUES ('Ann', 'ann@example.com', $1) RETURNING id`, [id.A]))[0].id;
  id.pb = (await q(`INSERT INTO people (name, email, department_id) VALUES ('Bob', 'bob@example.com', $1) RETURNING id`, [id.B]))[0].id;
  // No automatic follow-ups here: the action items below are the only ones.
  id.survey = (await q(`INSERT INTO surveys (code, name, kind, auto_follow_up) VALUES ('NPS', 'NPS', 'RELATIONSHIP', false) RETURNING id`))[0].id;
  let i = 0;
  for (const [code, score, comment] of RESPONSES) {
    i++;
    const [c] = await q(`INSERT INTO customers (external_ref, region, plan) VALUES ($1, 'EU', 'pro') RETURNING id`, [`cust-${code ?? 'none'}-${i}`]);
    const [r] = await q(
      `INSERT INTO responses (external_ref, survey_id, score, comment, channel, department_id, customer_id, responded_at)
       VALUES ($1, $2, $3, $4, 'email', $5, $6, $7) RETURNING id`,
      [`r-${i}`, id.survey, score, comment, code ? id[code] : null, c.id, `2026-03-${String(i).padStart(2, '0')}T10:00:00Z`],
    );
    id[`r${i}`] = r.id;
    id[`c${i}`] = c.id;
  }
  const item = async (name: string, dept: string, response: string) =>
    (id[name] = (await q(`INSERT INTO action_items (title, department_id, response_id) VALUES ($1, $2, $3) RETURNING id`, [name, id[dept], id[response]]))[0].id);
  await item('itemA', 'A', 'r3');
  await item('itemA1', 'A1', 'r5');
  await item('itemB', 'B', 'r6');
  await item('itemB2', 'B', 'r7');
  const target = async (name: string, owner: string, dept: string) =>
    (id[name] = (
      await q(`INSERT INTO kpi_targets (owner_id, metric, target, period_start, period_end, department_id) VALUES ($1, 'NPS', 30, $2, $3, $4) RETURNING id`, [
        id[owner],
        FROM,
        TO,
        id[dept],
      ])
    )[0].id);
  await target('targetA', 'pa', 'A');
  await target('targetB', 'pb', 'B');
  id.segB = (await q(`INSERT INTO segments (name, filter) VALUES ('Only B', $1) RETURNING id`, [JSON.stringify({ departmentIds: [id.B] })]))[0].id;
  mgr = viewers.manager(id.A);
});
afterAll(() => t.close());

const asMgr = (query: string, variables?: Record<string, unknown>) => t.exec(query, variables, { viewer: mgr });
const okMgr = (query: string, variables?: Record<string, unknown>) => t.ok(query, variables, { viewer: mgr });
const SCORE = `responses promoters passives detractors`;
const sum = (scores: { responses: number }[]) => scores.reduce((s, x) => s + x.responses, 0);
const refused = (res: GqlResult) => {
  expect(codes(res)).toEqual(['FORBIDDEN']);
  expect(res.data ?? null).toBeNull();
};

describe("a MANAGER's unfiltered questions cover only its subtree", () => {
  it('npsSummary', async () => {
    const all = (await t.ok(`{ npsSummary { ${SCORE} } }`, {}, { viewer: viewers.executive })).npsSummary;
    expect(all.responses).toBe(RESPONSES.length);
    expect((await okMgr(`{ npsSummary { ${SCORE} } }`)).npsSummary).toEqual(IN_SCOPE);
    // The same figure as an unscoped caller asking for the subtree.
    expect((await t.ok(`query($f: ResponseFilter) { npsSummary(filter: $f) { ${SCORE} } }`, { f: { departmentIds: [id.A] } })).npsSummary).toEqual(IN_SCOPE);
  });

  it('npsTrend', async () => {
    const points = (await okMgr(`query($f: ResponseFilter) { npsTrend(interval: MONTH, filter: $f) { score { ${SCORE} } } }`, { f: WINDOW })).npsTrend;
    expect(points.length).toBe(6);
    const totals = points.reduce(
      (s: typeof IN_SCOPE, p: { score: typeof IN_SCOPE }) => ({
        responses: s.responses + p.score.responses,
        promoters: s.promoters + p.score.promoters,
        passives: s.passives + p.score.passives,
        detractors: s.detractors + p.score.detractors,
      }),
      { responses: 0, promoters: 0, passives: 0, detractors: 0 },
    );
    expect(totals).toEqual(IN_SCOPE);
    // Without from, the range starts at the first response the manager may see.
    const open = (await okMgr(`{ npsTrend(interval: MONTH) { score { responses } } }`)).npsTrend;
    expect(sum(open.map((p: any) => p.score))).toBe(IN_SCOPE.responses);
  });

  it('departmentScores', async () => {
    const rows = (await okMgr(`{ departmentScores { department { id } score { responses } } }`)).departmentScores;
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect([id.A, id.A1]).toContain(r.department.id);
    expect(sum(rows.map((r: any) => r.score))).toBeLessThanOrEqual(IN_SCOPE.responses);
    const children = (await okMgr(`query($p: ID) { departmentScores(parentId: $p) { department { code } score { responses } } }`, { p: id.A })).departmentScores;
    expect(children).toEqual([{ department: { code: 'A1' }, score: { responses: 2 } }]);
  });

  it('responses', async () => {
    const conn = (await okMgr(`{ responses(first: 20) { totalCount edges { node { id comment department { id } } } } }`)).responses;
    expect(conn.totalCount).toBe(IN_SCOPE.responses);
    expect(conn.edges).toHaveLength(IN_SCOPE.responses);
    for (const e of conn.edges) expect([id.A, id.A1]).toContain(e.node.department.id);
    expect(JSON.stringify(conn)).not.toMatch(/SECRET/);
  });

  it('actionItems', async () => {
    const conn = (await okMgr(`{ actionItems(first: 20) { totalCount edges { node { id department { id } } } } }`)).actionItems;
    expect(conn.totalCount).toBe(2);
    expect(conn.edges.map((e: any) => e.node.id).sort()).toEqual([id.itemA, id.itemA1].sort());
  });

  it('breakdowns, comparisons, closed-loop metrics, segment scores and KPI targets', async () => {
    const d = await okMgr(
      `query($f: ResponseFilter!) {
        npsBreakdown(by: CHANNEL) { score { responses } }
        npsComparison(filter: $f) { current { responses } }
        closedLoop { __typename }
        segments { name score { responses } }
        kpiTargets { id }
        people { id }
        drivers(filter: $f) { score { ${SCORE} } verbatims detractorDrivers { responses } }
      }`,
      { f: WINDOW },
    );
    expect(sum(d.npsBreakdown.map((b: any) => b.score))).toBe(IN_SCOPE.responses);
    expect(d.drivers).toEqual({ score: IN_SCOPE, verbatims: 0, detractorDrivers: { responses: IN_SCOPE.detractors } });
    expect(d.npsComparison.current.responses).toBe(IN_SCOPE.responses);
    expect(d.segments).toEqual([{ name: 'Only B', score: { responses: 0 } }]);
    expect(d.kpiTargets.map((k: any) => k.id)).toEqual([id.targetA]);
    expect(d.people.map((p: any) => p.id)).toEqual([id.pa]);
    // Targets of people outside the subtree stay hidden when reached through a person.
    const bob = await asMgr(`query($id: ID!) { person(id: $id) { targets { id } } }`, { id: id.pb });
    if (bob.errors) expect(['FORBIDDEN', 'NOT_FOUND']).toContain(codes(bob)[0]);
    else expect(bob.data!.person.targets).toEqual([]);
    // A segment that names B narrows to nothing: the scope still applies.
    expect((await okMgr(`query($f: ResponseFilter) { npsSummary(filter: $f) { responses } }`, { f: { segmentId: id.segB } })).npsSummary.responses).toBe(0);
  });

  it('executiveSummary: every section over the subtree (sibling, root and no-department responses left out)', async () => {
    const s = (
      await okMgr(
        `query($from: DateTimeISO!, $to: DateTimeISO!) { executiveSummary(from: $from, to: $to) {
          department { code } company { current { ${SCORE} } } volume { responses }
          departments { department { code } score { responses } } movers { total { current { responses } } movers { department { code } } }
          kpis { counts { total } offTrack { target { id } } } closedLoop { detractors actionItems } benchmarks { score { responses } }
          drivers { verbatims detractorDrivers { responses } promoterDrivers { responses } } } }`,
        WINDOW,
      )
    ).executiveSummary;
    expect(s.department).toEqual({ code: 'A' });
    expect(s.company.current).toEqual(IN_SCOPE);
    expect(s.volume.responses).toBe(IN_SCOPE.responses);
    expect(s.departments).toEqual([{ department: { code: 'A1' }, score: { responses: 2 } }]);
    expect(s.movers.total.current.responses).toBe(IN_SCOPE.responses);
    for (const m of s.movers.movers) expect([null, 'A', 'A1']).toContain(m.department?.code ?? null);
    expect(s.kpis.counts.total).toBe(1);
    expect(s.kpis.offTrack.map((o: any) => o.target.id)).not.toContain(id.targetB);
    expect(s.closedLoop).toEqual({ detractors: 2, actionItems: 2 });
    expect(s.benchmarks.map((b: any) => b.score.responses)).toEqual([IN_SCOPE.responses, IN_SCOPE.responses]);
    // As the drivers query counts for the manager (the verbatims here were written around the API: not tagged).
    expect(s.drivers).toEqual({ verbatims: 0, detractorDrivers: { responses: IN_SCOPE.detractors }, promoterDrivers: { responses: IN_SCOPE.promoters } });
    expect(JSON.stringify(s)).not.toMatch(/SECRET/);
  });
});

describe('a MANAGER naming something outside its subtree gets FORBIDDEN', () => {
  it.each([
    ['npsSummary', `query($f: ResponseFilter) { npsSummary(filter: $f) { responses } }`],
    ['npsTrend', `query($f: ResponseFilter) { npsTrend(interval: MONTH, filter: $f) { periodStart } }`],
    ['departmentScores', `query($f: ResponseFilter) { departmentScores(filter: $f) { score { responses } } }`],
    ['responses', `query($f: ResponseFilter) { responses(filter: $f) { totalCount } }`],
    ['npsBreakdown', `query($f: ResponseFilter) { npsBreakdown(by: CHANNEL, filter: $f) { score { responses } } }`],
    ['closedLoop', `query($f: ResponseFilter) { closedLoop(filter: $f) { __typename } }`],
    ['drivers', `query($f: ResponseFilter) { drivers(filter: $f) { verbatims } }`],
  ])('%s with filter.departmentIds naming the sibling, alone or with its own department', async (_name, query) => {
    refused(await asMgr(query, { f: { ...WINDOW, departmentIds: [id.B] } }));
    refused(await asMgr(query, { f: { ...WINDOW, departmentIds: [id.A, id.B] } }));
    refused(await asMgr(query, { f: { ...WINDOW, departmentIds: [id.CO] } }));
  });

  it('actionItems with filter.departmentIds naming the sibling', async () => {
    refused(await asMgr(`query($f: ActionItemFilter) { actionItems(filter: $f) { totalCount } }`, { f: { departmentIds: [id.B] } }));
  });

  it('departmentScores and closedLoopByDepartment under the sibling or the root', async () => {
    for (const p of [id.B, id.CO]) {
      refused(await asMgr(`query($p: ID) { departmentScores(parentId: $p) { score { responses } } }`, { p }));
      refused(await asMgr(`query($p: ID) { closedLoopByDepartment(parentId: $p) { __typename } }`, { p }));
    }
  });

  it('items of the sibling by id: responses, action items, KPI targets, customers (FORBIDDEN or NOT_FOUND, never data)', async () => {
    const cases: [string, string][] = [
      [`query($id: ID!) { response(id: $id) { comment } }`, id.r6],
      [`query($id: ID!) { actionItem(id: $id) { title } }`, id.itemB],
      [`query($id: ID!) { kpiTarget(id: $id) { actual } }`, id.targetB],
      [`query($id: ID!) { customer(id: $id) { externalRef } }`, id.c6],
    ];
    for (const [query, itemId] of cases) {
      const res = await asMgr(query, { id: itemId });
      expect(res.data ?? null).toBeNull();
      expect(['FORBIDDEN', 'NOT_FOUND']).toContain(codes(res)[0]);
    }
  });

  it('writes in the sibling: create, update and bulk update of action items change nothing', async () => {
    const before = await t.db.dataSource.query(`SELECT id, title, version FROM action_items ORDER BY id`);
    refused(await asMgr(`mutation($i: CreateActionItemInput!) { createActionItem(input: $i) { id } }`, { i: { title: 'x', departmentId: id.B } }));
    // A response outside the subtree is NOT_FOUND, as in response(id): the answer does not tell which ids exist.
    const byId = await asMgr(`mutation($i: CreateActionItemInput!) { createActionItem(input: $i) { id } }`, { i: { title: 'x', responseId: id.r6 } });
    expect(codes(byId)).toEqual(['NOT_FOUND']);
    expect(byId.data ?? null).toBeNull();
    refused(await asMgr(`mutation($i: UpdateActionItemInput!) { updateActionItem(input: $i) { id } }`, { i: { id: id.itemB, title: 'hijacked' } }));
    const bulk = await asMgr(`mutation($u: [UpdateActionItemInput!]!) { bulkUpdateActionItems(updates: $u) { updated results { error { code } } } }`, {
      u: [{ id: id.itemB, title: 'hijacked' }],
    });
    if (bulk.errors) refused(bulk);
    else expect(bulk.data!.bulkUpdateActionItems).toEqual({ updated: 0, results: [{ error: { code: 'FORBIDDEN' } }] });
    expect(await t.db.dataSource.query(`SELECT id, title, version FROM action_items ORDER BY id`)).toEqual(before);
  });
});

describe('an INTEGRATION key reads no verbatims or customer details in bulk', () => {
  const integ = (query: string, variables?: Record<string, unknown>) => t.exec(query, variables, { viewer: viewers.integration });

  it('cannot list or fetch responses or customers', async () => {
    refused(await integ(`{ responses { edges { node { comment } } } }`));
    refused(await integ(`query($id: ID!) { response(id: $id) { comment } }`, { id: id.r1 }));
    refused(await integ(`query($id: ID!) { customer(id: $id) { externalRef } }`, { id: id.c1 }));
  });

  it('cannot get report figures through segments', async () => {
    const res = await integ(`{ segments { name score { responses } } }`);
    expect(codes(res)).toEqual(['FORBIDDEN']);
  });

  it('cannot reach them through action items either', async () => {
    const res = await integ(`{ actionItems(first: 20) { edges { node { id response { comment customer { externalRef } } } } } }`);
    expect(codes(res).length).toBeGreaterThan(0);
    expect(new Set(codes(res))).toEqual(new Set(['FORBIDDEN']));
    expect(JSON.stringify(res.data)).not.toMatch(/SECRET|slow in A|awful/);
  });

  // KNOWN LEAK (action-items, not fixed yet): the automatic follow-up copies the verbatim into
  // action_items.description (follow-up.service.ts), and INTEGRATION may list action items. Fix there
  // (leave the description empty, or show it only with READ_RESPONSES), then make this a plain `it`.
  it('nor through the text of automatic follow-ups of the detractors it submits', async () => {
    await t.db.dataSource.query(`INSERT INTO surveys (code, name, kind) VALUES ('AUTO', 'Auto follow-up', 'TRANSACTIONAL')`);
    const submitted = await integ(`mutation($r: [ResponseInput!]!) { submitResponses(responses: $r) { accepted } }`, {
      r: [{ externalRef: 'auto-1', surveyCode: 'AUTO', score: 1, respondedAt: '2026-03-20T10:00:00Z', comment: 'VERBATIM-XYZ: my account number is 1234', departmentCode: 'A' }],
    });
    expect(submitted.data?.submitResponses.accepted).toBe(1);
    const res = await integ(`{ actionItems(first: 20) { totalCount edges { node { title description } } } }`);
    expect(res.data?.actionItems.totalCount).toBe(5);
    expect(JSON.stringify(res)).not.toContain('VERBATIM-XYZ');
  });
});

describe('a MANAGER reaches nothing outside its subtree through nested fields, arguments or refs', () => {
  const ITEM = `query($id: ID!) { actionItem(id: $id) { id title response { id comment customer { externalRef region plan spend } } } }`;
  /** An item of A (as an admin or an integration may create it) following up B's response r6. */
  let crossItem: string;
  beforeAll(async () => {
    crossItem = (await t.ok(`mutation($i: CreateActionItemInput!) { createActionItem(input: $i) { id } }`, { i: { title: 'cross', departmentId: id.A, responseId: id.r6 } }))
      .createActionItem.id;
  });

  it("ActionItem.response of an item in the subtree that follows up another department's response is FORBIDDEN on the field", async () => {
    const res = await asMgr(ITEM, { id: crossItem });
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(res.errors![0].path).toEqual(['actionItem', 'response']);
    expect(res.data!.actionItem).toEqual({ id: crossItem, title: 'cross', response: null });
    expect(JSON.stringify(res)).not.toMatch(/SECRET|cust-B/);
    // As response(id) and customer(id) are for the same manager.
    expect(codes(await asMgr(`query($id: ID!) { response(id: $id) { id } }`, { id: id.r6 }))).toEqual(['NOT_FOUND']);
    expect(codes(await asMgr(`query($id: ID!) { customer(id: $id) { id } }`, { id: id.c6 }))).toEqual(['NOT_FOUND']);
    // Roles that read everything still see it; the manager still sees the responses of its subtree.
    const exec = await t.ok(ITEM, { id: crossItem }, { viewer: viewers.executive });
    expect(exec.actionItem.response).toMatchObject({ id: id.r6, comment: 'SECRET-B-1', customer: { externalRef: 'cust-B-6', region: 'EU' } });
    const own = await okMgr(ITEM, { id: id.itemA });
    expect(own.actionItem.response).toMatchObject({ id: id.r3, comment: 'slow in A', customer: { externalRef: 'cust-A-3', region: 'EU', plan: 'pro' } });
  });

  it('the same in a list: only the out-of-scope response is refused, the others are returned', async () => {
    const res = await asMgr(`{ actionItems(first: 20) { edges { node { id response { id comment customer { region } } } } } }`);
    expect(codes(res)).toEqual(['FORBIDDEN']);
    const byItem = Object.fromEntries(res.data!.actionItems.edges.map((e: any) => [e.node.id, e.node.response?.id ?? null]));
    expect(byItem).toMatchObject({ [id.itemA]: id.r3, [id.itemA1]: id.r5, [crossItem]: null });
    expect(Object.keys(byItem).filter((k) => byItem[k] === null)).toEqual([crossItem]);
    expect(res.errors![0].path).toEqual(['actionItems', 'edges', Object.keys(byItem).indexOf(crossItem), 'node', 'response']);
    expect(JSON.stringify(res)).not.toMatch(/SECRET/);
  });

  it('people(departmentId) and kpiTargets(departmentId): outside the subtree FORBIDDEN, unknown NOT_FOUND', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const query of [`query($d: ID) { people(departmentId: $d) { id } }`, `query($d: ID) { kpiTargets(departmentId: $d) { id } }`]) {
      for (const d of [id.B, id.CO]) {
        const res = await asMgr(query, { d });
        refused(res);
        expect(res.errors![0].extensions!.field).toBe('departmentId');
      }
      const res = await asMgr(query, { d: unknown });
      expect(codes(res)).toEqual(['NOT_FOUND']);
      expect(res.errors![0].extensions!.field).toBe('departmentId');
      expect(codes(await t.exec(query, { d: unknown }))).toEqual(['NOT_FOUND']);
    }
    expect((await okMgr(`query($d: ID) { people(departmentId: $d) { id } }`, { d: id.A })).people.map((p: any) => p.id)).toEqual([id.pa]);
    expect((await okMgr(`query($d: ID) { people(departmentId: $d) { id } }`, { d: id.A1 })).people).toEqual([]);
    expect((await okMgr(`query($d: ID) { kpiTargets(departmentId: $d) { id } }`, { d: id.A })).kpiTargets.map((k: any) => k.id)).toEqual([id.targetA]);
    // Unscoped callers may name any department.
    expect((await t.ok(`query($d: ID) { people(departmentId: $d) { id } }`, { d: id.B }, { viewer: viewers.executive })).people.map((p: any) => p.id)).toEqual([id.pb]);
  });

  it('createActionItem by responseExternalRef or responseId: a response outside the subtree is NOT_FOUND, like an unknown one', async () => {
    const CREATE = `mutation($i: CreateActionItemInput!) { createActionItem(input: $i) { id } }`;
    const before = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM action_items`);
    const answers = [];
    for (const i of [
      { responseExternalRef: 'r-6' }, // B
      { responseExternalRef: 'r-10' }, // the root, above the subtree
      { responseExternalRef: 'r-11' }, // no department
      { responseExternalRef: 'no-such-ref' },
      { responseId: id.r6, departmentId: id.A },
      { responseId: '00000000-0000-4000-8000-000000000000' },
    ]) {
      const res = await asMgr(CREATE, { i });
      answers.push({ codes: codes(res), field: res.errors?.[0].extensions?.field, data: res.data ?? null });
    }
    expect(answers).toEqual([
      ...Array(4).fill({ codes: ['NOT_FOUND'], field: 'responseExternalRef', data: null }),
      ...Array(2).fill({ codes: ['NOT_FOUND'], field: 'responseId', data: null }),
    ]);
    expect(await t.db.dataSource.query(`SELECT count(*)::int AS n FROM action_items`)).toEqual(before);
    // Its own responses it may follow up by ref; an integration may name any.
    expect((await okMgr(CREATE, { i: { responseExternalRef: 'r-4', externalRef: 'mgr-r4' } })).createActionItem.id).toBeTruthy();
    expect((await t.ok(CREATE, { i: { responseExternalRef: 'r-7', externalRef: 'int-r7' } }, { viewer: viewers.integration })).createActionItem.id).toBeTruthy();
  });

  it('assigneeId / ownerId naming a person outside the subtree is FORBIDDEN naming the field and changes nothing', async () => {
    const CREATE = `mutation($i: CreateActionItemInput!) { createActionItem(input: $i) { id assignee { id } owner { id } } }`;
    const UPDATE = `mutation($i: UpdateActionItemInput!) { updateActionItem(input: $i) { id version assignee { id } } }`;
    const BULK = `mutation($u: [UpdateActionItemInput!]!) { bulkUpdateActionItems(updates: $u) { updated rejected results { status error { code field } } } }`;
    const [{ id: nobody }] = await t.db.dataSource.query(`INSERT INTO people (name, email) VALUES ('Nia', 'nia@example.com') RETURNING id`);
    const snapshot = () => t.db.dataSource.query(`SELECT id, assignee_id, owner_id, version FROM action_items ORDER BY id`);
    const before = await snapshot();
    for (const [field, person] of [['assigneeId', id.pb], ['ownerId', id.pb], ['assigneeId', nobody], ['ownerId', nobody]]) {
      const res = await asMgr(CREATE, { i: { title: 'x', departmentId: id.A, [field]: person } });
      refused(res);
      expect(res.errors![0].extensions!.field).toBe(field);
    }
    const upd = await asMgr(UPDATE, { i: { id: id.itemA, assigneeId: id.pb } });
    refused(upd);
    expect(upd.errors![0].extensions!.field).toBe('assigneeId');
    const bulk = (await okMgr(BULK, { u: [{ id: id.itemA, assigneeId: id.pb }, { id: id.itemA1, assigneeId: nobody }] })).bulkUpdateActionItems;
    expect(bulk).toEqual({
      updated: 0,
      rejected: 2,
      results: [
        { status: 'REJECTED', error: { code: 'FORBIDDEN', field: 'assigneeId' } },
        { status: 'REJECTED', error: { code: 'FORBIDDEN', field: 'assigneeId' } },
      ],
    });
    // Unknown people are still NOT_FOUND; people of the subtree are fine.
    expect(codes(await asMgr(UPDATE, { i: { id: id.itemA, assigneeId: '00000000-0000-4000-8000-000000000000' } }))).toEqual(['NOT_FOUND']);
    expect(await snapshot()).toEqual(before);
    const mine = (await okMgr(CREATE, { i: { title: 'mine', departmentId: id.A1, assigneeId: id.pa, ownerId: id.pa } })).createActionItem;
    expect(mine).toMatchObject({ assignee: { id: id.pa }, owner: { id: id.pa } });
    // Roles without a subtree are unaffected.
    const adminItem = (await t.ok(CREATE, { i: { title: 'admin', departmentId: id.A, assigneeId: id.pb, ownerId: nobody } })).createActionItem;
    expect(adminItem).toMatchObject({ assignee: { id: id.pb }, owner: { id: nobody } });
    const integ = await t.ok(UPDATE, { i: { id: mine.id, assigneeId: id.pb } }, { viewer: viewers.integration });
    expect(integ.updateActionItem.assignee).toEqual({ id: id.pb });
  });
});
