import { codes, createTestApp, GqlResult, TestApp, viewers } from './support/test-app';
import type { Viewer } from '../src/modules/auth/viewer';
import { TrendInterval } from '../src/modules/reporting/reporting.types';
import { insertKpiTree, insertPerson } from './support/org-fixture';

/**
 * scorecard, asOf on KPI figures, and KpiTarget.history on a hand-built fixture; every expected
 * figure below is worked out by hand from this table.
 *
 *   CO ─┬─ SUP ── SUP-EU
 *       └─ SALES
 *   Chain: Cora Ceo (CO) ─┬─ Vera VP (SUP) ─┬─ Lena Lead (SUP-EU)      level 0, 1, 2
 *                         │                 └─ Nina New (SUP), no targets
 *                         └─ Sam Sales (SALES)
 *   Otto Outsider (CO) manages nobody and reports to nobody.
 *   Segment "EU": customers in region EU (no response has a customer: it matches nothing).
 *
 *   Responses (Q1 2026 = [2026-01-01, 2026-04-01); now = 2026-03-10T00:00Z, 68 of 90 days):
 *   SUP-EU : 10, 9, 9 (01-10)   3, 2 (02-10)   0 (02-20)   10 (03-05)      and 0 on 2025-12-31 (before Q1)
 *   SUP    : 9, 7 (01-20)       4 (02-05)
 *   SALES  : 10, 9, 8 (01-05)   0 (exactly 2026-02-01T00:00Z)   9 (02-15)
 *
 *   Q1 targets:  T1 Cora  NPS 30, whole organisation     T2 Vera NPS 0, SUP     T3 Vera RESPONSE_COUNT 15, SUP
 *                T4 Lena  PROMOTER_SHARE 50, SUP-EU      T5 Lena DETRACTOR_SHARE 20, SUP-EU
 *                T9 Lena  NPS 10, SUP-EU x segment EU    T6 Sam  NPS 50, SALES
 *   Not in Cora's Q1 scorecard: Lena's Q2 NPS (not active), Otto's targets (not in the chain).
 */
let t: TestApp;
const ids: Record<string, string> = {};
const NOW = new Date('2026-03-10T00:00:00.000Z');
const now = () => NOW;
const AS_OF = '2026-02-01T00:00:00.000Z'; // 31 of 90 days
const Q1 = { periodStart: '2026-01-01T00:00:00.000Z', periodEnd: '2026-04-01T00:00:00.000Z' };
const Q2 = { periodStart: '2026-04-01T00:00:00.000Z', periodEnd: '2026-07-01T00:00:00.000Z' };
const Q4_2025 = { periodStart: '2025-10-01T00:00:00.000Z', periodEnd: '2026-01-01T00:00:00.000Z' };
const sql = (query: string, params: unknown[] = []) => t.deps.ds.query(query, params);

const COUNTS = 'total onTrack atRisk offTrack noData';
const counts = (total: number, onTrack: number, atRisk: number, offTrack: number, noData: number) => ({ total, onTrack, atRisk, offTrack, noData });
const SCORECARD = `query($o: ID!, $asOf: DateTimeISO, $activeAt: DateTimeISO) { scorecard(ownerId: $o, asOf: $asOf, activeAt: $activeAt) {
  owner { name } asOf activeAt counts { ${COUNTS} }
  levels { level people counts { ${COUNTS} } }
  people { person { name } level counts { ${COUNTS} } targets { id metric actual status } }
  targets { id } } }`;
const scorecard = async (vars: Record<string, unknown>, viewer?: Viewer) => (await t.ok(SCORECARD, { o: ids.ceo, ...vars }, { now, viewer })).scorecard;
/** [name, level, [metric, status]...] per person. */
const rows = (card: any) => card.people.map((p: any) => [p.person.name, p.level, p.targets.map((k: any) => `${k.metric} ${k.status}`)]);
const fieldOf = (res: GqlResult) => res.errors?.map((e) => [e.extensions?.code, e.extensions?.field]);

beforeAll(async () => {
  t = await createTestApp();
  await insertKpiTree(sql, ids);
  const person = (key: string, name: string, deptCode: string, manager: string | null = null) => insertPerson(sql, ids, key, name, deptCode, manager);
  await person('ceo', 'Cora Ceo', 'CO', null);
  await person('vp', 'Vera VP', 'SUP', 'ceo');
  await person('sales', 'Sam Sales', 'SALES', 'ceo');
  await person('lead', 'Lena Lead', 'SUP-EU', 'vp');
  await person('nina', 'Nina New', 'SUP', 'vp');
  await person('otto', 'Otto Outsider', 'CO', null);
  const [survey] = await sql(`INSERT INTO surveys (code, name, kind) VALUES ('REL', 'Relationship', 'RELATIONSHIP') RETURNING id`);
  const [segment] = await sql(`INSERT INTO segments (name, filter) VALUES ('EU', '{"regions": ["EU"]}') RETURNING id`);
  ids.segEU = segment.id;
  let n = 0;
  const respond = async (deptCode: string, at: string, ...scores: number[]) => {
    for (const score of scores) {
      await sql('INSERT INTO responses (external_ref, score, survey_id, department_id, responded_at) VALUES ($1, $2, $3, $4, $5)', [`r${++n}`, score, survey.id, ids[deptCode], at]);
    }
  };
  await respond('SUP-EU', '2026-01-10T10:00:00.000Z', 10, 9, 9);
  await respond('SUP-EU', '2026-02-10T10:00:00.000Z', 3, 2);
  await respond('SUP-EU', '2026-02-20T10:00:00.000Z', 0);
  await respond('SUP-EU', '2026-03-05T10:00:00.000Z', 10);
  await respond('SUP-EU', '2025-12-31T23:00:00.000Z', 0);
  await respond('SUP', '2026-01-20T10:00:00.000Z', 9, 7);
  await respond('SUP', '2026-02-05T10:00:00.000Z', 4);
  await respond('SALES', '2026-01-05T10:00:00.000Z', 10, 9, 8);
  await respond('SALES', AS_OF, 0);
  await respond('SALES', '2026-02-15T10:00:00.000Z', 9);

  const mk = async (key: string, owner: string, input: Record<string, unknown>) => {
    const data = await t.ok(`mutation($input: CreateKpiTargetInput!) { createKpiTarget(input: $input) { id } }`, { input: { ownerId: ids[owner], ...Q1, ...input } });
    ids[key] = data.createKpiTarget.id;
  };
  await mk('T1', 'ceo', { metric: 'NPS', target: 30 });
  await mk('T2', 'vp', { metric: 'NPS', target: 0, departmentCode: 'SUP' });
  await mk('T3', 'vp', { metric: 'RESPONSE_COUNT', target: 15, departmentCode: 'SUP' });
  await mk('T4', 'lead', { metric: 'PROMOTER_SHARE', target: 50, departmentCode: 'SUP-EU' });
  await mk('T5', 'lead', { metric: 'DETRACTOR_SHARE', target: 20, departmentCode: 'SUP-EU' });
  await mk('T9', 'lead', { metric: 'NPS', target: 10, departmentCode: 'SUP-EU', segmentId: ids.segEU });
  await mk('T6', 'sales', { metric: 'NPS', target: 50, departmentCode: 'SALES' });
  await mk('leadQ2', 'lead', { metric: 'NPS', target: 10, departmentCode: 'SUP-EU', ...Q2 });
  await mk('ottoNps', 'otto', { metric: 'NPS', target: 0 });
  await mk('ottoRate', 'otto', { metric: 'FOLLOW_UP_RATE', target: 50 });
  await mk('ottoLong', 'otto', { metric: 'NPS', target: 0, periodStart: '2020-01-01T00:00:00.000Z', periodEnd: '2026-01-01T00:00:00.000Z' });
});
afterAll(() => t.close());

describe('scorecard on a three-level chain', () => {
  it('live: counts per person, per level and in all, every status present', async () => {
    // T1: all 15 Q1 responses, P 8, D 5: NPS 20, 10 short of 30 but within its margin (±40.7): AT_RISK.
    // T2: SUP subtree n 10, P 5, D 4: NPS 10 >= 0: ON_TRACK.  T3: 10 responses against 15 x 68/90 = 11.33 on pace,
    // short by 1.33 > tolerance 1.5 x 68/90 = 1.13: OFF_TRACK.  T4: SUP-EU promoters 4 of 7 = 57.1% >= 50: ON_TRACK.
    // T5: detractors 3 of 7 = 42.9% against at most 20: OFF_TRACK.  T9: no response in the segment: NO_DATA.
    // T6: SALES n 5, P 3, D 1: NPS 40, 10 short of 50, within its margin (±54.8): AT_RISK.
    const card = await scorecard({});
    expect(card).toMatchObject({ owner: { name: 'Cora Ceo' }, asOf: NOW.toISOString(), activeAt: NOW.toISOString() });
    expect(rows(card)).toEqual([
      ['Cora Ceo', 0, ['NPS AT_RISK']],
      ['Sam Sales', 1, ['NPS AT_RISK']],
      ['Vera VP', 1, ['NPS ON_TRACK', 'RESPONSE_COUNT OFF_TRACK']],
      ['Lena Lead', 2, ['DETRACTOR_SHARE OFF_TRACK', 'NPS NO_DATA', 'PROMOTER_SHARE ON_TRACK']],
      ['Nina New', 2, []],
    ]);
    expect(card.people.map((p: any) => p.counts)).toEqual([
      counts(1, 0, 1, 0, 0),
      counts(1, 0, 1, 0, 0),
      counts(2, 1, 0, 1, 0),
      counts(3, 1, 0, 1, 1),
      counts(0, 0, 0, 0, 0),
    ]);
    expect(card.levels).toEqual([
      { level: 0, people: 1, counts: counts(1, 0, 1, 0, 0) },
      { level: 1, people: 2, counts: counts(3, 1, 1, 1, 0) },
      { level: 2, people: 2, counts: counts(3, 1, 0, 1, 1) },
    ]);
    expect(card.counts).toEqual(counts(7, 2, 2, 2, 1));
    const actual = Object.fromEntries(card.people.flatMap((p: any) => p.targets.map((k: any) => [k.id, k.actual])));
    expect(actual[ids.T1]).toBe(20);
    expect(actual[ids.T6]).toBe(40);
    expect(actual[ids.T3]).toBe(10);
    // Otto's targets and Lena's Q2 target are not in it.
    expect(card.targets.map((k: any) => k.id).sort()).toEqual(['T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T9'].map((k) => ids[k]).sort());
  });

  it('as of a past instant: only responses given before it count, progress and pace judged then', async () => {
    // Before 2026-02-01T00:00Z (SALES' 0 given exactly then does not count): SUP-EU 10, 9, 9; SUP 9, 7; SALES 10, 9, 8.
    // T1: n 8, P 6, D 0: NPS 75: ON_TRACK.  T2: SUP n 5, P 4: NPS 80: ON_TRACK.  T3: 5 against 15 x 31/90 = 5.17,
    // short by 0.17 <= 1.5 x 31/90 = 0.52: AT_RISK.  T4: 3 of 3 promoters: ON_TRACK.  T5: no detractor (0% <= 20): ON_TRACK.
    // T6: SALES n 3, P 2, D 0: NPS 66.7: ON_TRACK.  T9: NO_DATA.
    const card = await scorecard({ asOf: AS_OF });
    expect(card).toMatchObject({ asOf: AS_OF, activeAt: AS_OF });
    expect(rows(card)).toEqual([
      ['Cora Ceo', 0, ['NPS ON_TRACK']],
      ['Sam Sales', 1, ['NPS ON_TRACK']],
      ['Vera VP', 1, ['NPS ON_TRACK', 'RESPONSE_COUNT AT_RISK']],
      ['Lena Lead', 2, ['DETRACTOR_SHARE ON_TRACK', 'NPS NO_DATA', 'PROMOTER_SHARE ON_TRACK']],
      ['Nina New', 2, []],
    ]);
    expect(card.levels).toEqual([
      { level: 0, people: 1, counts: counts(1, 1, 0, 0, 0) },
      { level: 1, people: 2, counts: counts(3, 2, 1, 0, 0) },
      { level: 2, people: 2, counts: counts(3, 2, 0, 0, 1) },
    ]);
    expect(card.counts).toEqual(counts(7, 5, 1, 0, 1));
  });

  it('asOf on kpiTargets and kpiTarget: the same figures, and the target fields say when they stand', async () => {
    const Q = `query($o: ID, $asOf: DateTimeISO) { kpiTargets(ownerId: $o, includeReports: true, activeAt: $asOf, asOf: $asOf) {
      id actual gap status progress asOf score { responses } } }`;
    const list = (await t.ok(Q, { o: ids.ceo, asOf: AS_OF }, { now })).kpiTargets;
    const by = Object.fromEntries(list.map((k: any) => [k.id, k]));
    expect(by[ids.T1]).toMatchObject({ actual: 75, gap: 45, status: 'ON_TRACK', asOf: AS_OF, score: { responses: 8 } });
    expect(by[ids.T6]).toMatchObject({ actual: 200 / 3, status: 'ON_TRACK', score: { responses: 3 } });
    expect(by[ids.T3]).toMatchObject({ actual: 5, gap: -10, status: 'AT_RISK', progress: 31 / 90 });
    // The same targets live: the later responses count, and the status moved.
    const live = Object.fromEntries((await t.ok(Q, { o: ids.ceo, asOf: null }, { now })).kpiTargets.map((k: any) => [k.id, k]));
    expect(live[ids.T1]).toMatchObject({ actual: 20, status: 'AT_RISK', asOf: NOW.toISOString(), score: { responses: 15 } });
    expect(live[ids.T3]).toMatchObject({ actual: 10, status: 'OFF_TRACK', progress: 68 / 90 });
    // One target, as of mid-February: 8 SUP responses (SUP-EU 3 + 2, SUP 2 + 1) against 15 x 45/90 = 7.5: ON_TRACK.
    const one = (await t.ok(`query($id: ID!) { kpiTarget(id: $id, asOf: "2026-02-15T00:00:00Z") { actual gap status progress asOf } }`, { id: ids.T3 }, { now })).kpiTarget;
    expect(one).toEqual({ actual: 8, gap: -7, status: 'ON_TRACK', progress: 0.5, asOf: '2026-02-15T00:00:00.000Z' });
    // Person.targets takes asOf too.
    const lena = (await t.ok(`query($id: ID!) { person(id: $id) { targets(activeAt: "${AS_OF}", asOf: "${AS_OF}") { metric actual status } } }`, { id: ids.lead }, { now })).person;
    expect(lena.targets).toEqual([
      { metric: 'DETRACTOR_SHARE', actual: 0, status: 'ON_TRACK' },
      { metric: 'NPS', actual: null, status: 'NO_DATA' },
      { metric: 'PROMOTER_SHARE', actual: 100, status: 'ON_TRACK' },
    ]);
  });

  it('activeAt picks the targets, asOf the instant: how Q4 2025 ended, and a period not begun yet', async () => {
    expect((await scorecard({ activeAt: Q4_2025.periodStart })).targets).toEqual([]);
    // As of 1 January, Lena's Q2 target (active at 1 May) has counted nothing: NO_DATA.
    const q2 = await scorecard({ asOf: '2026-01-01T00:00:00Z', activeAt: '2026-05-01T00:00:00Z' });
    expect(rows(q2).filter((r: any) => r[2].length)).toEqual([['Lena Lead', 2, ['NPS NO_DATA']]]);
  });

  it('a MANAGER sees only the targets of its subtree, and every count is over those', async () => {
    // SUP: T2, T3 (SUP), T4, T5, T9 (SUP-EU); not T1 (organisation-wide) nor T6 (SALES). Cora and Sam are
    // outside SUP and own none of these: not listed.
    const card = await scorecard({}, viewers.manager(ids.SUP));
    expect(rows(card)).toEqual([
      ['Vera VP', 1, ['NPS ON_TRACK', 'RESPONSE_COUNT OFF_TRACK']],
      ['Lena Lead', 2, ['DETRACTOR_SHARE OFF_TRACK', 'NPS NO_DATA', 'PROMOTER_SHARE ON_TRACK']],
      ['Nina New', 2, []],
    ]);
    expect(card.levels).toEqual([
      { level: 1, people: 1, counts: counts(2, 1, 0, 1, 0) },
      { level: 2, people: 2, counts: counts(3, 1, 0, 1, 1) },
    ]);
    expect(card.counts).toEqual(counts(5, 2, 0, 2, 1));
    expect(card.targets.map((k: any) => k.id)).not.toEqual(expect.arrayContaining([ids.T1]));
    expect(card.targets.map((k: any) => k.id)).not.toEqual(expect.arrayContaining([ids.T6]));
    // SALES' manager: Sam's target only.
    const sales = await scorecard({}, viewers.manager(ids.SALES));
    expect(rows(sales)).toEqual([['Sam Sales', 1, ['NPS AT_RISK']]]);
    expect(sales.counts).toEqual(counts(1, 0, 1, 0, 0));
    expect(sales.levels).toEqual([{ level: 1, people: 1, counts: counts(1, 0, 1, 0, 0) }]);
  });

  it('INTEGRATION keys are refused; nothing else is computed', async () => {
    const res = await t.exec(SCORECARD, { o: ids.ceo }, { now, viewer: viewers.integration });
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(res.data).toBeNull();
  });

  it('bad input: ids, unknown owner, an asOf in the future (5 minutes of clock skew read as now)', async () => {
    expect(fieldOf(await t.exec(SCORECARD, { o: 'nope' }, { now }))).toEqual([['BAD_USER_INPUT', 'ownerId']]);
    expect(fieldOf(await t.exec(SCORECARD, { o: '00000000-0000-4000-8000-000000000000' }, { now }))).toEqual([['NOT_FOUND', 'ownerId']]);
    const tomorrow = '2026-03-11T00:00:00Z';
    expect(fieldOf(await t.exec(SCORECARD, { o: ids.ceo, asOf: tomorrow }, { now }))).toEqual([['BAD_USER_INPUT', 'asOf']]);
    expect(fieldOf(await t.exec(`query($a: DateTimeISO) { kpiTargets(asOf: $a) { id } }`, { a: tomorrow }, { now }))).toEqual([['BAD_USER_INPUT', 'asOf']]);
    expect(fieldOf(await t.exec(`query($id: ID!, $a: DateTimeISO) { kpiTarget(id: $id, asOf: $a) { id } }`, { id: ids.T1, a: tomorrow }, { now }))).toEqual([
      ['BAD_USER_INPUT', 'asOf'],
    ]);
    const person = await t.exec(`query($id: ID!, $a: DateTimeISO) { person(id: $id) { targets(asOf: $a) { id } } }`, { id: ids.lead, a: tomorrow }, { now });
    expect(fieldOf(person)).toEqual([['BAD_USER_INPUT', 'asOf']]);
    // Two minutes ahead of the server: read as now, the live figures.
    const skewed = await scorecard({ asOf: '2026-03-10T00:02:00Z' });
    expect(skewed.asOf).toBe(NOW.toISOString());
    expect(skewed.counts).toEqual(counts(7, 2, 2, 2, 1));
  });
});

describe('KpiTarget.history', () => {
  const HISTORY = `query($id: ID!, $asOf: DateTimeISO, $i: TrendInterval!, $tz: String) { kpiTarget(id: $id, asOf: $asOf) {
    actual gap status history(interval: $i, timeZone: $tz) { bucketStart bucketEnd at complete progress actual gap status score { responses } } } }`;
  const history = async (key: string, vars: Record<string, unknown>) => (await t.ok(HISTORY, { id: ids[key], ...vars }, { now })).kpiTarget;

  it('monthly: the actual to date and the status at each bucket end; the running bucket ends now', async () => {
    // T3 (SUP responses, target 15): by 1 Feb 5 (pace 15 x 31/90 = 5.17, AT_RISK), by 1 Mar 9 (pace 9.83,
    // short 0.83 <= 1.5 x 59/90 = 0.98: AT_RISK), by now 10 (OFF_TRACK, as the target itself says).
    const k = await history('T3', { i: 'MONTH' });
    expect(k.history).toEqual([
      { bucketStart: '2026-01-01T00:00:00.000Z', bucketEnd: '2026-02-01T00:00:00.000Z', at: '2026-02-01T00:00:00.000Z', complete: true, progress: 31 / 90, actual: 5, gap: -10, status: 'AT_RISK', score: { responses: 5 } },
      { bucketStart: '2026-02-01T00:00:00.000Z', bucketEnd: '2026-03-01T00:00:00.000Z', at: '2026-03-01T00:00:00.000Z', complete: true, progress: 59 / 90, actual: 9, gap: -6, status: 'AT_RISK', score: { responses: 9 } },
      { bucketStart: '2026-03-01T00:00:00.000Z', bucketEnd: '2026-04-01T00:00:00.000Z', at: NOW.toISOString(), complete: false, progress: 68 / 90, actual: 10, gap: -5, status: 'OFF_TRACK', score: { responses: 10 } },
    ]);
    const last = k.history[k.history.length - 1];
    expect([last.actual, last.gap, last.status]).toEqual([k.actual, k.gap, k.status]);
  });

  it('weekly (ISO weeks, the first cut at the period start), cumulative detractor share of SUP-EU', async () => {
    // 1 Jan 2026 is a Thursday: [01-01, 01-05), then Monday to Monday up to the week holding now.
    const k = await history('T5', { i: 'WEEK' });
    expect(k.history.map((p: any) => [p.bucketStart.slice(0, 10), p.actual, p.status])).toEqual([
      ['2026-01-01', null, 'NO_DATA'],
      ['2026-01-05', 0, 'ON_TRACK'], // 10, 9, 9
      ['2026-01-12', 0, 'ON_TRACK'],
      ['2026-01-19', 0, 'ON_TRACK'],
      ['2026-01-26', 0, 'ON_TRACK'],
      ['2026-02-02', 0, 'ON_TRACK'],
      ['2026-02-09', 40, 'OFF_TRACK'], // + 3, 2: 2 of 5
      ['2026-02-16', 50, 'OFF_TRACK'], // + 0: 3 of 6
      ['2026-02-23', 50, 'OFF_TRACK'],
      ['2026-03-02', (100 * 3) / 7, 'OFF_TRACK'], // + 10: 3 of 7
      ['2026-03-09', (100 * 3) / 7, 'OFF_TRACK'],
    ]);
    expect(k.history[10]).toMatchObject({ bucketEnd: '2026-03-16T00:00:00.000Z', at: NOW.toISOString(), complete: false });
    expect(k.history[6]).toMatchObject({ gap: -20, bucketEnd: '2026-02-16T00:00:00.000Z', at: '2026-02-16T00:00:00.000Z', complete: true });
  });

  it('as of a past instant: buckets up to it, the last one ending there', async () => {
    // T3 as of 15 Feb: 8 responses against 15 x 45/90 = 7.5: ON_TRACK (it is OFF_TRACK now).
    const k = await history('T3', { i: 'MONTH', asOf: '2026-02-15T00:00:00Z' });
    expect(k).toMatchObject({ actual: 8, status: 'ON_TRACK' });
    expect(k.history.map((p: any) => [p.at, p.complete, p.actual, p.status])).toEqual([
      ['2026-02-01T00:00:00.000Z', true, 5, 'AT_RISK'],
      ['2026-02-15T00:00:00.000Z', false, 8, 'ON_TRACK'],
    ]);
    // Before the period begins: no point.
    expect((await history('T3', { i: 'MONTH', asOf: '2025-12-01T00:00:00Z' })).history).toEqual([]);
  });

  it('months of a time zone: Tokyo months start at 15:00 UTC the day before', async () => {
    const k = await history('T3', { i: 'MONTH', tz: 'Asia/Tokyo' });
    expect(k.history.map((p: any) => [p.bucketEnd, p.at, p.actual])).toEqual([
      ['2026-01-31T15:00:00.000Z', '2026-01-31T15:00:00.000Z', 5],
      ['2026-02-28T15:00:00.000Z', '2026-02-28T15:00:00.000Z', 9],
      ['2026-03-31T15:00:00.000Z', NOW.toISOString(), 10],
    ]);
  });

  it('a finished period: every bucket complete; null for closed-loop rates; bad interval and zone', async () => {
    // Otto's NPS over 2020-2025: 72 months, no response before 2026 but SUP-EU's 0 on 31 December 2025.
    const long = await history('ottoLong', { i: 'MONTH' });
    expect(long.history).toHaveLength(72);
    expect(long.history.every((p: any) => p.complete)).toBe(true);
    expect(long.history[71]).toMatchObject({ actual: -100, status: 'OFF_TRACK', progress: 1, score: { responses: 1 } });
    expect(long.history[70]).toMatchObject({ actual: null, status: 'NO_DATA' });
    expect((await history('ottoRate', { i: 'MONTH' })).history).toBeNull();
    const days = await t.exec(HISTORY, { id: ids.ottoLong, i: 'DAY' }, { now });
    expect(fieldOf(days)).toEqual([['BAD_USER_INPUT', 'interval']]);
    const zone = await t.exec(HISTORY, { id: ids.T3, i: 'MONTH', tz: 'Mars/Olympus' }, { now });
    expect(fieldOf(zone)).toEqual([['BAD_USER_INPUT', 'timeZone']]);
  });

  it('the rollups and the raw rows give the same history (Paris weeks: hour rollups at the edges)', async () => {
    const points = async (key: string, raw: boolean) => {
      const ctx = t.ctx(undefined, now);
      ctx.rawFacts = raw;
      const target = await ctx.services.kpiTargets.byId(ctx, ids[key], new Date('2026-02-20T13:30:00Z'));
      return (await ctx.services.kpiTargets.history(ctx, target, TrendInterval.WEEK, 'Europe/Paris'))!.map((p) => [p.at.toISOString(), p.score.counts, p.status]);
    };
    for (const key of ['T1', 'T3', 'T5', 'T6', 'T9']) {
      const rolled = await points(key, false);
      expect(rolled.length).toBe(8);
      expect(await points(key, true)).toEqual(rolled);
    }
  });

  it('a list resolves every target\'s history in one counting statement beside the measurement', async () => {
    const spy = jest.spyOn(t.deps.ds.logger, 'logQuery');
    try {
      const data = await t.ok(`{ kpiTargets(activeAt: "2026-02-01T00:00:00Z") { id actual history(interval: WEEK) { actual } } }`, {}, { now });
      expect(data.kpiTargets).toHaveLength(9);
      const counting = spy.mock.calls.filter(([q]) => /\bidx\b/.test(q) && /UNION ALL|unnest/.test(q));
      // The measurement's counts and the histories' counts.
      expect(counting).toHaveLength(2);
      for (const k of data.kpiTargets) if (k.history?.length) expect(k.history[k.history.length - 1].actual).toEqual(k.actual);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('statement bound', () => {
  const Q = `query($o: ID!) { scorecard(ownerId: $o, activeAt: "2025-11-15T00:00:00Z") {
    counts { ${COUNTS} } levels { level people counts { total } }
    people { person { name title } level counts { total } targets { id metric actual gap status progress owner { name } department { code } segment { name } score { responses nps } } } } }`;

  async function run(): Promise<{ statements: number; data: any }> {
    const spy = jest.spyOn(t.deps.ds.logger, 'logQuery');
    try {
      const data = await t.ok(Q, { o: ids.ceo }, { now });
      return { statements: spy.mock.calls.length, data: data.scorecard };
    } finally {
      spy.mockRestore();
    }
  }

  it('the same number of statements for a chain of 5 people and 10 targets as for 50 people and 135 more', async () => {
    const insert = (owner: string, metric: string, dept: string | null, segment: boolean) =>
      sql('INSERT INTO kpi_targets (owner_id, metric, target, period_start, period_end, department_id, segment_id) VALUES ($1, $2, 10, $3, $4, $5, $6)', [
        owner,
        metric,
        Q4_2025.periodStart,
        Q4_2025.periodEnd,
        dept && ids[dept],
        segment ? ids.segEU : null,
      ]);
    // Every kind of target in the small chain: department-scoped, organisation-wide, segment-scoped, closed-loop rates.
    const DEPTS = [null, 'CO', 'SUP', 'SUP-EU', 'SALES'];
    const METRICS = ['NPS', 'PROMOTER_SHARE', 'RESPONSE_COUNT', 'FOLLOW_UP_RATE', 'CLOSED_WITHIN_SLA_RATE'];
    const small = ['ceo', 'vp', 'sales', 'lead', 'nina'];
    for (const [n, key] of small.entries()) {
      await insert(ids[key], METRICS[n], DEPTS[n], false);
      await insert(ids[key], METRICS[(n + 2) % 5], DEPTS[(n + 1) % 5], n % 2 === 0);
    }
    const before = await run();
    expect(before.data.counts.total).toBe(10);
    expect(before.data.people).toHaveLength(5);
    // 45 more people below Nina: a chain 15 deep, each link with two reports; 3 targets each.
    let manager = ids.nina;
    let k = 0;
    for (let depth = 0; depth < 15; depth++) {
      const add = async (name: string, boss: string) => {
        const [row] = await sql('INSERT INTO people (name, email, department_id, manager_id) VALUES ($1, $2, $3, $4) RETURNING id', [name, `${name}@example.com`, ids['SUP-EU'], boss]);
        for (let j = 0; j < 3; j++, k++) await insert(row.id, METRICS[k % 5], DEPTS[(k * 3) % 5], k % 3 === 0);
        return row.id as string;
      };
      const link = await add(`link-${depth}`, manager);
      await add(`leaf-${depth}-a`, link);
      await add(`leaf-${depth}-b`, link);
      manager = link;
    }
    const after = await run();
    expect(after.data.people).toHaveLength(50);
    expect(after.data.counts.total).toBe(10 + k);
    expect(k).toBe(135);
    expect(after.data.levels.map((l: any) => l.level)).toEqual([0, 1, 2, ...Array.from({ length: 16 }, (_, d) => 3 + d)]);
    // The chain, its targets, their segments, their departments, the counts (one UNION ALL: the department
    // targets of the period in one grouped branch, a branch per segment target), the closed-loop rates of all
    // the rate targets (one statement; two on the counters' path): 6 here, whatever the chain's size.
    expect(after.statements).toBe(before.statements);
    expect(after.statements).toBeLessThanOrEqual(7);
  });
});
