import { codes, createTestApp, TestApp, viewers } from './support/test-app';
import { Role, Viewer } from '../src/modules/auth/viewer';
import { transaction } from '../src/transaction';
import { itemsAtSql } from '../src/modules/action-items/action-item-as-of';

/**
 * Closed-loop figures as of a past instant (issue 9, item 6), on a hand-built history:
 *
 *   R1 score 3, department A, responded 03-02 09:00; its item I1 opened 03-02 10:00, due 03-04 10:00 (SLA 48 h)
 *   R2 score 5, department A, responded 03-02 12:00; its item I2 opened 03-02 12:00, due 03-04 12:00
 *   R3 score 9, department B, responded 03-03 08:00
 *   03-03 09:00  I1 reassigned to the agent (not a follow-up: it stays OPEN)
 *   03-03 15:30  I1 IN_PROGRESS (first action: 29.5 h after it opened)
 *   03-04 11:00  I1 due date moved to 03-06 10:00 (it had been overdue for an hour)
 *   03-05 10:00  I1 DONE (72 h after it opened, within the moved due date)
 *   03-06 09:00  I3 opened by hand for R3, due 03-06 10:00
 *   03-07 12:00  I2 DONE (first action and close at once, 120 h after it opened, 3 days late)
 *   03-08 09:00  I1 reopened (IN_PROGRESS: closedAt cleared)
 *   now = 03-09 12:00
 *
 * All of March 2026, UTC. The figures at each instant below are worked out by hand from this list.
 */
let t: TestApp;
const q = (sql: string, params: unknown[] = []) => t.db.dataSource.query(sql, params);
const ADMIN: Viewer = { keyId: null, name: 'admin', role: Role.ADMIN, departmentId: null };
const at = (s: string) => new Date(`2026-03-${s}:00Z`);
const NOW = at('09T12:00');
const clock = (s: string) => () => at(s);
const dept: Record<string, string> = {};
const item: Record<string, string> = {};
let owner: string;
let agent: string;

const UPDATE = `mutation($input: UpdateActionItemInput!) { updateActionItem(input: $input) { id } }`;
const CREATE = `mutation($input: CreateActionItemInput!) { createActionItem(input: $input) { id } }`;
const METRICS = `detractors followedUp followUpRate actionItems medianHoursToFirstAction medianHoursToClose closed closedWithinSla closedWithinSlaRate open overdue`;
const SUMMARY = `query($asOf: DateTimeISO, $f: ResponseFilter) { closedLoop(asOf: $asOf, filter: $f) { ${METRICS} } }`;
const BY_DEPT = `query($asOf: DateTimeISO, $p: ID) { closedLoopByDepartment(asOf: $asOf, parentId: $p) { department { code } metrics { ${METRICS} } } }`;
const TREND = `query($asOf: DateTimeISO, $f: ResponseFilter) { closedLoopTrend(interval: DAY, asOf: $asOf, filter: $f) { periodStart metrics { ${METRICS} } } }`;

beforeAll(async () => {
  t = await createTestApp();
  [{ id: owner }] = await q(`INSERT INTO people (name, email) VALUES ('Owner', 'owner@example.com') RETURNING id`);
  [{ id: agent }] = await q(`INSERT INTO people (name, email) VALUES ('Agent', 'agent@example.com') RETURNING id`);
  for (const [code, parent] of [['CO', null], ['A', 'CO'], ['B', 'CO']] as const) {
    const [row] = await q(`INSERT INTO departments (code, name, parent_id, sla_hours, owner_id) VALUES ($1, $1, $2, 48, $3) RETURNING id`, [
      code, parent ? dept[parent] : null, owner,
    ]);
    dept[code] = row.id;
  }
  const [survey] = await q(`INSERT INTO surveys (code, name, kind) VALUES ('tx', 'Tx', 'TRANSACTIONAL') RETURNING id`);
  const response = async (ref: string, score: number, code: string, respondedAt: Date) => {
    const [r] = await q(`INSERT INTO responses (external_ref, survey_id, score, department_id, responded_at) VALUES ($1, $2, $3, $4, $5) RETURNING *`, [
      ref, survey.id, score, dept[code], respondedAt,
    ]);
    return { id: r.id as string, externalRef: ref, score, surveyId: survey.id as string, departmentId: dept[code], customerId: null, respondedAt };
  };
  const open = async (row: Awaited<ReturnType<typeof response>>, when: string) =>
    (await transaction(t.ctx(ADMIN, clock(when)), (ctx) => t.app.services.followUps.openForResponses(ctx, [row])))[0].id;
  const update = (id: string, input: Record<string, unknown>, when: string) => t.ok(UPDATE, { input: { id, ...input } }, { viewer: ADMIN, now: clock(when) });

  const r1 = await response('R1', 3, 'A', at('02T09:00'));
  item.I1 = await open(r1, '02T10:00');
  const r2 = await response('R2', 5, 'A', at('02T12:00'));
  item.I2 = await open(r2, '02T12:00');
  const r3 = await response('R3', 9, 'B', at('03T08:00'));
  await update(item.I1, { assigneeId: agent }, '03T09:00');
  await update(item.I1, { status: 'IN_PROGRESS' }, '03T15:30');
  await update(item.I1, { dueAt: at('06T10:00').toISOString() }, '04T11:00');
  await update(item.I1, { status: 'DONE' }, '05T10:00');
  item.I3 = (await t.ok(CREATE, { input: { responseId: r3.id, dueAt: at('06T10:00').toISOString() } }, { viewer: ADMIN, now: clock('06T09:00') })).createActionItem.id;
  await update(item.I2, { status: 'DONE' }, '07T12:00');
  await update(item.I1, { status: 'IN_PROGRESS' }, '08T09:00');
});
afterAll(() => t.close());

const metrics = (m: Partial<Record<string, number | null>>) => ({
  detractors: 0, followedUp: 0, followUpRate: null, actionItems: 0, medianHoursToFirstAction: null, medianHoursToClose: null,
  closed: 0, closedWithinSla: 0, closedWithinSlaRate: null, open: 0, overdue: 0, ...m,
});
const summaryAt = async (asOf: string | null, viewer: Viewer = ADMIN) =>
  (await t.ok(SUMMARY, { asOf: asOf && at(asOf).toISOString() }, { viewer, now: () => NOW })).closedLoop;

/** The figures by hand at each instant (see the history above). */
const EXPECTED: Record<string, ReturnType<typeof metrics>> = {
  // Only R1 was given; I1 open, due 03-04.
  '02T11:00': metrics({ detractors: 1, followUpRate: 0, actionItems: 1, open: 1 }),
  // R2 and R3 given; I1 reassigned but still OPEN: no follow-up yet.
  '03T12:00': metrics({ detractors: 2, followUpRate: 0, actionItems: 2, open: 2 }),
  // I1 started (29.5 h) and past its first due date (10:00); I2 not yet due (12:00).
  '04T10:30': metrics({ detractors: 2, followedUp: 1, followUpRate: 50, actionItems: 2, medianHoursToFirstAction: 29.5, open: 2, overdue: 1 }),
  // I1's due date moved to 03-06: no longer overdue; I2 now is.
  '04T13:00': metrics({ detractors: 2, followedUp: 1, followUpRate: 50, actionItems: 2, medianHoursToFirstAction: 29.5, open: 2, overdue: 1 }),
  // I1 closed at 03-05 10:00 (72 h), within its moved due date; I2 open and overdue.
  '05T12:00': metrics({
    detractors: 2, followedUp: 1, followUpRate: 50, actionItems: 2, medianHoursToFirstAction: 29.5, medianHoursToClose: 72,
    closed: 1, closedWithinSla: 1, closedWithinSlaRate: 100, open: 1, overdue: 1,
  }),
  // I2 closed 3 days late (120 h, its first action too); I3 opened for R3, due 03-06 10:00: overdue.
  '07T13:00': metrics({
    detractors: 2, followedUp: 2, followUpRate: 100, actionItems: 3, medianHoursToFirstAction: (29.5 + 120) / 2, medianHoursToClose: (72 + 120) / 2,
    closed: 2, closedWithinSla: 1, closedWithinSlaRate: 50, open: 1, overdue: 1,
  }),
};
/** Now: I1 reopened (its moved due date has passed), I2 closed late, I3 overdue. */
const NOW_FIGURES = metrics({
  detractors: 2, followedUp: 2, followUpRate: 100, actionItems: 3, medianHoursToFirstAction: (29.5 + 120) / 2, medianHoursToClose: 120,
  closed: 1, closedWithinSla: 0, closedWithinSlaRate: 0, open: 2, overdue: 2,
});

describe('the items as their history left them', () => {
  const itemAt = async (id: string, when: string) => {
    const [row] = await q(`SELECT * FROM (${itemsAtSql('$1::timestamptz', 'a.id = $2')}) x`, [at(when), id]);
    return row && { status: row.status, assigneeId: row.assignee_id, dueAt: row.due_at?.toISOString() ?? null, closedAt: row.closed_at?.toISOString() ?? null, firstActionAt: row.first_action_at?.toISOString() ?? null };
  };
  const iso = (s: string) => at(s).toISOString();

  it('opened, reassigned, started, due date moved, resolved, reopened: status, assignee and due date at instants between the events', async () => {
    expect(await itemAt(item.I1, '02T09:30')).toBeUndefined(); // not opened yet
    expect(await itemAt(item.I1, '03T08:00')).toEqual({ status: 'OPEN', assigneeId: owner, dueAt: iso('04T10:00'), closedAt: null, firstActionAt: null });
    expect(await itemAt(item.I1, '03T12:00')).toEqual({ status: 'OPEN', assigneeId: agent, dueAt: iso('04T10:00'), closedAt: null, firstActionAt: null });
    expect(await itemAt(item.I1, '04T10:30')).toEqual({ status: 'IN_PROGRESS', assigneeId: agent, dueAt: iso('04T10:00'), closedAt: null, firstActionAt: iso('03T15:30') });
    expect(await itemAt(item.I1, '04T13:00')).toMatchObject({ status: 'IN_PROGRESS', dueAt: iso('06T10:00'), closedAt: null });
    expect(await itemAt(item.I1, '05T12:00')).toMatchObject({ status: 'DONE', dueAt: iso('06T10:00'), closedAt: iso('05T10:00') });
    expect(await itemAt(item.I1, '09T12:00')).toEqual({ status: 'IN_PROGRESS', assigneeId: agent, dueAt: iso('06T10:00'), closedAt: null, firstActionAt: iso('03T15:30') });
    // An event at exactly the instant is not yet in effect (the instant is an exclusive end, like filter.to).
    expect(await itemAt(item.I1, '05T10:00')).toMatchObject({ status: 'IN_PROGRESS', closedAt: null });
  });

  it('an item without a recorded history is read from its columns at the instant', async () => {
    const [{ id }] = await q(`INSERT INTO action_items (title, status, due_at, first_action_at, closed_at, created_at, updated_at)
      VALUES ('Imported', 'DONE', $1, $2, $3, $4, $3) RETURNING id`, [at('02T00:00'), at('01T12:00'), at('03T00:00'), at('01T00:00')]);
    try {
      expect(await itemAt(id, '01T06:00')).toMatchObject({ status: 'OPEN', closedAt: null, firstActionAt: null });
      expect(await itemAt(id, '02T06:00')).toMatchObject({ status: 'IN_PROGRESS', closedAt: null, firstActionAt: iso('01T12:00') });
      expect(await itemAt(id, '04T00:00')).toMatchObject({ status: 'DONE', closedAt: iso('03T00:00') });
    } finally {
      await q('DELETE FROM action_items WHERE id = $1', [id]);
    }
  });
});

describe('closedLoop(asOf)', () => {
  it.each(Object.keys(EXPECTED))('as of 2026-03-%s', async (when) => {
    expect(await summaryAt(when)).toEqual(EXPECTED[when]);
  });

  it('without asOf: the current state (I1 reopened, I2 closed late), from the counters; asOf = now gives the same', async () => {
    expect(await summaryAt(null)).toEqual(NOW_FIGURES);
    expect(await summaryAt('09T12:00')).toEqual(NOW_FIGURES);
  });

  it('counts only responses given before the instant, within the filter', async () => {
    const f = { departmentCodes: ['A'], from: at('02T12:00').toISOString() }; // R2 only
    const { closedLoop } = await t.ok(SUMMARY, { asOf: at('05T12:00').toISOString(), f }, { now: () => NOW });
    expect(closedLoop).toEqual(metrics({ detractors: 1, followUpRate: 0, actionItems: 1, open: 1, overdue: 1 }));
    // A filter whose period starts after the instant: nothing yet.
    const later = await t.ok(SUMMARY, { asOf: at('02T11:00').toISOString(), f }, { now: () => NOW });
    expect(later.closedLoop).toEqual(metrics({}));
  });

  it('per department and per day, as of the instant', async () => {
    const { closedLoopByDepartment } = await t.ok(BY_DEPT, { asOf: at('05T12:00').toISOString(), p: dept.CO }, { now: () => NOW });
    expect(closedLoopByDepartment).toEqual([
      { department: { code: 'A' }, metrics: EXPECTED['05T12:00'] },
      { department: { code: 'B' }, metrics: metrics({}) }, // R3 is a promoter; I3 did not exist yet
    ]);
    const later = await t.ok(BY_DEPT, { asOf: at('07T13:00').toISOString(), p: dept.CO }, { now: () => NOW });
    expect(later.closedLoopByDepartment[1]).toEqual({ department: { code: 'B' }, metrics: metrics({ actionItems: 1, open: 1, overdue: 1 }) });

    // Buckets up to the instant (filter.to defaults to it): 03-02 holds R1 and R2, 03-03 holds R3.
    const { closedLoopTrend } = await t.ok(TREND, { asOf: at('05T12:00').toISOString() }, { now: () => NOW });
    expect(closedLoopTrend.map((p: { periodStart: string }) => p.periodStart)).toEqual(['02', '03', '04', '05'].map((d) => `2026-03-${d}T00:00:00.000Z`));
    expect(closedLoopTrend[0].metrics).toEqual(EXPECTED['05T12:00']);
    for (const p of closedLoopTrend.slice(1)) expect(p.metrics).toEqual(metrics({}));
    const today = await t.ok(TREND, {}, { now: () => NOW });
    expect(today.closedLoopTrend).toHaveLength(8); // 03-02 .. 03-09
    expect(today.closedLoopTrend[0].metrics).toEqual({ ...NOW_FIGURES, actionItems: 2, open: 1, overdue: 1 }); // R1, R2: I1 reopened and overdue, I2 closed
  });

  it('keeps a MANAGER key to its subtree', async () => {
    const manager = viewers.manager(dept.B);
    expect(await summaryAt('07T13:00', manager)).toEqual(metrics({ actionItems: 1, open: 1, overdue: 1 }));
    expect(await summaryAt('05T12:00', manager)).toEqual(metrics({}));
    const res = await t.exec(BY_DEPT, { asOf: at('05T12:00').toISOString(), p: dept.A }, { viewer: manager, now: () => NOW });
    expect(codes(res)).toEqual(['FORBIDDEN']);
  });

  it('refuses an instant more than 5 minutes in the future, naming asOf, on each query; within 5 minutes (clock skew) it is now', async () => {
    const future = new Date(NOW.getTime() + 5 * 60_000 + 1).toISOString();
    for (const query of [SUMMARY, BY_DEPT, TREND]) {
      const res = await t.exec(query, { asOf: future }, { now: () => NOW });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0].extensions!.field).toBe('asOf');
      expect(res.errors![0].message).toMatch(/asOf .* is in the future/);
    }
    const skewed = await t.ok(SUMMARY, { asOf: new Date(NOW.getTime() + 5 * 60_000).toISOString() }, { now: () => NOW });
    expect(skewed.closedLoop).toEqual(NOW_FIGURES);
  });

  it('refuses INTEGRATION keys', async () => {
    expect(codes(await t.exec(SUMMARY, { asOf: at('05T12:00').toISOString() }, { viewer: viewers.integration, now: () => NOW }))).toEqual(['FORBIDDEN']);
  });
});

describe('KPI rate targets as of an instant: the items as their history left them then', () => {
  // FOLLOW_UP_RATE and CLOSED_WITHIN_SLA_RATE targets of 50 on CO for March; the figures by hand from the history above.
  const TARGETS = `query($asOf: DateTimeISO) { kpiTargets(asOf: $asOf) { metric actual status
    contributors { kind department { code } base actual } } }`;
  beforeAll(async () => {
    for (const metric of ['FOLLOW_UP_RATE', 'CLOSED_WITHIN_SLA_RATE']) {
      await q(`INSERT INTO kpi_targets (owner_id, metric, target, period_start, period_end, department_id) VALUES ($1, $2, 50, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z', $3)`, [
        owner, metric, dept.CO,
      ]);
    }
  });
  const targets = async (asOf: string | null) => {
    const { kpiTargets } = await t.ok(TARGETS, { asOf: asOf && at(asOf).toISOString() }, { viewer: ADMIN, now: () => NOW });
    return Object.fromEntries(kpiTargets.map((k: { metric: string }) => [k.metric, k]));
  };
  const child = (k: { contributors: { department: { code: string } | null; base: number; actual: number | null }[] }, code: string) =>
    k.contributors.find((c) => c.department?.code === code);

  it('live: R1 and R2 followed up (100), the one closed item I2 closed late (0)', async () => {
    const k = await targets(null);
    expect(k.FOLLOW_UP_RATE).toMatchObject({ actual: 100 });
    expect(k.CLOSED_WITHIN_SLA_RATE).toMatchObject({ actual: 0 });
  });

  it('as of 03-03 12:00: nothing followed up yet (0), nothing closed (no data), whatever happened since', async () => {
    const k = await targets('03T12:00');
    expect(k.FOLLOW_UP_RATE).toMatchObject({ actual: 0 });
    expect(child(k.FOLLOW_UP_RATE, 'A')).toMatchObject({ base: 2, actual: 0 });
    expect(k.CLOSED_WITHIN_SLA_RATE).toMatchObject({ actual: null, status: 'NO_DATA' });
  });

  it('as of 03-05 12:00: I1 followed up, I2 not (50); I1 closed within its moved due date (100), contributors on the same footing', async () => {
    const k = await targets('05T12:00');
    expect(k.FOLLOW_UP_RATE).toMatchObject({ actual: 50 });
    expect(child(k.FOLLOW_UP_RATE, 'A')).toMatchObject({ base: 2, actual: 50 });
    expect(k.CLOSED_WITHIN_SLA_RATE).toMatchObject({ actual: 100 });
    expect(child(k.CLOSED_WITHIN_SLA_RATE, 'A')).toMatchObject({ base: 1, actual: 100 });
  });
});

describe("executiveSummary's closedLoop as of an instant: the items as their history left them then", () => {
  // March 2026 (every response above), as of an instant between the events, against live (now: 03-09 12:00).
  const EXEC = `query($asOf: DateTimeISO) { executiveSummary(from: "2026-03-01T00:00:00Z", to: "2026-04-01T00:00:00Z", asOf: $asOf) { asOf closedLoop { ${METRICS} } } }`;
  const summaryClosedLoop = async (asOf: string | null, viewer: Viewer = ADMIN) =>
    (await t.ok(EXEC, { asOf: asOf && at(asOf).toISOString() }, { viewer, now: () => NOW })).executiveSummary.closedLoop;

  it('as of 03-03 12:00 nothing was followed up yet, as of 03-05 12:00 only I1 (closed within its moved due date), whatever happened since', async () => {
    expect(await summaryClosedLoop('03T12:00')).toEqual(EXPECTED['03T12:00']);
    expect(await summaryClosedLoop('05T12:00')).toEqual(EXPECTED['05T12:00']);
    // I2 is overdue at 03-05 12:00 (due 03-04 12:00) though it is closed now: overdue judged at asOf.
    expect((await summaryClosedLoop('05T12:00')).overdue).toBe(1);
    for (const when of ['03T12:00', '05T12:00', '07T13:00']) expect(await summaryClosedLoop(when)).toEqual(await summaryAt(when));
  });

  it('live: I1 reopened, I2 closed late, I3 overdue (the figures of now differ from those as of a past instant)', async () => {
    expect(await summaryClosedLoop(null)).toEqual(NOW_FIGURES);
    expect(await summaryClosedLoop('05T12:00')).not.toEqual(NOW_FIGURES);
  });

  it('a MANAGER key: its subtree as of the instant', async () => {
    const manager = viewers.manager(dept.B);
    expect(await summaryClosedLoop('07T13:00', manager)).toEqual(metrics({ actionItems: 1, open: 1, overdue: 1 }));
    expect(await summaryClosedLoop('05T12:00', manager)).toEqual(metrics({}));
  });
});
