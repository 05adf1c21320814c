/**
 * Initiatives: the difference in differences and its significance on a hand-built data set (the
 * same counts as src/scoring/did.spec.ts, checked by hand there), window and flags, action items and
 * progress, MANAGER scope and INTEGRATION limits.
 */
import { codes, createTestApp, TestApp, viewers } from './support/test-app';

let t: TestApp;
const q = (sql: string, p: unknown[] = []) => t.db.dataSource.query(sql, p);
const id: Record<string, string> = {};
const START = '2026-04-01T00:00:00.000Z';
const NOW = new Date('2026-06-01T00:00:00Z');
const opts = { now: () => NOW };
const DAY = 86_400_000;
let n = 0;

/** promoters (score 10), passives (8), detractors (3) in department `dept`, spread over [from, from + days). */
async function scores(dept: string, from: string, days: number, p: number, pa: number, d: number): Promise<void> {
  const list = [...Array(p).fill(10), ...Array(pa).fill(8), ...Array(d).fill(3)];
  const at = list.map((_, i) => new Date(Date.parse(from) + Math.floor(((i + 0.5) * days * DAY) / list.length)).toISOString());
  await q(
    `INSERT INTO responses (external_ref, survey_id, score, department_id, responded_at)
     SELECT 'x-' || ($5::int + i), $1, s, $2, a FROM unnest($3::int[], $4::timestamptz[]) WITH ORDINALITY AS u(s, a, i)`,
    [id.survey, id[dept], list, at, n],
  );
  n += list.length;
}

const CREATE = `mutation($i: CreateInitiativeInput!) { createInitiative(input: $i) { id windowDays } }`;
const EFFECT = `query($id: ID!, $w: Int) { initiative(id: $id) { title effect(windowDays: $w) {
  windowDays beforeFrom afterTo scopeBefore { responses nps } scopeAfter { responses nps } outsideBefore { responses nps } outsideAfter { responses nps }
  scopeChange { delta significant verdict } outsideChange { delta significant verdict }
  effect adjustedEffect standardError zScore pValue significant verdict expectedEffect lowSample tooEarly } } }`;

beforeAll(async () => {
  t = await createTestApp();
  id.co = (await q(`INSERT INTO departments (code, name) VALUES ('CO', 'Company') RETURNING id`))[0].id;
  id.A = (await q(`INSERT INTO departments (code, name, parent_id) VALUES ('A', 'A', $1) RETURNING id`, [id.co]))[0].id;
  id.A1 = (await q(`INSERT INTO departments (code, name, parent_id) VALUES ('A1', 'A1', $1) RETURNING id`, [id.A]))[0].id;
  id.B = (await q(`INSERT INTO departments (code, name, parent_id) VALUES ('B', 'B', $1) RETURNING id`, [id.co]))[0].id;
  id.pa = (await q(`INSERT INTO people (name, email, department_id) VALUES ('Ann', 'ann@example.com', $1) RETURNING id`, [id.A]))[0].id;
  id.pb = (await q(`INSERT INTO people (name, email, department_id) VALUES ('Bob', 'bob@example.com', $1) RETURNING id`, [id.B]))[0].id;
  id.survey = (await q(`INSERT INTO surveys (code, name, kind, auto_follow_up) VALUES ('NPS', 'NPS', 'RELATIONSHIP', false) RETURNING id`))[0].id;
  const before = new Date(Date.parse(START) - 28 * DAY).toISOString();
  // Scope A (half in A, half in its team A1): (100, 60, 40) before, (140, 40, 20) after: NPS 30 -> 60
  await scores('A', before, 28, 50, 30, 20);
  await scores('A1', before, 28, 50, 30, 20);
  await scores('A', START, 28, 140, 40, 20);
  // Outside (B): (100, 60, 40) -> (104, 58, 38): NPS 30 -> 33
  await scores('B', before, 28, 100, 60, 40);
  await scores('B', START, 28, 104, 58, 38);
  // Outside both windows: must not count
  await scores('A', '2026-01-01T00:00:00Z', 20, 0, 0, 50);
  await scores('B', '2026-05-10T00:00:00Z', 20, 50, 0, 0);
});
afterAll(() => t.close());

describe('Initiative.effect', () => {
  it('difference in differences and its significance on a hand-built data set', async () => {
    const { createInitiative } = await t.ok(CREATE, { i: { title: 'Callback within a day', ownerId: id.pa, departmentId: id.A, startsAt: START, expectedEffect: 10 } }, opts);
    expect(createInitiative.windowDays).toBe(28);
    id.initA = createInitiative.id;
    const e = (await t.ok(EFFECT, { id: id.initA }, opts)).initiative.effect;
    expect(e).toMatchObject({
      windowDays: 28,
      beforeFrom: '2026-03-04T00:00:00.000Z',
      afterTo: '2026-04-29T00:00:00.000Z',
      scopeBefore: { responses: 200, nps: 30 },
      scopeAfter: { responses: 200, nps: 60 },
      outsideBefore: { responses: 200, nps: 30 },
      outsideAfter: { responses: 200, nps: 33 },
      scopeChange: { delta: 30, significant: true, verdict: 'SIGNIFICANT_UP' },
      outsideChange: { delta: 3, significant: false, verdict: 'NO_SIGNIFICANT_CHANGE' },
      significant: true,
      verdict: 'SIGNIFICANT_UP',
      expectedEffect: 10,
      lowSample: false,
      tooEarly: false,
    });
    // By hand (src/scoring/did.spec.ts): 27 plain, 26.6010 adjusted, SE 10.5669, z 2.5174, p 0.011823
    expect(e.effect).toBeCloseTo(27, 10);
    expect(e.adjustedEffect).toBeCloseTo(26.601, 3);
    expect(e.standardError).toBeCloseTo(10.5669, 3);
    expect(e.zScore).toBeCloseTo(2.5174, 3);
    expect(e.pValue).toBeCloseTo(0.011823, 4);
  });

  it('seen from the other side: B rose 3 while the rest rose 30, a significant negative difference', async () => {
    const { createInitiative } = await t.ok(CREATE, { i: { title: 'B plan', ownerId: id.pb, departmentId: id.B, startsAt: START } }, opts);
    id.initB = createInitiative.id;
    const e = (await t.ok(EFFECT, { id: id.initB }, opts)).initiative.effect;
    expect(e.scopeChange.delta).toBeCloseTo(3, 10);
    expect(e.effect).toBeCloseTo(-27, 10);
    expect(e.verdict).toBe('SIGNIFICANT_DOWN');
  });

  it('a shorter window counts fewer responses; too-early and low-sample flags', async () => {
    const e = (await t.ok(EFFECT, { id: id.initA, w: 2 }, opts)).initiative.effect;
    expect(e.windowDays).toBe(2);
    expect(e.scopeBefore.responses).toBeLessThan(30);
    expect(e.lowSample).toBe(true);
    const early = (await t.ok(EFFECT, { id: id.initA }, { now: () => new Date('2026-04-10T00:00:00Z') })).initiative.effect;
    expect(early.tooEarly).toBe(true);
    expect(codes(await t.exec(EFFECT, { id: id.initA, w: 0 }, opts))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('action items and progress', () => {
  const SET = `mutation($i: ID!, $a: [ID!]!, $l: Boolean) { setInitiativeActionItems(initiativeId: $i, actionItemIds: $a, linked: $l) { progress { actionItems done wontDo open percentClosed } actionItems { id } } }`;
  it('links items, reports progress, refuses an item of another initiative', async () => {
    const item = async (status: string, dept: string) => (await q(`INSERT INTO action_items (title, status, department_id) VALUES ('x', $1, $2) RETURNING id`, [status, id[dept]]))[0].id;
    const items = [await item('DONE', 'A'), await item('WONT_DO', 'A'), await item('OPEN', 'A1'), await item('IN_PROGRESS', 'A')];
    const d = await t.ok(SET, { i: id.initA, a: items }, opts);
    expect(d.setInitiativeActionItems.progress).toEqual({ actionItems: 4, done: 1, wontDo: 1, open: 2, percentClosed: 50 });
    expect(codes(await t.exec(SET, { i: id.initB, a: [items[0]] }, opts))).toEqual(['CONFLICT']);
    const un = await t.ok(SET, { i: id.initA, a: [items[3]], l: false }, opts);
    expect(un.setInitiativeActionItems.progress.actionItems).toBe(3);
    id.itemB = await item('OPEN', 'B');
  });
});

describe('roles', () => {
  it('a MANAGER key: its subtree only; the effect compares with the rest of its subtree', async () => {
    const mgr = { ...opts, viewer: viewers.manager(id.A) };
    const list = (await t.ok(`{ initiatives { id } }`, {}, mgr)).initiatives;
    expect(list.map((i: any) => i.id)).toEqual([id.initA]);
    expect(codes(await t.exec(EFFECT, { id: id.initB }, mgr))).toEqual(['FORBIDDEN']);
    // Its whole subtree is the scope: nothing outside to compare with
    const e = (await t.ok(EFFECT, { id: id.initA }, mgr)).initiative.effect;
    expect(e).toMatchObject({ outsideBefore: { responses: 0 }, verdict: 'NOT_COMPARABLE', effect: null });
    // creates for its subtree, with one of its people; not for B, not for a segment, not owned by Bob
    expect((await t.exec(CREATE, { i: { title: 'A1 plan', ownerId: id.pa, departmentId: id.A1, startsAt: START } }, mgr)).errors).toBeUndefined();
    expect(codes(await t.exec(CREATE, { i: { title: 'B?', ownerId: id.pa, departmentId: id.B, startsAt: START } }, mgr))).toEqual(['FORBIDDEN']);
    expect(codes(await t.exec(CREATE, { i: { title: 'Bob?', ownerId: id.pb, departmentId: id.A, startsAt: START } }, mgr))).toEqual(['FORBIDDEN']);
    const SET = `mutation($i: ID!, $a: [ID!]!) { setInitiativeActionItems(initiativeId: $i, actionItemIds: $a) { id } }`;
    expect(codes(await t.exec(SET, { i: id.initA, a: [id.itemB] }, mgr))).toEqual(['FORBIDDEN']);
  });

  it('INTEGRATION keys neither read nor write initiatives', async () => {
    const integ = { ...opts, viewer: viewers.integration };
    expect(codes(await t.exec(`{ initiatives { id } }`, {}, integ))).toEqual(['FORBIDDEN']);
    expect(codes(await t.exec(CREATE, { i: { title: 'x', ownerId: id.pa, departmentId: id.A, startsAt: START } }, integ))).toEqual(['FORBIDDEN']);
  });

  it('bad input changes nothing', async () => {
    const before = (await q(`SELECT count(*)::int AS n FROM initiatives`))[0].n;
    expect(codes(await t.exec(CREATE, { i: { title: ' ', ownerId: id.pa, departmentId: id.A, startsAt: START } }, opts))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.exec(CREATE, { i: { title: 'both', ownerId: id.pa, startsAt: START } }, opts))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.exec(CREATE, { i: { title: 'w', ownerId: id.pa, departmentId: id.A, startsAt: START, windowDays: 400 } }, opts))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.exec(CREATE, { i: { title: 'o', ownerId: id.survey, departmentId: id.A, startsAt: START } }, opts))).toEqual(['NOT_FOUND']);
    expect((await q(`SELECT count(*)::int AS n FROM initiatives`))[0].n).toBe(before);
  });
});
