import { createTestApp, codes, TestApp } from './support/test-app';
import { Role, Viewer } from '../src/modules/auth/viewer';

/**
 * compareTo (PREVIOUS_PERIOD, PREVIOUS_CALENDAR_PERIOD, SAME_PERIOD_LAST_YEAR) on npsComparison and
 * npsTrend, ScoreChange.verdict and TrendPoint.partial, over a hand-made data set: each scenario
 * has its own department under CO (filtered by departmentIds), so every count below is known.
 *
 * MONTH-A (Europe/Paris, March 2025 = 2025-02-28T23:00Z .. 2025-03-31T22:00Z, DST on 30 March;
 *          February 2025 = 2025-01-31T23:00Z .. 2025-02-28T23:00Z):
 *   m1 2025-02-28T23:30Z 10  (1 March 00:30 in Paris: March, though February in UTC)
 *   m2 2025-03-15T12:00Z  9
 *   m3 2025-03-31T21:30Z  3  (31 March 23:30 in Paris: still March)
 *   m4 2025-03-31T22:30Z  0  (1 April 00:30 in Paris: outside)
 *   f1 2025-01-31T23:30Z  0  (1 February 00:30 in Paris: February)
 *   f2 2025-02-10T10:00Z  2
 *   f3 2025-02-20T10:00Z  8
 *   j1 2025-01-31T22:30Z 10  (31 January 23:30 in Paris: January; inside PREVIOUS_PERIOD's range)
 *   March: P 2 (m1, m2), D 1 (m3) → NPS 100·(2−1)/3 = 33.33; February: D 2 (f1, f2), passive 1 (f3) → −66.67.
 * MONTH-B: one promoter in March 2025 and one in February (Paris), for the manager of MONTH-A not to see.
 * QTR (UTC): 10 detractors in January 2024 (Q1), 10 promoters in Q2 2024 (the first at 1 April 00:00:00Z
 *   exactly), 10 detractors in Q3 2024.
 * WEEK (UTC): ISO week 2025-W20 (Monday 12 May) and W19 (Monday 5 May): 2 promoters and 1 detractor each,
 *   and a detractor on Sunday 11 May 23:30Z (end of W19).
 * LEAP (UTC): 28 Feb 2023 0 (D), 1 Mar 2023 00:30Z 10, 28 Feb 2024 10, 29 Feb 2024 10.
 * W53 (UTC): ISO week 2020-W53 is Monday 28 Dec 2020 to Monday 4 Jan 2021 (2019 has 52 weeks):
 *   2020-12-30 10, 2021-01-05 10 (2021-W01), 2019-12-31 0 (2020-W01, Monday 30 Dec 2019 .. 6 Jan 2020).
 *
 * Verdicts, adjusted-Wald by hand (n' = n + 3, p' = (P + .75)/n', d' = (D + .75)/n', V' = p' + d' − (p' − d')²):
 *   March vs February: current p' = 2.75/6, d' = 1.75/6, centre 16.67, SE' = 100·sqrt(.7222/6) = 34.69;
 *   previous p' = .75/6, d' = 2.75/6, centre −33.33, SE' = 100·sqrt(.4722/6) = 28.05;
 *   z = 50 / sqrt(34.69² + 28.05²) = 1.12 < 1.96 → NO_SIGNIFICANT_CHANGE.
 *   10 promoters vs 10 detractors: p' = 10.75/13, d' = .75/13, centre ±76.92, V' = .2929, SE' = 15.01;
 *   z = 153.85 / sqrt(2·15.01²) = 7.25 → SIGNIFICANT_UP (and SIGNIFICANT_DOWN the other way).
 */
let t: TestApp;
const ids: Record<string, string> = {};
const PARIS = 'Europe/Paris';
const manager = (departmentId: string): Viewer => ({ keyId: null, name: 'mgr', role: Role.MANAGER, departmentId });

async function dept(code: string, parent: string | null): Promise<void> {
  const [row] = await t.db.dataSource.query('INSERT INTO departments (code, name, parent_id) VALUES ($1, $1, $2) RETURNING id', [code, parent ? ids[parent] : null]);
  ids[code] = row.id;
}

let seq = 0;
async function respond(code: string, score: number, at: string): Promise<void> {
  await t.db.dataSource.query('INSERT INTO responses (external_ref, score, responded_at, department_id, survey_id) VALUES ($1, $2, $3, $4, $5)', [
    `${code}-${seq++}`,
    score,
    at,
    ids[code],
    ids.REL,
  ]);
}

beforeAll(async () => {
  t = await createTestApp({ LOW_SAMPLE_THRESHOLD: '5' });
  const [s] = await t.db.dataSource.query(`INSERT INTO surveys (code, name, kind) VALUES ('REL', 'REL', 'RELATIONSHIP') RETURNING id`);
  ids.REL = s.id;
  await dept('CO', null);
  for (const code of ['MONTH-A', 'MONTH-B', 'QTR', 'WEEK', 'LEAP', 'W53']) await dept(code, 'CO');
  // MONTH-A
  await respond('MONTH-A', 10, '2025-02-28T23:30:00Z');
  await respond('MONTH-A', 9, '2025-03-15T12:00:00Z');
  await respond('MONTH-A', 3, '2025-03-31T21:30:00Z');
  await respond('MONTH-A', 0, '2025-03-31T22:30:00Z');
  await respond('MONTH-A', 0, '2025-01-31T23:30:00Z');
  await respond('MONTH-A', 2, '2025-02-10T10:00:00Z');
  await respond('MONTH-A', 8, '2025-02-20T10:00:00Z');
  await respond('MONTH-A', 10, '2025-01-31T22:30:00Z');
  // MONTH-B
  await respond('MONTH-B', 10, '2025-03-10T10:00:00Z');
  await respond('MONTH-B', 10, '2025-02-10T10:00:00Z');
  // QTR
  for (let i = 0; i < 10; i++) {
    await respond('QTR', 0, `2024-01-${String(10 + i).padStart(2, '0')}T10:00:00Z`);
    await respond('QTR', 10, i === 0 ? '2024-04-01T00:00:00Z' : `2024-05-${String(10 + i).padStart(2, '0')}T10:00:00Z`);
    await respond('QTR', 0, `2024-08-${String(10 + i).padStart(2, '0')}T10:00:00Z`);
  }
  // WEEK
  for (const day of ['2025-05-12', '2025-05-05']) {
    await respond('WEEK', 10, `${day}T00:00:00Z`);
    await respond('WEEK', 9, `${day}T12:00:00Z`);
    await respond('WEEK', 1, `${day}T18:00:00Z`);
  }
  await respond('WEEK', 0, '2025-05-11T23:30:00Z');
  // LEAP
  await respond('LEAP', 0, '2023-02-28T10:00:00Z');
  await respond('LEAP', 10, '2023-03-01T00:30:00Z');
  await respond('LEAP', 10, '2024-02-28T10:00:00Z');
  await respond('LEAP', 10, '2024-02-29T10:00:00Z');
  // W53
  await respond('W53', 10, '2020-12-30T10:00:00Z');
  await respond('W53', 10, '2021-01-05T10:00:00Z');
  await respond('W53', 0, '2019-12-31T10:00:00Z');
});
afterAll(() => t.close());

const SCORE = 'responses promoters passives detractors nps';
const CMP = `query($f: ResponseFilter!, $c: CompareTo, $z: String) { npsComparison(filter: $f, compareTo: $c, timeZone: $z) {
  currentFrom currentTo previousFrom previousTo compareTo timeZone unit unitCount comparable notComparableReason
  current { ${SCORE} } previous { ${SCORE} } change { delta significant pValue zScore verdict previous { responses } } } }`;
const TREND = `query($f: ResponseFilter, $i: TrendInterval!, $z: String, $c: CompareTo) { npsTrend(interval: $i, filter: $f, timeZone: $z, compareTo: $c) {
  periodStart periodEnd partial score { ${SCORE} } change { delta verdict significant previous { ${SCORE} } } } }`;

const errorsOf = (res: { errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }) =>
  (res.errors ?? []).map((e) => ({ code: e.extensions?.code, field: e.extensions?.field }));

describe('npsComparison compareTo PREVIOUS_CALENDAR_PERIOD', () => {
  const march = { from: '2025-03-01T00:00:00+01:00', to: '2025-04-01T00:00:00+02:00', departmentIds: [] as string[] };

  it('compares March in Paris (743 hours, across the DST change) with February in Paris (672 hours)', async () => {
    const { npsComparison: c } = await t.ok(CMP, { f: { ...march, departmentIds: [ids['MONTH-A']] }, c: 'PREVIOUS_CALENDAR_PERIOD', z: PARIS });
    expect(c).toMatchObject({
      currentFrom: '2025-02-28T23:00:00.000Z',
      currentTo: '2025-03-31T22:00:00.000Z',
      previousFrom: '2025-01-31T23:00:00.000Z',
      previousTo: '2025-02-28T23:00:00.000Z',
      compareTo: 'PREVIOUS_CALENDAR_PERIOD',
      timeZone: PARIS,
      unit: 'MONTH',
      unitCount: 1,
      comparable: true,
      notComparableReason: null,
    });
    // March (Paris): m1 10, m2 9, m3 3; February (Paris): f1 0, f2 2, f3 8.
    expect(c.current).toMatchObject({ responses: 3, promoters: 2, passives: 0, detractors: 1 });
    expect(c.current.nps).toBeCloseTo(100 / 3, 10);
    expect(c.previous).toMatchObject({ responses: 3, promoters: 0, passives: 1, detractors: 2 });
    expect(c.previous.nps).toBeCloseTo(-200 / 3, 10);
    expect(c.change.delta).toBeCloseTo(100, 10);
    expect(c.change.zScore).toBeCloseTo(1.12, 2);
    expect(c.change).toMatchObject({ significant: false, verdict: 'NO_SIGNIFICANT_CHANGE', previous: { responses: 3 } });
  });

  it('is not PREVIOUS_PERIOD, which takes the 743 hours before (from 29 January 00:00Z: j1 counts, f1 too)', async () => {
    const { npsComparison: c } = await t.ok(CMP, { f: { ...march, departmentIds: [ids['MONTH-A']] }, z: PARIS });
    expect(c).toMatchObject({ compareTo: 'PREVIOUS_PERIOD', previousFrom: '2025-01-29T00:00:00.000Z', previousTo: '2025-02-28T23:00:00.000Z', unit: null, unitCount: null });
    expect(c.previous).toMatchObject({ responses: 4, promoters: 1, passives: 1, detractors: 2 });
  });

  it('compares a quarter with the quarter before: Q2 2024 up from Q1 (SIGNIFICANT_UP), Q3 down from Q2 (SIGNIFICANT_DOWN)', async () => {
    const q2 = await t.ok(CMP, { f: { from: '2024-04-01T00:00:00Z', to: '2024-07-01T00:00:00Z', departmentIds: [ids.QTR] }, c: 'PREVIOUS_CALENDAR_PERIOD' });
    expect(q2.npsComparison).toMatchObject({
      previousFrom: '2024-01-01T00:00:00.000Z',
      previousTo: '2024-04-01T00:00:00.000Z',
      timeZone: 'UTC',
      unit: 'QUARTER',
      unitCount: 1,
      current: { responses: 10, promoters: 10, nps: 100 },
      previous: { responses: 10, detractors: 10, nps: -100 },
      change: { delta: 200, significant: true, verdict: 'SIGNIFICANT_UP' },
    });
    expect(q2.npsComparison.change.zScore).toBeCloseTo(7.25, 2);
    const q3 = await t.ok(CMP, { f: { from: '2024-07-01T00:00:00Z', to: '2024-10-01T00:00:00Z', departmentIds: [ids.QTR] }, c: 'PREVIOUS_CALENDAR_PERIOD' });
    expect(q3.npsComparison).toMatchObject({
      previousFrom: '2024-04-01T00:00:00.000Z',
      previousTo: '2024-07-01T00:00:00.000Z',
      unit: 'QUARTER',
      change: { delta: -200, significant: true, verdict: 'SIGNIFICANT_DOWN' },
    });
    expect(q3.npsComparison.change.zScore).toBeCloseTo(-7.25, 2);
  });

  it('compares an ISO week with the week before (Sunday 23:30 belongs to the week before)', async () => {
    const { npsComparison: c } = await t.ok(CMP, { f: { from: '2025-05-12T00:00:00Z', to: '2025-05-19T00:00:00Z', departmentIds: [ids.WEEK] }, c: 'PREVIOUS_CALENDAR_PERIOD' });
    expect(c).toMatchObject({
      previousFrom: '2025-05-05T00:00:00.000Z',
      previousTo: '2025-05-12T00:00:00.000Z',
      unit: 'ISO_WEEK',
      unitCount: 1,
      current: { responses: 3, promoters: 2, detractors: 1 },
      previous: { responses: 4, promoters: 2, detractors: 2, nps: 0 },
      change: { significant: false, verdict: 'NO_SIGNIFICANT_CHANGE' },
    });
    expect(c.change.delta).toBeCloseTo(100 / 3, 10);
  });

  it('refuses a range that is not whole calendar units of the zone, naming the field', async () => {
    // Not midnight anywhere.
    let res = await t.exec(CMP, { f: { from: '2025-03-01T12:00:00Z', to: '2025-04-01T00:00:00Z' }, c: 'PREVIOUS_CALENDAR_PERIOD' });
    expect(errorsOf(res)).toEqual([{ code: 'BAD_USER_INPUT', field: 'filter.from' }]);
    expect(res.errors![0].message).toContain('whole calendar units');
    // UTC midnight is 01:00 in Paris: whole months in UTC, not in Paris.
    res = await t.exec(CMP, { f: { from: '2025-03-01T00:00:00Z', to: '2025-04-01T00:00:00Z' }, c: 'PREVIOUS_CALENDAR_PERIOD', z: PARIS });
    expect(errorsOf(res)).toEqual([{ code: 'BAD_USER_INPUT', field: 'filter.from' }]);
    res = await t.exec(CMP, { f: { from: '2025-03-01T00:00:00+01:00', to: '2025-03-20T12:00:00+01:00' }, c: 'PREVIOUS_CALENDAR_PERIOD', z: PARIS });
    expect(errorsOf(res)).toEqual([{ code: 'BAD_USER_INPUT', field: 'filter.to' }]);
    // The same UTC range is whole months in UTC.
    const ok = await t.ok(CMP, { f: { from: '2025-03-01T00:00:00Z', to: '2025-04-01T00:00:00Z' }, c: 'PREVIOUS_CALENDAR_PERIOD' });
    expect(ok.npsComparison).toMatchObject({ unit: 'MONTH', previousFrom: '2025-02-01T00:00:00.000Z' });
  });

  it('validates the time zone like npsTrend, and still requires from < to', async () => {
    for (const z of ['Mars/Olympus', '+02:00']) {
      const res = await t.exec(CMP, { f: { from: '2025-03-01T00:00:00Z', to: '2025-04-01T00:00:00Z' }, c: 'PREVIOUS_CALENDAR_PERIOD', z });
      expect(errorsOf(res)).toEqual([{ code: 'BAD_USER_INPUT', field: 'timeZone' }]);
    }
    const res = await t.exec(CMP, { f: { from: '2025-04-01T00:00:00Z', to: '2025-03-01T00:00:00Z' }, c: 'SAME_PERIOD_LAST_YEAR' });
    expect(errorsOf(res)).toEqual([{ code: 'BAD_USER_INPUT', field: 'filter.to' }]);
  });
});

describe('npsComparison compareTo SAME_PERIOD_LAST_YEAR', () => {
  it('compares 29 February 2024 with 28 February 2023 (1 March 2023 is not counted)', async () => {
    const { npsComparison: c } = await t.ok(CMP, { f: { from: '2024-02-29T00:00:00Z', to: '2024-03-01T00:00:00Z', departmentIds: [ids.LEAP] }, c: 'SAME_PERIOD_LAST_YEAR' });
    expect(c).toMatchObject({
      previousFrom: '2023-02-28T00:00:00.000Z',
      previousTo: '2023-03-01T00:00:00.000Z',
      unit: 'DAY',
      unitCount: 1,
      comparable: true,
      current: { responses: 1, promoters: 1, nps: 100 },
      previous: { responses: 1, detractors: 1, nps: -100 },
      change: { delta: 200, significant: false, verdict: 'NO_SIGNIFICANT_CHANGE' },
    });
    // One promoter against one detractor: p' = 1.75/4, d' = .75/4, centre ±25, V' = .625 − .0625, SE' = 100·sqrt(.5625/4) = 37.5; z = 50/53.03.
    expect(c.change.zScore).toBeCloseTo(50 / Math.sqrt(2 * 37.5 ** 2), 10);
  });

  it('says NOT_COMPARABLE for ISO week 53 of 2020 (2019 has 52 weeks), with an empty previous period', async () => {
    const { npsComparison: c } = await t.ok(CMP, { f: { from: '2020-12-28T00:00:00Z', to: '2021-01-04T00:00:00Z', departmentIds: [ids.W53] }, c: 'SAME_PERIOD_LAST_YEAR' });
    expect(c).toMatchObject({
      currentFrom: '2020-12-28T00:00:00.000Z',
      previousFrom: '2020-12-28T00:00:00.000Z',
      previousTo: '2020-12-28T00:00:00.000Z',
      unit: 'ISO_WEEK',
      unitCount: 1,
      comparable: false,
      current: { responses: 1, promoters: 1 },
      previous: { responses: 0, nps: null },
      change: { delta: null, significant: false, pValue: null, zScore: null, verdict: 'NOT_COMPARABLE', previous: { responses: 0 } },
    });
    expect(c.notComparableReason).toContain('2020-W53');
  });

  it('maps an ISO week to the same week number a year earlier (2021-W01 against 2020-W01, from Monday 30 December 2019)', async () => {
    const { npsComparison: c } = await t.ok(CMP, { f: { from: '2021-01-04T00:00:00Z', to: '2021-01-11T00:00:00Z', departmentIds: [ids.W53] }, c: 'SAME_PERIOD_LAST_YEAR' });
    expect(c).toMatchObject({ previousFrom: '2019-12-30T00:00:00.000Z', previousTo: '2020-01-06T00:00:00.000Z', comparable: true, previous: { responses: 1, detractors: 1 } });
  });

  it('says NOT_COMPARABLE, though comparable, when last year had no responses', async () => {
    const { npsComparison: c } = await t.ok(CMP, { f: { from: '2024-04-01T00:00:00Z', to: '2024-07-01T00:00:00Z', departmentIds: [ids.QTR] }, c: 'SAME_PERIOD_LAST_YEAR' });
    expect(c).toMatchObject({ comparable: true, previousFrom: '2023-04-01T00:00:00.000Z', previous: { responses: 0 }, change: { verdict: 'NOT_COMPARABLE', delta: null } });
  });
});

describe('npsTrend', () => {
  it('flags the buckets that reach outside the requested range as partial (UTC bounds in Paris: first and last)', async () => {
    const { npsTrend } = await t.ok(TREND, { i: 'MONTH', z: PARIS, f: { from: '2025-02-01T00:00:00Z', to: '2025-04-01T00:00:00Z', departmentIds: [ids['MONTH-A']] } });
    expect(npsTrend.map((p: any) => [p.periodStart, p.partial, p.score.responses])).toEqual([
      // February in Paris from 1 February 01:00 local: f1 (00:30 local) is left out.
      ['2025-01-31T23:00:00.000Z', true, 2],
      ['2025-02-28T23:00:00.000Z', false, 3],
      // April in Paris up to 1 April 02:00 local: m4 (00:30 local).
      ['2025-03-31T22:00:00.000Z', true, 1],
    ]);
    expect(npsTrend[0].change).toBeNull();
    expect(npsTrend[1].change).toMatchObject({ previous: { responses: 2 }, verdict: 'NO_SIGNIFICANT_CHANGE' });
  });

  it('has no partial bucket with local bounds (the README example), and its first point has no change', async () => {
    const { npsTrend } = await t.ok(TREND, { i: 'MONTH', z: PARIS, f: { from: '2025-02-01T00:00:00+01:00', to: '2025-04-01T00:00:00+02:00', departmentIds: [ids['MONTH-A']] } });
    expect(npsTrend.map((p: any) => [p.periodStart, p.periodEnd, p.partial, p.score.responses])).toEqual([
      ['2025-01-31T23:00:00.000Z', '2025-02-28T23:00:00.000Z', false, 3],
      ['2025-02-28T23:00:00.000Z', '2025-03-31T22:00:00.000Z', false, 3],
    ]);
    expect(npsTrend[0].change).toBeNull();
    // The same as npsComparison(PREVIOUS_CALENDAR_PERIOD) for March.
    expect(npsTrend[1].change.delta).toBeCloseTo(100, 10);
    const calendar = await t.ok(TREND, { i: 'MONTH', z: PARIS, c: 'PREVIOUS_CALENDAR_PERIOD', f: { from: '2025-02-01T00:00:00+01:00', to: '2025-04-01T00:00:00+02:00', departmentIds: [ids['MONTH-A']] } });
    expect(calendar.npsTrend).toEqual(npsTrend);
  });

  it('without from, starts with the first response and its first bucket is not partial; a range inside one bucket is', async () => {
    const all = await t.ok(TREND, { i: 'MONTH', f: { to: '2024-03-01T00:00:00Z', departmentIds: [ids.LEAP] } });
    expect(all.npsTrend[0]).toMatchObject({ periodStart: '2023-02-01T00:00:00.000Z', partial: false });
    expect(all.npsTrend.at(-1)).toMatchObject({ periodStart: '2024-02-01T00:00:00.000Z', partial: false });
    const inside = await t.ok(TREND, { i: 'QUARTER', f: { from: '2024-02-01T00:00:00Z', to: '2024-03-01T00:00:00Z' } });
    expect(inside.npsTrend.map((p: any) => p.partial)).toEqual([true]);
  });

  it('with SAME_PERIOD_LAST_YEAR, compares each day with the same day a year earlier (29 February with 28 February)', async () => {
    const { npsTrend } = await t.ok(TREND, { i: 'DAY', c: 'SAME_PERIOD_LAST_YEAR', f: { from: '2024-02-28T00:00:00Z', to: '2024-03-01T00:00:00Z', departmentIds: [ids.LEAP] } });
    expect(npsTrend).toHaveLength(2);
    for (const p of npsTrend) {
      expect(p).toMatchObject({ partial: false, score: { responses: 1, promoters: 1 }, change: { delta: 200, verdict: 'NO_SIGNIFICANT_CHANGE', previous: { responses: 1, detractors: 1 } } });
    }
  });

  it('with SAME_PERIOD_LAST_YEAR, compares ISO weeks by number: week 53 NOT_COMPARABLE, 2021-W01 against 2020-W01', async () => {
    const { npsTrend } = await t.ok(TREND, { i: 'WEEK', c: 'SAME_PERIOD_LAST_YEAR', f: { from: '2020-12-28T00:00:00Z', to: '2021-01-11T00:00:00Z', departmentIds: [ids.W53] } });
    expect(npsTrend.map((p: any) => [p.periodStart, p.score.responses, p.change.previous.responses, p.change.verdict])).toEqual([
      // The 31 December 2019 detractor is in the wall-clock year-earlier week, but 2020-W53 has no counterpart.
      ['2020-12-28T00:00:00.000Z', 1, 0, 'NOT_COMPARABLE'],
      ['2021-01-04T00:00:00.000Z', 1, 1, 'NO_SIGNIFICANT_CHANGE'],
    ]);
  });

  it('with SAME_PERIOD_LAST_YEAR, compares the part of a partial bucket with the same part a year earlier', async () => {
    // Q1 2024 asked from 28 February to 1 March: its part 28-29 Feb 2024 (2 days) against 28 Feb 2023 to 1 March 2023 (29 Feb maps to 28 Feb,
    // so 1 day): the 28 Feb 2023 detractor, not the 1 March 2023 promoter.
    const { npsTrend } = await t.ok(TREND, { i: 'QUARTER', c: 'SAME_PERIOD_LAST_YEAR', f: { from: '2024-02-28T00:00:00Z', to: '2024-03-01T00:00:00Z', departmentIds: [ids.LEAP] } });
    expect(npsTrend).toEqual([
      expect.objectContaining({ partial: true, score: expect.objectContaining({ responses: 2 }), change: expect.objectContaining({ previous: expect.objectContaining({ responses: 1, detractors: 1 }) }) }),
    ]);
  });
});

describe('statements', () => {
  it('counts each trend point and its year-earlier part in one statement, as many as without compareTo', async () => {
    const statements = async (c: string | undefined) => {
      const spy = jest.spyOn(t.reports, 'query');
      try {
        await t.ok(TREND, { i: 'MONTH', c, f: { from: '2024-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z', departmentIds: [ids.QTR] } });
        return spy.mock.calls.length;
      } finally {
        spy.mockRestore();
      }
    };
    const plain = await statements(undefined);
    expect(plain).toBeGreaterThan(0);
    expect(await statements('SAME_PERIOD_LAST_YEAR')).toBe(plain);
  });
});

describe('access scope', () => {
  it("counts only a manager's subtree, in both periods", async () => {
    const f = { from: '2025-03-01T00:00:00+01:00', to: '2025-04-01T00:00:00+02:00' };
    const asManager = await t.ok(CMP, { f, c: 'PREVIOUS_CALENDAR_PERIOD', z: PARIS }, { viewer: manager(ids['MONTH-A']) });
    expect(asManager.npsComparison).toMatchObject({ current: { responses: 3 }, previous: { responses: 3 } });
    // An admin sees MONTH-B's promoter in each month too.
    const asAdmin = await t.ok(CMP, { f, c: 'PREVIOUS_CALENDAR_PERIOD', z: PARIS });
    expect(asAdmin.npsComparison).toMatchObject({ current: { responses: 4 }, previous: { responses: 4 } });
    const trend = await t.ok(TREND, { i: 'MONTH', z: PARIS, c: 'SAME_PERIOD_LAST_YEAR', f }, { viewer: manager(ids['MONTH-A']) });
    expect(trend.npsTrend.map((p: any) => [p.score.responses, p.change.previous.responses])).toEqual([[3, 0]]);
    expect(codes(await t.exec(CMP, { f: { ...f, departmentIds: [ids['MONTH-B']] }, c: 'PREVIOUS_CALENDAR_PERIOD', z: PARIS }, { viewer: manager(ids['MONTH-A']) }))).toEqual(['FORBIDDEN']);
  });
});
