import { createTestApp, TestApp, viewers } from './support/test-app';
import type { Viewer } from '../src/modules/auth/viewer';
import { seededChoices } from './support/seeded-random';

/**
 * Reproducible reports, proven by replay: a random month of closed-loop work is played in time
 * order through the API (responses submitted with their automatic follow-ups, items created by
 * hand, moved, reassigned, given new due dates). At random instants the reports are read as of
 * then (no asOf: the counters and the clock). At the end, asking with asOf = each of those instants
 * must give exactly what was read then: closedLoop, per department, per week, for an admin and a
 * manager, with and without a filter.
 */
const SEED = Number(process.env.AS_OF_SEED ?? 20261201);
const { rnd, pick, chance } = seededChoices(SEED);
const HOUR = 3_600_000;
const START = Date.parse('2026-04-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

let t: TestApp;
const dept: Record<string, string> = {};
const people: string[] = [];
const METRICS = 'detractors followedUp followUpRate actionItems medianHoursToFirstAction medianHoursToClose closed closedWithinSla closedWithinSlaRate open overdue';
const REPORTS = `query($asOf: DateTimeISO, $f: ResponseFilter, $co: ID) {
  all: closedLoop(asOf: $asOf) { ${METRICS} }
  some: closedLoop(asOf: $asOf, filter: $f) { ${METRICS} }
  byDept: closedLoopByDepartment(asOf: $asOf, parentId: $co) { department { code } metrics { ${METRICS} } }
  weeks: closedLoopTrend(asOf: $asOf, interval: WEEK, filter: { from: "${iso(START)}" }) { periodStart metrics { ${METRICS} } }
}`;
const MANAGER_REPORTS = `query($asOf: DateTimeISO) { closedLoop(asOf: $asOf) { ${METRICS} } closedLoopByDepartment(asOf: $asOf) { department { code } metrics { ${METRICS} } } }`;

interface Snapshot {
  at: number;
  f: Record<string, unknown>;
  admin: unknown;
  manager: unknown;
}
const snapshots: Snapshot[] = [];
let end = START;

const UPDATE = `mutation($input: UpdateActionItemInput!) { updateActionItem(input: $input) { id } }`;
const CREATE = `mutation($input: CreateActionItemInput!) { createActionItem(input: $input) { id } }`;
const SUBMIT = `mutation($rows: [ResponseInput!]!) { submitResponses(responses: $rows) { accepted } }`;
const STATUSES = ['OPEN', 'IN_PROGRESS', 'BLOCKED', 'DONE', 'WONT_DO'];

beforeAll(async () => {
  t = await createTestApp();
  const q = (sql: string, params: unknown[] = []) => t.deps.ds.query(sql, params);
  for (const name of ['Ann', 'Bob', 'Cy']) people.push((await q(`INSERT INTO people (name, email) VALUES ($1, $1 || '@example.com') RETURNING id`, [name]))[0].id);
  for (const [code, parent, sla] of [['CO', null, 48], ['CX', 'CO', 24], ['CX-A', 'CX', 12], ['OPS', 'CO', 72]] as const) {
    dept[code] = (await q(`INSERT INTO departments (code, name, parent_id, sla_hours, owner_id) VALUES ($1, $1, $2, $3, $4) RETURNING id`, [code, parent ? dept[parent] : null, sla, people[0]]))[0].id;
  }
  await q(`INSERT INTO surveys (code, name, kind) VALUES ('TX', 'Tx', 'TRANSACTIONAL')`);

  let now = START;
  let n = 0;
  const items: string[] = [];
  const responses: string[] = [];
  const admin = { now: () => new Date(now) };
  for (let step = 0; step < 220; step++) {
    const before = now;
    now += Math.floor(rnd() * 6 * HOUR) + 1 + Math.floor(rnd() * 1000); // off every minute and second
    const action = rnd();
    if (action < 0.3) {
      const rows = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => ({
        externalRef: `as-of-${++n}`,
        surveyCode: 'TX',
        score: Math.floor(rnd() * 11),
        respondedAt: iso(before + Math.floor(rnd() * (now - before))),
        departmentCode: pick(['CX', 'CX-A', 'OPS', 'CO']),
      }));
      await t.ok(SUBMIT, { rows }, admin);
      const stored: { id: string; external_ref: string }[] = await q(`SELECT id, external_ref FROM responses WHERE external_ref = ANY($1)`, [rows.map((r) => r.externalRef)]);
      responses.push(...stored.map((r) => r.id));
      items.push(...(await q(`SELECT a.id FROM action_items a WHERE a.response_id = ANY($1)`, [stored.map((r) => r.id)])).map((r: { id: string }) => r.id));
    } else if (action < 0.8 && items.length) {
      const input: Record<string, unknown> = { id: pick(items) };
      if (chance(0.75)) input.status = pick(STATUSES);
      if (chance(0.2)) input.dueAt = chance(0.15) ? null : iso(now + Math.floor((rnd() - 0.4) * 96 * HOUR));
      if (chance(0.2)) input.assigneeId = pick(people);
      await t.exec(UPDATE, { input }, admin); // moves the lifecycle does not allow are refused: fine
    } else if (action < 0.9 && responses.length) {
      const dueAt = chance(0.2) ? null : iso(now + Math.floor(rnd() * 72 * HOUR));
      items.push((await t.ok(CREATE, { input: { responseId: pick(responses), dueAt } }, admin)).createActionItem.id);
    } else if (responses.length) {
      const f = { departmentCodes: [pick(['CX', 'OPS'])], from: iso(START + Math.floor(rnd() * (now - START))) };
      snapshots.push({
        at: now,
        f,
        admin: await t.ok(REPORTS, { f, co: dept.CO }, admin),
        manager: await t.ok(MANAGER_REPORTS, {}, { ...admin, viewer: viewers.manager(dept.CX) }),
      });
    }
  }
  end = now + HOUR;
}, 300_000);
afterAll(() => t.close());

describe('asOf reproduces what the reports said then', () => {
  it('played a month of work with snapshots along the way', async () => {
    expect(snapshots.length).toBeGreaterThanOrEqual(12);
    const [c] = await t.deps.ds.query(`SELECT count(*)::int AS items, count(DISTINCT e.action_item_id)::int AS moved,
      (SELECT count(*) FROM action_item_events WHERE field = 'dueAt')::int AS due_moves, (SELECT count(*) FROM action_item_events WHERE field = 'assignee')::int AS reassigned
      FROM action_items a LEFT JOIN action_item_events e ON e.action_item_id = a.id AND e.field = 'status'`);
    expect(c.moved).toBeGreaterThan(20);
    expect(c.due_moves).toBeGreaterThan(5);
    expect(c.reassigned).toBeGreaterThan(5);
    // The reports did change along the way (a replay of constant figures would prove nothing).
    const overdue = new Set(snapshots.map((s) => (s.admin as any).all.overdue));
    const closed = new Set(snapshots.map((s) => (s.admin as any).all.closed));
    expect(overdue.size).toBeGreaterThan(3);
    expect(closed.size).toBeGreaterThan(3);
  });

  it('closedLoop, per department and per week, as of each snapshot', async () => {
    const later = { now: () => new Date(end) };
    for (const s of snapshots) {
      const asOf = iso(s.at);
      expect({ at: asOf, answer: await t.ok(REPORTS, { asOf, f: s.f, co: dept.CO }, later) }).toEqual({ at: asOf, answer: s.admin });
      const manager: Viewer = viewers.manager(dept.CX);
      expect({ at: asOf, answer: await t.ok(MANAGER_REPORTS, { asOf }, { ...later, viewer: manager }) }).toEqual({ at: asOf, answer: s.manager });
    }
    // ... and differ from the figures of the end (the history moved on).
    const today = await t.ok(REPORTS, { f: snapshots[0].f, co: dept.CO }, later);
    expect(snapshots.some((s) => JSON.stringify((s.admin as any).all) !== JSON.stringify(today.all))).toBe(true);
  }, 120_000);
});
