import { createTestApp, codes, TestApp } from './support/test-app';

/** npsTrend: buckets (empty ones too), ISO weeks, time zones, DST, month/quarter edges, defaults, limits. */
let t: TestApp;
let surveyId: string;
let n = 0;

async function respond(score: number, at: string, channel: string): Promise<void> {
  await t.db.dataSource.query('INSERT INTO responses (external_ref, score, responded_at, survey_id, channel) VALUES ($1, $2, $3, $4, $5)', [
    `r${++n}`,
    score,
    at,
    surveyId,
    channel,
  ]);
}

beforeAll(async () => {
  t = await createTestApp();
  [{ id: surveyId }] = await t.db.dataSource.query(`INSERT INTO surveys (code, name, kind) VALUES ('S', 'S', 'RELATIONSHIP') RETURNING id`);
  // channel "gap": January and March, nothing in February.
  await respond(10, '2025-01-15T12:00:00Z', 'gap');
  await respond(0, '2025-03-15T12:00:00Z', 'gap');
  // channel "week": Sunday 9 March and Monday 10 March 2025.
  await respond(9, '2025-03-09T12:00:00Z', 'week');
  await respond(9, '2025-03-10T12:00:00Z', 'week');
  // channel "zone": 23:30 UTC on 10 March is already 11 March in Paris (UTC+1).
  await respond(9, '2025-03-10T23:30:00Z', 'zone');
  // channel "edge": 23:30 UTC on 31 March is 1 April (Q2) in Paris (UTC+2 after the DST change).
  await respond(9, '2025-03-31T23:30:00Z', 'edge');
  // channel "dst": Paris moves its clocks forward on 30 March 2025 (a 23-hour day).
  await respond(9, '2025-03-29T22:30:00Z', 'dst'); // 29 March 23:30 in Paris
  await respond(9, '2025-03-29T23:30:00Z', 'dst'); // 30 March 00:30 in Paris
  await respond(9, '2025-03-30T21:30:00Z', 'dst'); // 30 March 23:30 in Paris (CEST)
  await respond(9, '2025-03-30T22:30:00Z', 'dst'); // 31 March 00:30 in Paris
  // channel "sig": 40 promoters in January, 40 detractors in February: a significant drop.
  for (let i = 0; i < 40; i++) await respond(10, `2025-01-${String(1 + (i % 28)).padStart(2, '0')}T08:00:00Z`, 'sig');
  for (let i = 0; i < 40; i++) await respond(2, `2025-02-${String(1 + (i % 28)).padStart(2, '0')}T08:00:00Z`, 'sig');
  // channel "old": one response in 1990, so a default `from` spans decades.
  await respond(5, '1990-06-01T00:00:00Z', 'old');
  await respond(5, '2025-01-01T00:00:00Z', 'old');
});
afterAll(() => t.close());

const Q = `query($f: ResponseFilter, $i: TrendInterval!, $tz: String) {
  npsTrend(filter: $f, interval: $i, timeZone: $tz) {
    periodStart periodEnd score { responses promoters detractors nps } change { delta significant pValue previous { responses nps } }
  }
}`;
const trend = async (vars: Record<string, unknown>, now?: Date) => (await t.ok(Q, vars, now ? { now: () => now } : {})).npsTrend as any[];
const starts = (points: any[]) => points.map((p) => p.periodStart);
const counts = (points: any[]) => points.map((p) => p.score.responses);

describe('npsTrend buckets', () => {
  it('includes empty buckets with responses 0 and a null NPS', async () => {
    const points = await trend({ i: 'MONTH', f: { channels: ['gap'], from: '2025-01-01T00:00:00Z', to: '2025-04-01T00:00:00Z' } });
    expect(starts(points)).toEqual(['2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z']);
    expect(points.map((p) => p.periodEnd)).toEqual(['2025-02-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z', '2025-04-01T00:00:00.000Z']);
    expect(points.map((p) => p.score.nps)).toEqual([100, null, -100]);
    expect(counts(points)).toEqual([1, 0, 1]);
    // change against an empty bucket has no delta and is not significant
    expect(points[0].change).toBeNull();
    expect(points[1].change).toEqual({ delta: null, significant: false, pValue: null, previous: { responses: 1, nps: 100 } });
    expect(points[2].change.delta).toBeNull();
  });

  it('uses ISO weeks starting on Monday; the first bucket may start before from', async () => {
    const points = await trend({ i: 'WEEK', f: { channels: ['week'], from: '2025-03-05T00:00:00Z', to: '2025-03-17T00:00:00Z' } });
    expect(starts(points)).toEqual(['2025-03-03T00:00:00.000Z', '2025-03-10T00:00:00.000Z']);
    expect(points.map((p) => p.periodEnd)).toEqual(['2025-03-10T00:00:00.000Z', '2025-03-17T00:00:00.000Z']);
    expect(counts(points)).toEqual([1, 1]); // Sunday 9th in the first week, Monday 10th in the second
    for (const p of points) expect(new Date(p.periodStart).getUTCDay()).toBe(1);
  });

  it('moves a response across a day boundary in another time zone', async () => {
    const f = { channels: ['zone'], from: '2025-03-10T00:00:00Z', to: '2025-03-12T00:00:00Z' };
    const utc = await trend({ i: 'DAY', f });
    expect(starts(utc)).toEqual(['2025-03-10T00:00:00.000Z', '2025-03-11T00:00:00.000Z']);
    expect(counts(utc)).toEqual([1, 0]);
    const paris = await trend({ i: 'DAY', f, tz: 'Europe/Paris' });
    // Buckets start at local midnight (23:00 UTC in winter); from = 10 March 00:00 UTC lies in Paris's 10 March.
    // to = 12 March 00:00 UTC is 01:00 in Paris: a partial third bucket.
    expect(starts(paris)).toEqual(['2025-03-09T23:00:00.000Z', '2025-03-10T23:00:00.000Z', '2025-03-11T23:00:00.000Z']);
    expect(counts(paris)).toEqual([0, 1, 0]);
    const ny = await trend({ i: 'DAY', f, tz: 'America/New_York' });
    expect(starts(ny)[0]).toBe('2025-03-09T05:00:00.000Z'); // EDT began on 9 March at 02:00 local
    expect(ny.reduce((s, p) => s + p.score.responses, 0)).toBe(1);
  });

  it('follows a daylight-saving change: the local day is 23 hours long', async () => {
    const points = await trend({ i: 'DAY', tz: 'Europe/Paris', f: { channels: ['dst'], from: '2025-03-28T23:00:00Z', to: '2025-03-31T22:00:00Z' } });
    expect(points.map((p) => [p.periodStart, p.periodEnd])).toEqual([
      ['2025-03-28T23:00:00.000Z', '2025-03-29T23:00:00.000Z'],
      ['2025-03-29T23:00:00.000Z', '2025-03-30T22:00:00.000Z'],
      ['2025-03-30T22:00:00.000Z', '2025-03-31T22:00:00.000Z'],
    ]);
    expect(counts(points)).toEqual([1, 2, 1]);
  });

  it('puts month and quarter edges at the local boundary', async () => {
    const f = { channels: ['edge'], from: '2025-01-01T00:00:00Z', to: '2025-07-01T00:00:00Z' };
    const utcQ = await trend({ i: 'QUARTER', f });
    expect(starts(utcQ)).toEqual(['2025-01-01T00:00:00.000Z', '2025-04-01T00:00:00.000Z']);
    expect(utcQ.map((p) => p.periodEnd)).toEqual(['2025-04-01T00:00:00.000Z', '2025-07-01T00:00:00.000Z']);
    expect(counts(utcQ)).toEqual([1, 0]);
    const parisQ = await trend({ i: 'QUARTER', f: { ...f, to: '2025-06-30T22:00:00Z' }, tz: 'Europe/Paris' });
    expect(starts(parisQ)).toEqual(['2024-12-31T23:00:00.000Z', '2025-03-31T22:00:00.000Z']);
    expect(counts(parisQ)).toEqual([0, 1]);
    const parisM = await trend({ i: 'MONTH', f: { ...f, to: '2025-04-30T22:00:00Z' }, tz: 'Europe/Paris' });
    expect(starts(parisM)).toEqual([
      '2024-12-31T23:00:00.000Z',
      '2025-01-31T23:00:00.000Z',
      '2025-02-28T23:00:00.000Z',
      '2025-03-31T22:00:00.000Z',
    ]);
    expect(counts(parisM)).toEqual([0, 0, 0, 1]);
  });

  it('gives each point its change against the previous one, with significance', async () => {
    const points = await trend({ i: 'MONTH', f: { channels: ['sig'], from: '2025-01-01T00:00:00Z', to: '2025-03-01T00:00:00Z' } });
    expect(points.map((p) => p.score.nps)).toEqual([100, -100]);
    expect(points[0].change).toBeNull();
    expect(points[1].change.delta).toBe(-200);
    expect(points[1].change.significant).toBe(true);
    expect(points[1].change.pValue).toBeLessThan(0.001);
    expect(points[1].change.previous).toEqual({ responses: 40, nps: 100 });
  });

  it('sums to the summary of the same filter', async () => {
    const f = { from: '2025-01-01T00:00:00Z', to: '2025-04-01T00:00:00Z' };
    for (const [i, tz] of [['DAY', 'Asia/Kolkata'], ['WEEK', 'UTC'], ['MONTH', 'America/Los_Angeles'], ['QUARTER', null]]) {
      const points = await trend({ i, f, tz });
      const { npsSummary } = await t.ok(`query($f: ResponseFilter) { npsSummary(filter: $f) { responses promoters detractors } }`, { f });
      expect(points.reduce((s, p) => s + p.score.responses, 0)).toBe(npsSummary.responses);
      expect(points.reduce((s, p) => s + p.score.promoters, 0)).toBe(npsSummary.promoters);
      expect(points.reduce((s, p) => s + p.score.detractors, 0)).toBe(npsSummary.detractors);
      for (let k = 1; k < points.length; k++) expect(points[k].periodStart).toBe(points[k - 1].periodEnd);
    }
  });
});

describe('npsTrend defaults', () => {
  it('runs from the first matching response to now when from and to are missing', async () => {
    const now = new Date('2025-04-10T12:00:00Z');
    const points = await trend({ i: 'MONTH', f: { channels: ['gap'] } }, now);
    expect(starts(points)).toEqual(['2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z', '2025-04-01T00:00:00.000Z']);
    expect(counts(points)).toEqual([1, 0, 1, 0]);
  });

  it('excludes responses after now when to is missing', async () => {
    const points = await trend({ i: 'MONTH', f: { channels: ['gap'] } }, new Date('2025-02-10T00:00:00Z'));
    expect(counts(points)).toEqual([1, 0]);
  });

  it('returns an empty list when no response matches', async () => {
    expect(await trend({ i: 'DAY', f: { channels: ['nothing'] } })).toEqual([]);
  });

  it('refuses a from in the future when to defaults to now', async () => {
    const res = await t.exec(Q, { i: 'DAY', f: { from: '2025-05-01T00:00:00Z' } }, { now: () => new Date('2025-04-01T00:00:00Z') });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.to', startField: 'filter.from', endDefault: 'now' });
    expect(res.errors![0].message).toBe('filter.to must be after filter.from (filter.to defaults to now)');
  });
});

describe('npsTrend validation', () => {
  it('rejects a time zone that is not an IANA name', async () => {
    for (const tz of ['Mars/Olympus_Mons', '+02:00', 'UTC+2', '', 'Europe/Paris; DROP TABLE responses']) {
      const res = await t.exec(Q, { i: 'DAY', tz, f: { from: '2025-01-01T00:00:00Z', to: '2025-01-02T00:00:00Z' } });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0].extensions!.field).toBe('timeZone');
    }
  });

  it('rejects more than 1000 buckets, naming the limit', async () => {
    const res = await t.exec(Q, { i: 'DAY', f: { from: '2020-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' } });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0].message).toMatch(/1000/);
    // The default from (a response in 1990) makes 12,000+ days too: caught by the statement's own limit.
    const byDefault = await t.exec(Q, { i: 'DAY', f: { channels: ['old'] } }, { now: () => new Date('2025-04-01T00:00:00Z') });
    expect(codes(byDefault)).toEqual(['BAD_USER_INPUT']);
    expect(byDefault.errors![0].message).toMatch(/1000/);
    // ...while 35 years of quarters are fine.
    const quarters = await trend({ i: 'QUARTER', f: { channels: ['old'] } }, new Date('2025-04-01T00:00:00Z'));
    expect(quarters).toHaveLength(140);
    expect(counts(quarters).reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('accepts exactly 1000 buckets', async () => {
    const points = await trend({ i: 'DAY', f: { from: '2020-01-01T00:00:00Z', to: '2022-09-27T00:00:00Z' } });
    expect(points).toHaveLength(1000);
  });

  it('rejects an unknown interval', async () => {
    expect(codes(await t.exec(Q, { i: 'YEAR' }))).toEqual(['BAD_USER_INPUT']);
  });
});
