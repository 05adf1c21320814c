import assert from 'node:assert';
import { codes, createTestApp, TestApp } from './support/test-app';
import { Role, SYSTEM_VIEWER, Viewer } from '../src/modules/auth/viewer';
import { compareRollups } from '../src/modules/reporting/facts/rollup-rebuild';
import { compareClosedLoopCounters } from '../src/modules/closed-loop/closed-loop-counters';
import { seededChoices } from './support/seeded-random';

/**
 * correctResponses and deleteResponses: per-row outcomes, versions, the history, follow-ups and
 * events; and every figure following them exactly. After each step the summary, trend, department,
 * segment and KPI figures are compared with a recount of a model of the rows kept in this file, and
 * the planner's answers (rollups) with the raw rows' answers; every pre-aggregate (the rollups, the
 * per-theme rollup, the closed-loop ledger and counters) must equal a recount.
 */

const { rnd, pick, chance } = seededChoices(20261202);
const NOW = new Date('2026-06-10T12:00:00Z');
const clock = () => NOW;
const viewer = (role: Role, departmentId: string | null = null): Viewer => ({ keyId: null, name: `${role.toLowerCase()}-key`, role, departmentId });
const INTEGRATION = viewer(Role.INTEGRATION);
const DEPTS = ['CX', 'CX-A', 'OPS'];
const CHANNELS = ['email', 'phone', 'web'];
const COMMENTS = ['Great price', 'The delivery was late and nobody answered the phone', 'Fine', null];

let t: TestApp;
const deptIds: Record<string, string> = {};
let segmentId: string;

interface ModelRow {
  externalRef: string;
  score: number;
  respondedAt: string;
  departmentCode: string | null;
  channel: string | null;
  comment: string | null;
}
const model = new Map<string, ModelRow>();

const SUBMIT = `mutation($rows: [ResponseInput!]!) { submitResponses(responses: $rows) { accepted rejected } }`;
const CORRECT = `mutation($c: [ResponseCorrectionInput!]!) { correctResponses(corrections: $c) {
  corrected unchanged rejected results { index status changedFields error { code field message currentVersion } response { id externalRef score version } } } }`;
const DELETE = `mutation($refs: [String!]!, $note: String) { deleteResponses(externalRefs: $refs, note: $note) { deleted notFound results { index externalRef status closedFollowUps } } }`;
const SCORE = 'responses promoters passives detractors nps';
const FIGURES = `query($seg: ID!, $f: ResponseFilter) {
  npsSummary(filter: $f) { ${SCORE} }
  npsTrend(interval: MONTH, filter: { from: "2025-12-01T00:00:00Z", to: "2026-07-01T00:00:00Z" }) { periodStart score { ${SCORE} } }
  departmentScores { department { code } score { ${SCORE} } }
  segment(id: $seg) { score { ${SCORE} } }
  kpiTargets { metric department { code } actual score { ${SCORE} } }
  closedLoop { actionItems closed detractors followedUp }
}`;

/** Counts of the model rows matching `keep`. */
function expectedCounts(keep: (r: ModelRow) => boolean) {
  const rows = [...model.values()].filter(keep);
  const promoters = rows.filter((r) => r.score >= 9).length;
  const detractors = rows.filter((r) => r.score <= 6).length;
  const responses = rows.length;
  return { responses, promoters, passives: responses - promoters - detractors, detractors, nps: responses ? (100 * (promoters - detractors)) / responses : null };
}
const SUBTREES: Record<string, string[]> = { CO: ['CO', 'CX', 'CX-A', 'OPS'], CX: ['CX', 'CX-A'], 'CX-A': ['CX-A'], OPS: ['OPS'] };
const inSubtree = (code: string | null, root: string) => code !== null && SUBTREES[root].includes(code);

async function figures(raw: boolean) {
  const ctx = t.ctx(SYSTEM_VIEWER, clock);
  ctx.rawFacts = raw;
  const res = await t.app.apollo.executeOperation({ query: FIGURES, variables: { seg: segmentId } }, { contextValue: ctx });
  assert(res.body.kind === 'single');
  expect(res.body.singleResult.errors).toBeUndefined();
  return res.body.singleResult.data as any;
}

/** Every figure equals the model's recount, the planner's answers equal the raw rows', and every pre-aggregate equals a recount. */
async function expectFiguresExact() {
  const planned = await figures(false);
  expect(planned).toEqual(await figures(true));
  const close = (got: any, want: ReturnType<typeof expectedCounts>) => {
    expect({ ...got, nps: null }).toEqual({ ...want, nps: null });
    if (want.nps === null) expect(got.nps).toBeNull();
    else expect(got.nps).toBeCloseTo(want.nps, 9);
  };
  close(planned.npsSummary, expectedCounts(() => true));
  for (const p of planned.npsTrend) {
    const start = Date.parse(p.periodStart);
    const end = new Date(start);
    end.setUTCMonth(end.getUTCMonth() + 1);
    close(p.score, expectedCounts((r) => Date.parse(r.respondedAt) >= start && Date.parse(r.respondedAt) < end.getTime()));
  }
  for (const d of planned.departmentScores) close(d.score, expectedCounts((r) => inSubtree(r.departmentCode, d.department.code)));
  close(planned.segment.score, expectedCounts((r) => r.channel === 'phone'));
  for (const k of planned.kpiTargets) close(k.score, expectedCounts((r) => (k.department ? inSubtree(r.departmentCode, k.department.code) : true)));
  expect(planned.closedLoop.detractors).toBe(expectedCounts(() => true).detractors);
  expect(await compareRollups(t.deps.ds)).toEqual([]);
  expect(await compareClosedLoopCounters(t.deps.ds)).toEqual([]);
  // The theme mentions' copies are exact too (compareRollups checks them) and follow the verbatims.
  const [{ stale }] = await t.deps.ds.query(
    `SELECT count(*)::int AS stale FROM responses r WHERE (r.comment ILIKE '%late%') <> EXISTS (
       SELECT 1 FROM response_themes rt JOIN themes th ON th.id = rt.theme_id WHERE rt.response_id = r.id AND th.code = 'delivery')`,
  );
  expect(stale).toBe(0);
}

const one = async (sql: string, params: unknown[] = []) => (await t.deps.ds.query(sql, params))[0];
const version = async (ref: string): Promise<number> => (await one('SELECT version FROM responses WHERE external_ref = $1', [ref])).version;
const correct = async (c: unknown[], v: Viewer = INTEGRATION) => (await t.ok(CORRECT, { c }, { viewer: v, now: clock })).correctResponses;

beforeAll(async () => {
  t = await createTestApp();
  const dept = `mutation($input: DepartmentInput!) { upsertDepartment(input: $input) { id } }`;
  for (const [code, parent] of [['CO', null], ['CX', 'CO'], ['CX-A', 'CX'], ['OPS', 'CO']] as const) {
    deptIds[code] = (await t.ok(dept, { input: { code, name: code, parentCode: parent } })).upsertDepartment.id;
  }
  await t.ok(`mutation { upsertPerson(input: { email: "owner@example.com", name: "Owner", departmentCode: "CX" }) { id } }`);
  await t.ok(`mutation { upsertPerson(input: { email: "agent@example.com", name: "Agent", departmentCode: "CX-A" }) { id } }`);
  await t.ok(`mutation($input: SurveyInput!) { upsertSurvey(input: $input) { id } }`, {
    input: { code: 'TX', name: 'Support call', kind: 'TRANSACTIONAL', autoFollowUp: true },
  });
  segmentId = (await t.ok(`mutation { createSegment(input: { name: "Phone", filter: { channels: ["phone"] } }) { id } }`)).createSegment.id;
  const target = `mutation($input: CreateKpiTargetInput!) { createKpiTarget(input: $input) { id } }`;
  for (const code of [null, 'CX', 'OPS']) {
    await t.ok(target, { input: { ownerEmail: 'owner@example.com', metric: 'NPS', target: 20, periodStart: '2025-01-01T00:00:00Z', periodEnd: '2027-01-01T00:00:00Z', departmentCode: code } });
  }
  const rows = Array.from({ length: 240 }, (_, n) => {
    const r: ModelRow = {
      externalRef: `cr-${n}`,
      score: Math.floor(rnd() * 11),
      respondedAt: new Date(Date.parse('2026-01-01T00:00:00Z') + Math.floor(rnd() * 150 * 86_400_000)).toISOString(),
      departmentCode: chance(0.9) ? pick(DEPTS) : null,
      channel: chance(0.9) ? pick(CHANNELS) : null,
      comment: pick(COMMENTS),
    };
    model.set(r.externalRef, r);
    return { ...r, surveyCode: 'TX' };
  });
  const p = (await t.ok(SUBMIT, { rows }, { viewer: INTEGRATION, now: clock })).submitResponses;
  expect(p).toEqual({ accepted: 240, rejected: 0 });
  // Some follow-ups acted on, some closed: the closed-loop counters have first actions and closes to keep.
  const items: { id: string; external: string }[] = await t.deps.ds.query(
    `SELECT a.id, r.external_ref AS external FROM action_items a JOIN responses r ON r.id = a.response_id ORDER BY r.external_ref`,
  );
  expect(items.length).toBeGreaterThan(40);
  const update = `mutation($input: UpdateActionItemInput!) { updateActionItem(input: $input) { id } }`;
  for (const [i, item] of items.entries()) {
    if (i % 3 === 1) await t.ok(update, { input: { id: item.id, status: 'IN_PROGRESS' } }, { now: () => new Date(NOW.getTime() + 3_600_000) });
    if (i % 3 === 2) await t.ok(update, { input: { id: item.id, status: 'DONE' } }, { now: () => new Date(NOW.getTime() + 7_200_000) });
  }
  await expectFiguresExact();
}, 300_000);
afterAll(() => t?.close());

describe('correctResponses', () => {
  it('changes every correctable field, bumps the version, keeps the history, and every figure and pre-aggregate follows', async () => {
    const refs = [...model.keys()].slice(0, 60);
    const corrections = [];
    for (const ref of refs) {
      const m = model.get(ref)!;
      const c: Record<string, unknown> = { externalRef: ref, expectedVersion: 1 };
      c.score = 10 - m.score;
      if (chance(0.5)) c.respondedAt = new Date(Date.parse(m.respondedAt) - 20 * 86_400_000 + 61_000).toISOString();
      if (chance(0.4)) c.departmentCode = pick([...DEPTS, null]);
      if (chance(0.4)) c.channel = pick([...CHANNELS, null]);
      if (chance(0.5)) c.comment = pick(COMMENTS);
      if (chance(0.2)) c.agentEmail = 'Agent@Example.com';
      corrections.push(c);
    }
    const p = await correct(corrections);
    expect(p.results.filter((r: any) => r.error)).toEqual([]);
    expect(p.corrected + p.unchanged).toBe(60);
    for (const c of corrections) {
      const m = model.get(c.externalRef as string)!;
      Object.assign(m, {
        score: c.score,
        ...(c.respondedAt ? { respondedAt: c.respondedAt } : {}),
        ...('departmentCode' in c ? { departmentCode: c.departmentCode } : {}),
        ...('channel' in c ? { channel: c.channel } : {}),
        ...('comment' in c ? { comment: c.comment } : {}),
      });
    }
    const first = p.results[0];
    expect(first).toMatchObject({ status: 'CORRECTED', error: null, response: { externalRef: refs[0], version: 2, score: corrections[0].score } });
    expect(first.changedFields[0]).toBe('score');
    await expectFiguresExact();

    const { response } = await t.ok(`query($id: ID!) { response(id: $id) { version history { version actor note at changes { field from to } } } }`, { id: first.response.id });
    expect(response.version).toBe(2);
    expect(response.history).toHaveLength(1);
    expect(response.history[0]).toMatchObject({ version: 2, actor: 'integration-key', note: null, at: NOW.toISOString() });
    expect(response.history[0].changes[0]).toEqual({ field: 'score', from: 10 - (corrections[0].score as number), to: corrections[0].score });
  });

  it('answers CONFLICT with the current version for a stale expectedVersion, UNCHANGED for a retry, and per-row errors', async () => {
    const ref = 'cr-100';
    const before = await version(ref);
    const m = model.get(ref)!;
    const p = await correct([
      { externalRef: ref, expectedVersion: before, score: m.score === 3 ? 4 : 3, note: 'Mistyped by the agent' },
      { externalRef: 'cr-101', expectedVersion: 7, score: 1 },
      { externalRef: 'nope', expectedVersion: 1, score: 1 },
      { externalRef: 'cr-102', expectedVersion: 1, score: 11 },
      { externalRef: 'cr-103', expectedVersion: 1, departmentCode: 'NOPE' },
      { externalRef: 'cr-104', expectedVersion: 1, agentEmail: 'ghost@example.com' },
      { externalRef: 'cr-105', expectedVersion: 1, respondedAt: '2026-07-01T00:00:00Z' },
      { externalRef: ref, expectedVersion: before, comment: 'twice' },
      { externalRef: 'cr-106', expectedVersion: 1, score: model.get('cr-106')!.score, comment: model.get('cr-106')!.comment },
    ]);
    m.score = m.score === 3 ? 4 : 3;
    expect(p.results.map((r: any) => [r.status, r.error?.code ?? null, r.error?.field ?? null])).toEqual([
      ['CORRECTED', null, null],
      ['REJECTED', 'CONFLICT', 'expectedVersion'],
      ['REJECTED', 'NOT_FOUND', 'externalRef'],
      ['REJECTED', 'BAD_USER_INPUT', 'score'],
      ['REJECTED', 'NOT_FOUND', 'departmentCode'],
      ['REJECTED', 'NOT_FOUND', 'agentEmail'],
      ['REJECTED', 'BAD_USER_INPUT', 'respondedAt'],
      ['REJECTED', 'BAD_USER_INPUT', 'externalRef'],
      ['UNCHANGED', null, null],
    ]);
    expect(p.results[1].error.currentVersion).toBe(1);
    expect(p.results[1].response).toMatchObject({ externalRef: 'cr-101', version: 1 });
    expect(await version(ref)).toBe(before + 1);
    // The same correction sent again (a retry whose answer was lost): UNCHANGED, whatever the version says.
    const again = await correct([{ externalRef: ref, expectedVersion: before, score: m.score }]);
    expect(again.results[0]).toMatchObject({ status: 'UNCHANGED', error: null, changedFields: [] });
    expect(await version(ref)).toBe(before + 1);
    const [{ note }] = await t.deps.ds.query(`SELECT note FROM response_history h JOIN responses r ON r.id = h.response_id WHERE r.external_ref = $1 ORDER BY h.version DESC LIMIT 1`, [ref]);
    expect(note).toBe('Mistyped by the agent');
    await expectFiguresExact();
  });

  it('opens the automatic follow-up of a correction that makes a detractor, leaves the items of one that stops being one, and sends events', async () => {
    const promoter = { ...[...model.values()].find((r) => r.score >= 9 && !r.externalRef.match(/^cr-(\d|[1-5]\d)$/))! };
    const detractorRow = await one(
      `SELECT r.external_ref, r.version, a.id AS item, a.status FROM responses r JOIN action_items a ON a.response_id = r.id AND a.auto_created ORDER BY r.external_ref LIMIT 1`,
    );
    const itemBefore = await one('SELECT * FROM action_items WHERE id = $1', [detractorRow.item]);
    const seq = (await one('SELECT coalesce(max(seq), 0) AS s FROM outbox_events')).s;
    const p = await correct([
      { externalRef: promoter.externalRef, expectedVersion: await version(promoter.externalRef), score: 2 },
      { externalRef: detractorRow.external_ref, expectedVersion: detractorRow.version, score: 10 },
    ]);
    expect(p.corrected).toBe(2);
    model.get(promoter.externalRef)!.score = 2;
    model.get(detractorRow.external_ref)!.score = 10;
    const opened = await t.deps.ds.query(
      `SELECT a.status, a.auto_created FROM action_items a JOIN responses r ON r.id = a.response_id WHERE r.external_ref = $1`,
      [promoter.externalRef],
    );
    expect(opened).toEqual([{ status: 'OPEN', auto_created: true }]);
    expect(await one('SELECT * FROM action_items WHERE id = $1', [detractorRow.item])).toEqual(itemBefore);
    const events = await t.deps.ds.query(`SELECT type, payload FROM outbox_events WHERE seq > $1 ORDER BY seq`, [seq]);
    expect(events.map((e: any) => e.type).sort()).toEqual(['action_item.created', 'response.corrected', 'response.corrected', 'response.detractor'].sort());
    const corrected = events.find((e: any) => e.type === 'response.corrected' && e.payload.externalRef === promoter.externalRef).payload;
    expect(corrected).toMatchObject({ externalRef: promoter.externalRef, score: 2, category: 'DETRACTOR', surveyCode: 'TX', version: 2, actor: 'integration-key' });
    expect(corrected.changes).toEqual([{ field: 'score', from: promoter.score, to: 2 }]);
    const types = (await t.ok(`{ webhookEventTypes }`)).webhookEventTypes;
    expect(types).toEqual(expect.arrayContaining(['response.corrected', 'response.deleted']));
    await expectFiguresExact();
  });

  it('is refused to EXECUTIVE and MANAGER keys, and changes nothing then', async () => {
    for (const v of [viewer(Role.EXECUTIVE), viewer(Role.MANAGER, deptIds.CX)]) {
      const res = await t.exec(CORRECT, { c: [{ externalRef: 'cr-150', expectedVersion: 1, score: 0 }] }, { viewer: v, now: clock });
      expect(codes(res)).toEqual(['FORBIDDEN']);
      expect(codes(await t.exec(DELETE, { refs: ['cr-150'] }, { viewer: v, now: clock }))).toEqual(['FORBIDDEN']);
    }
    expect(await version('cr-150')).toBe(1);
  });
});

describe('deleteResponses', () => {
  it('removes responses from every figure, closes their OPEN automatic follow-ups as WONT_DO with a note, keeps other items, and is safe to retry', async () => {
    const withItems: { external_ref: string; status: string; id: string }[] = await t.deps.ds.query(
      `SELECT r.external_ref, a.status, a.id FROM responses r JOIN action_items a ON a.response_id = r.id AND a.auto_created ORDER BY r.external_ref`,
    );
    const open = withItems.filter((i) => i.status === 'OPEN').slice(0, 5);
    const other = withItems.filter((i) => i.status !== 'OPEN').slice(0, 3);
    const plain = [...model.keys()].filter((r) => !withItems.some((i) => i.external_ref === r)).slice(0, 20);
    const refs = [...open.map((i) => i.external_ref), ...other.map((i) => i.external_ref), ...plain, 'never-stored'];
    const seq = (await one('SELECT coalesce(max(seq), 0) AS s FROM outbox_events')).s;
    const p = (await t.ok(DELETE, { refs, note: 'GDPR duplicate import' }, { viewer: INTEGRATION, now: clock })).deleteResponses;
    expect(p).toMatchObject({ deleted: refs.length - 1, notFound: 1 });
    expect(p.results.slice(0, 5).map((r: any) => r.closedFollowUps)).toEqual([1, 1, 1, 1, 1]);
    expect(p.results[refs.length - 1]).toMatchObject({ externalRef: 'never-stored', status: 'NOT_FOUND', closedFollowUps: 0 });
    for (const r of refs) model.delete(r);

    for (const i of open) {
      const item = await one('SELECT status, response_id, closed_at FROM action_items WHERE id = $1', [i.id]);
      expect(item).toMatchObject({ status: 'WONT_DO', response_id: null });
      const event = await one(`SELECT field, from_value, to_value, note, actor FROM action_item_events WHERE action_item_id = $1 AND field = 'status' AND to_value = 'WONT_DO'`, [i.id]);
      expect(event).toEqual({ field: 'status', from_value: 'OPEN', to_value: 'WONT_DO', note: `Closed automatically: response "${i.external_ref}" was deleted (by integration-key): GDPR duplicate import`, actor: 'integration-key' });
    }
    for (const i of other) expect(await one('SELECT status, response_id FROM action_items WHERE id = $1', [i.id])).toEqual({ status: i.status, response_id: null });
    const events = await t.deps.ds.query(`SELECT type, payload FROM outbox_events WHERE seq > $1 ORDER BY seq`, [seq]);
    expect(events.filter((e: any) => e.type === 'response.deleted')).toHaveLength(refs.length - 1);
    expect(events.filter((e: any) => e.type === 'action_item.changed')).toHaveLength(5);
    expect(events.find((e: any) => e.type === 'response.deleted').payload).toMatchObject({ surveyCode: 'TX', actor: 'integration-key', note: 'GDPR duplicate import' });
    expect((await one(`SELECT count(*)::int AS n FROM responses WHERE external_ref = ANY($1)`, [refs])).n).toBe(0);
    await expectFiguresExact();

    const retry = (await t.ok(DELETE, { refs }, { viewer: INTEGRATION, now: clock })).deleteResponses;
    expect(retry).toMatchObject({ deleted: 0, notFound: refs.length });
    // A re-send of a deleted response stores it again, as new.
    const back = (await t.ok(SUBMIT, { rows: [{ externalRef: plain[0], surveyCode: 'TX', score: 8, respondedAt: '2026-02-02T00:00:00Z' }] }, { viewer: INTEGRATION, now: clock })).submitResponses;
    expect(back.accepted).toBe(1);
    model.set(plain[0], { externalRef: plain[0], score: 8, respondedAt: '2026-02-02T00:00:00.000Z', departmentCode: null, channel: null, comment: null });
    await expectFiguresExact();
  });
});
