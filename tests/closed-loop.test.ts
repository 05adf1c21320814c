import { createTestApp, codes, TestApp } from './support/test-app';
import { Role, Viewer } from '../src/modules/auth/viewer';
import { transaction } from '../src/transaction';

let t: TestApp;
const q = (sql: string, params: unknown[] = []) => t.db.dataSource.query(sql, params);
const HOUR = 3_600_000;
const dept: Record<string, string> = {};
const ADMIN: Viewer = { keyId: null, name: 'admin', role: Role.ADMIN, departmentId: null };
const START = new Date('2026-01-05T00:00:00Z').getTime();

const UPDATE = `mutation($input: UpdateActionItemInput!) { updateActionItem(input: $input) { id } }`;
const CREATE = `mutation($input: CreateActionItemInput!) { createActionItem(input: $input) { id } }`;
const METRICS = `detractors followedUp followUpRate actionItems medianHoursToFirstAction medianHoursToClose closed closedWithinSla closedWithinSlaRate open overdue`;

beforeAll(async () => {
  t = await createTestApp();
  const [owner] = await q(`INSERT INTO people (name, email) VALUES ('Owner', 'owner@example.com') RETURNING id`);
  const [other] = await q(`INSERT INTO people (name, email) VALUES ('Other', 'other@example.com') RETURNING id`);
  for (const [code, parent, sla] of [['CO', null, 48], ['SALES', 'CO', 24], ['SALES-EU', 'SALES', 12], ['SUPPORT', 'CO', 72]] as const) {
    const [row] = await q(`INSERT INTO departments (code, name, parent_id, sla_hours, owner_id) VALUES ($1, $1, $2, $3, $4) RETURNING id`, [
      code, parent ? dept[parent] : null, sla, owner.id,
    ]);
    dept[code] = row.id;
  }
  const [rel] = await q(`INSERT INTO surveys (code, name, kind) VALUES ('rel', 'Rel', 'RELATIONSHIP') RETURNING id`);
  const [tx] = await q(`INSERT INTO surveys (code, name, kind) VALUES ('tx', 'Tx', 'TRANSACTIONAL') RETURNING id`);

  const codesByIndex = ['SALES', 'SALES-EU', 'SUPPORT', 'CO'];
  for (let i = 0; i < 60; i++) {
    const score = (i * 7) % 11;
    const respondedAt = new Date(START + i * 36 * HOUR);
    const [r] = await q(`INSERT INTO responses (external_ref, survey_id, score, department_id, responded_at) VALUES ($1, $2, $3, $4, $5) RETURNING *`, [
      `cl-${i}`, i % 3 === 0 ? tx.id : rel.id, score, dept[codesByIndex[i % 4]], respondedAt,
    ]);
    const opened = respondedAt.getTime() + HOUR;
    const at = (h: number) => () => new Date(opened + h * HOUR);
    const move = (id: string, input: Record<string, unknown>, h: number) => t.ok(UPDATE, { input: { id, ...input } }, { viewer: ADMIN, now: at(h) });

    if (score <= 6 && i % 5 !== 4) {
      const row = { id: r.id, externalRef: r.external_ref, score: r.score, surveyId: r.survey_id, departmentId: r.department_id, customerId: null, respondedAt };
      const [item] = await transaction(t.ctx(ADMIN, at(0)), (ctx) => t.app.services.followUps.openForResponses(ctx, [row]));
      switch (i % 6) {
        case 0: // untouched
          break;
        case 1:
          await move(item.id, { status: 'IN_PROGRESS' }, 5);
          break;
        case 2:
          await move(item.id, { status: 'IN_PROGRESS' }, 3);
          await move(item.id, { status: 'DONE' }, 20);
          break;
        case 3:
          await move(item.id, { status: 'WONT_DO', note: 'customer unreachable' }, 30);
          break;
        case 4:
          await move(item.id, { status: 'IN_PROGRESS' }, 2);
          await move(item.id, { status: 'BLOCKED' }, 10);
          await move(item.id, { status: 'IN_PROGRESS' }, 60);
          await move(item.id, { status: 'DONE' }, 100);
          break;
        case 5: // edited but never left OPEN: not a follow-up
          await move(item.id, { assigneeId: other.id, dueAt: new Date(opened + 200 * HOUR).toISOString() }, 4);
          break;
      }
      if (i === 2) {
        // A second, manual item for the same detractor: still one followed-up detractor.
        const { createActionItem } = await t.ok(CREATE, { input: { responseId: r.id } }, { viewer: ADMIN, now: at(1) });
        await move(createActionItem.id, { status: 'IN_PROGRESS' }, 7);
      }
    } else if (score >= 7 && i % 4 === 0) {
      // Items for passives and promoters count in the item metrics; without a due date, not in the SLA rate.
      const { createActionItem } = await t.ok(CREATE, { input: { responseId: r.id, dueAt: null } }, { viewer: ADMIN, now: at(0) });
      await move(createActionItem.id, { status: 'DONE' }, 10 + i);
    }
  }
  // An item without a response: not part of the closed-loop metrics.
  await t.ok(CREATE, { input: { title: 'Internal', departmentId: dept.SALES } }, { viewer: ADMIN, now: () => new Date(START) });
});
afterAll(() => t.close());

// ---- the metrics recomputed from the rows, independently of the SQL

interface Row {
  id: string;
  score: number;
  department_id: string;
  responded_at: Date;
  kind: string;
}
interface ItemRow {
  response_id: string | null;
  created_at: Date;
  first_action_at: Date | null;
  closed_at: Date | null;
  due_at: Date | null;
}

function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function expectedMetrics(responses: Row[], items: ItemRow[], now: Date) {
  const ids = new Set(responses.map((r) => r.id));
  const mine = items.filter((i) => i.response_id && ids.has(i.response_id));
  const detractors = responses.filter((r) => r.score <= 6);
  const followedUp = detractors.filter((r) => mine.some((i) => i.response_id === r.id && i.first_action_at)).length;
  const hours = (a: Date, b: Date) => (a.getTime() - b.getTime()) / HOUR;
  const closed = mine.filter((i) => i.closed_at);
  const withDue = closed.filter((i) => i.due_at);
  const withinSla = withDue.filter((i) => i.closed_at! <= i.due_at!).length;
  return {
    detractors: detractors.length,
    followedUp,
    followUpRate: detractors.length ? (100 * followedUp) / detractors.length : null,
    actionItems: mine.length,
    medianHoursToFirstAction: median(mine.filter((i) => i.first_action_at).map((i) => hours(i.first_action_at!, i.created_at))),
    medianHoursToClose: median(closed.map((i) => hours(i.closed_at!, i.created_at))),
    closed: closed.length,
    closedWithinSla: withinSla,
    closedWithinSlaRate: withDue.length ? (100 * withinSla) / withDue.length : null,
    open: mine.filter((i) => !i.closed_at).length,
    overdue: mine.filter((i) => !i.closed_at && i.due_at && i.due_at < now).length,
  };
}

function expectMetrics(actual: Record<string, number | null>, expected: Record<string, number | null>) {
  for (const [k, v] of Object.entries(expected)) {
    if (v === null) expect([k, actual[k]]).toEqual([k, null]);
    else expect([k, actual[k]]).toEqual([k, expect.closeTo(v, 9)]);
  }
}

let responses: Row[];
let items: ItemRow[];
beforeAll(async () => {
  responses = await q(`SELECT r.id, r.score, r.department_id, r.responded_at, s.kind FROM responses r JOIN surveys s ON s.id = r.survey_id`);
  items = await q(`SELECT response_id, created_at, first_action_at, closed_at, due_at FROM action_items`);
});
/** Responses of these departments' subtrees (the tree is CO > SALES > SALES-EU, CO > SUPPORT). */
const subtree = (...codes: string[]) => (r: Row) => {
  const below: Record<string, string[]> = { CO: ['CO', 'SALES', 'SALES-EU', 'SUPPORT'], SALES: ['SALES', 'SALES-EU'], 'SALES-EU': ['SALES-EU'], SUPPORT: ['SUPPORT'] };
  return codes.some((c) => below[c].some((d) => dept[d] === r.department_id));
};

describe('closedLoop', () => {
  const SUMMARY = `query($filter: ResponseFilter) { closedLoop(filter: $filter) { ${METRICS} } }`;
  const NOW = new Date('2026-04-15T00:00:00Z');

  it('has a dataset that exercises every metric', () => {
    const e = expectedMetrics(responses, items, NOW);
    expect(e.detractors).toBeGreaterThan(e.followedUp);
    expect(e.followedUp).toBeGreaterThan(0);
    expect(e.closed).toBeGreaterThan(e.closedWithinSla);
    expect(e.closedWithinSla).toBeGreaterThan(0);
    expect(e.overdue).toBeGreaterThan(0);
    const earlier = expectedMetrics(responses, items, new Date('2026-02-10T00:00:00Z'));
    expect(earlier.overdue).toBeGreaterThan(0);
    expect(earlier.open).toBeGreaterThan(earlier.overdue);
    expect(items.filter((i) => i.closed_at && !i.due_at).length).toBeGreaterThan(0);
  });

  it.each([
    ['no filter', undefined, () => true],
    ['a department subtree', { departmentIds: ['SALES'] }, subtree('SALES')],
    ['two departments', { departmentIds: ['SALES-EU', 'SUPPORT'] }, subtree('SALES-EU', 'SUPPORT')],
    ['a survey kind', { surveyKind: 'TRANSACTIONAL' }, (r: Row) => r.kind === 'TRANSACTIONAL'],
    ['a date range', { from: '2026-02-01T00:00:00Z', to: '2026-03-01T00:00:00Z' }, (r: Row) => r.responded_at >= new Date('2026-02-01T00:00:00Z') && r.responded_at < new Date('2026-03-01T00:00:00Z')],
    // Edge fragments only (no whole hour): once an error on PostgreSQL, a parameter bound for today's keys and never read.
    ['a range inside one hour', { from: '2026-02-03T10:05:00Z', to: '2026-02-03T10:50:00Z' }, (r: Row) => r.responded_at >= new Date('2026-02-03T10:05:00Z') && r.responded_at < new Date('2026-02-03T10:50:00Z')],
  ])('matches the rows recomputed in JS for %s', async (_name, filter, keep) => {
    const f = filter && 'departmentIds' in filter ? { departmentIds: filter.departmentIds!.map((c) => dept[c]) } : filter;
    for (const now of [NOW, new Date('2026-02-10T00:00:00Z')]) {
      const { closedLoop } = await t.ok(SUMMARY, { filter: f }, { viewer: ADMIN, now: () => now });
      expectMetrics(closedLoop, expectedMetrics(responses.filter(keep as (r: Row) => boolean), items, now));
    }
  });

  it('reads the median histograms only when a median is selected (closedLoop and closedLoopByDepartment); the counts are the same', async () => {
    const COUNTS = 'detractors followedUp followUpRate actionItems closed closedWithinSla closedWithinSlaRate open overdue';
    const run = async (query: string) => {
      const ctx = t.ctx(ADMIN, () => NOW);
      const sql: string[] = [];
      const reports = ctx.reports;
      Object.assign(ctx, { reports: { query: (text: string, params?: unknown[]) => (sql.push(text), reports.query(text, params)) } });
      const res = await t.app.apollo.executeOperation({ query }, { contextValue: ctx });
      if (res.body.kind !== 'single' || res.body.singleResult.errors) throw new Error(JSON.stringify(res.body));
      return { data: res.body.singleResult.data as any, histograms: sql.filter((s) => /cl_bins_|cl_minutes_/.test(s)).length, statements: sql.length };
    };
    const lean = await run(`{ closedLoop { ${COUNTS} } }`);
    const full = await run(`{ closedLoop { ${COUNTS} medianHoursToFirstAction } }`);
    const viaFragment = await run(`{ closedLoop { ...M } } fragment M on ClosedLoopMetrics { ${COUNTS} medianHoursToClose }`);
    expect(lean.statements).toBeGreaterThan(0);
    expect(lean.histograms).toBe(0);
    expect(full.histograms).toBeGreaterThan(0);
    expect(viaFragment.histograms).toBeGreaterThan(0);
    const { medianHoursToFirstAction, ...counts } = full.data.closedLoop;
    expect(lean.data.closedLoop).toEqual(counts);
    expect(medianHoursToFirstAction).toBeCloseTo(expectedMetrics(responses, items, NOW).medianHoursToFirstAction!, 9);

    const byDept = (fields: string) => run(`{ closedLoopByDepartment(parentId: "${dept.CO}") { department { code } metrics { ${fields} } } }`);
    const leanDepts = await byDept(COUNTS);
    const fullDepts = await byDept(`${COUNTS} medianHoursToClose`);
    expect([leanDepts.histograms, fullDepts.histograms > 0]).toEqual([0, true]);
    const withoutMedian = (rows: any[]) => rows.map((r) => ({ ...r, metrics: Object.fromEntries(Object.entries(r.metrics).filter(([k]) => k !== 'medianHoursToClose')) }));
    expect(leanDepts.data.closedLoopByDepartment).toEqual(withoutMedian(fullDepts.data.closedLoopByDepartment));
  });

  it('gives nulls, not zeros, for rates and medians with nothing to measure', async () => {
    const { closedLoop } = await t.ok(SUMMARY, { filter: { from: '2030-01-01T00:00:00Z' } }, { viewer: ADMIN });
    expect(closedLoop).toEqual({
      detractors: 0, followedUp: 0, followUpRate: null, actionItems: 0, medianHoursToFirstAction: null, medianHoursToClose: null,
      closed: 0, closedWithinSla: 0, closedWithinSlaRate: null, open: 0, overdue: 0,
    });
  });

  it('is what KPI targets read: services.closedLoop.summary(ctx, filter)', async () => {
    const ctx = t.ctx(ADMIN, () => NOW);
    const m = await t.app.services.closedLoop.summary(ctx, { departmentIds: [dept.SUPPORT] });
    const e = expectedMetrics(responses.filter(subtree('SUPPORT')), items, NOW);
    expect(m.followUpRate).toBeCloseTo(e.followUpRate!, 9);
    expect(m.closedWithinSlaRate).toBeCloseTo(e.closedWithinSlaRate!, 9);
  });
});

describe('closedLoopByDepartment and closedLoopTrend', () => {
  const BY_DEPT = `query($filter: ResponseFilter, $parentId: ID) { closedLoopByDepartment(filter: $filter, parentId: $parentId) { department { code } metrics { ${METRICS} } } }`;
  const TREND = `query($filter: ResponseFilter, $interval: TrendInterval!) { closedLoopTrend(filter: $filter, interval: $interval) { periodStart periodEnd metrics { ${METRICS} } } }`;
  const NOW = new Date('2026-03-01T00:00:00Z');

  it('rolls each child department up over its subtree', async () => {
    const roots = (await t.ok(BY_DEPT, {}, { viewer: ADMIN, now: () => NOW })).closedLoopByDepartment;
    expect(roots.map((r: any) => r.department.code)).toEqual(['CO']);
    expectMetrics(roots[0].metrics, expectedMetrics(responses, items, NOW));

    const children = (await t.ok(BY_DEPT, { parentId: dept.CO, filter: { surveyKind: 'RELATIONSHIP' } }, { viewer: ADMIN, now: () => NOW })).closedLoopByDepartment;
    expect(children.map((r: any) => r.department.code)).toEqual(['SALES', 'SUPPORT']);
    const rel = (r: Row) => r.kind === 'RELATIONSHIP';
    expectMetrics(children[0].metrics, expectedMetrics(responses.filter((r) => rel(r) && subtree('SALES')(r)), items, NOW));
    expectMetrics(children[1].metrics, expectedMetrics(responses.filter((r) => rel(r) && subtree('SUPPORT')(r)), items, NOW));

    const leaf = (await t.ok(BY_DEPT, { parentId: dept['SALES-EU'] }, { viewer: ADMIN })).closedLoopByDepartment;
    expect(leaf).toEqual([]);
    expect(codes(await t.exec(BY_DEPT, { parentId: '00000000-0000-4000-8000-000000000000' }, { viewer: ADMIN }))).toEqual(['NOT_FOUND']);
  });

  it('gives one point per month, empty months included', async () => {
    const filter = { from: '2025-12-01T00:00:00Z', to: '2026-05-01T00:00:00Z' };
    const points = (await t.ok(TREND, { filter, interval: 'MONTH' }, { viewer: ADMIN, now: () => NOW })).closedLoopTrend;
    const months = ['2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05'];
    expect(points.map((p: any) => [p.periodStart, p.periodEnd])).toEqual(
      months.slice(0, -1).map((m, i) => [`${m}-01T00:00:00.000Z`, `${months[i + 1]}-01T00:00:00.000Z`]),
    );
    for (const p of points) {
      const inPeriod = (r: Row) => r.responded_at >= new Date(p.periodStart) && r.responded_at < new Date(p.periodEnd);
      expectMetrics(p.metrics, expectedMetrics(responses.filter(inPeriod), items, NOW));
    }
    expect(points[0].metrics.detractors).toBe(0);
    expect(points.reduce((n: number, p: any) => n + p.metrics.detractors, 0)).toBe(responses.filter((r) => r.score <= 6).length);
    expect(codes(await t.exec(TREND, { filter: { from: '2000-01-01T00:00:00Z' }, interval: 'DAY' }, { viewer: ADMIN }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('closed-loop access', () => {
  const SUMMARY = `query($filter: ResponseFilter) { closedLoop(filter: $filter) { ${METRICS} } }`;
  const BY_DEPT = `query($parentId: ID) { closedLoopByDepartment(parentId: $parentId) { department { code } metrics { detractors } } }`;
  const NOW = new Date('2026-04-15T00:00:00Z');

  it('confines a manager to their subtree', async () => {
    const mgr: Viewer = { keyId: null, name: 'mgr', role: Role.MANAGER, departmentId: dept.SALES };
    const { closedLoop } = await t.ok(SUMMARY, {}, { viewer: mgr, now: () => NOW });
    expectMetrics(closedLoop, expectedMetrics(responses.filter(subtree('SALES')), items, NOW));
    const mine = (await t.ok(BY_DEPT, {}, { viewer: mgr })).closedLoopByDepartment;
    expect(mine.map((r: any) => r.department.code)).toEqual(['SALES']);
    expect(codes(await t.exec(BY_DEPT, { parentId: dept.CO }, { viewer: mgr }))).toEqual(['FORBIDDEN']);
    expect(codes(await t.exec(SUMMARY, { filter: { departmentIds: [dept.SUPPORT] } }, { viewer: mgr }))).toEqual(['FORBIDDEN']);
  });

  it('needs READ_REPORTS', async () => {
    const integration: Viewer = { keyId: null, name: 'sync', role: Role.INTEGRATION, departmentId: null };
    expect(codes(await t.exec(SUMMARY, {}, { viewer: integration }))).toEqual(['FORBIDDEN']);
    expect(codes(await t.exec(BY_DEPT, {}, { viewer: integration }))).toEqual(['FORBIDDEN']);
  });
});
