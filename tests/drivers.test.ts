import { codes, createTestApp, TestApp, viewers } from './support/test-app';
import { withQueryStats } from '../src/common/query-stats';
import { CompareTo } from '../src/modules/reporting/reporting.types';

/**
 * drivers(filter, compareTo, timeZone) on a hand-built data set, stored through submitResponses (so
 * tagged by the ingest) with the default themes. Department A (March 2026 against February 2026,
 * PREVIOUS_CALENDAR_PERIOD, UTC):
 *
 *   March, promoters (10):  3 x "Delivery was fast" (delivery), 2 x "Friendly staff" (staff_friendliness), 1 without a verbatim
 *   March, passives (8):    "A bit expensive" (price), "Fine." (a verbatim with no theme)
 *   March, detractors (2):  2 x "Waited on hold for an hour" (support_wait), "Waited on hold for an hour and too expensive"
 *                           (support_wait, price), and one without a comment whose answer to "Why did you give that
 *                           score?" is "Delivery was late" (delivery, from the follow-up answer)
 *   February:               2 promoters without a verbatim, 2 detractors "Long wait on hold" (support_wait)
 * Department B (A's sibling), March: 2 detractors "Waited on hold forever", 1 promoter "Great price".
 *
 * A in March: P6 A2 D4, n 12, NPS 100·(6−4)/12 = 16.667. Verbatims: P5 A2 D4 = 11; mentioning a theme P5 A1 D4 = 10;
 * untagged 1 ("Fine."), 1/11 = 9.0909%.
 *   delivery      P3 A0 D1: NPS 50; the rest P3 A2 D3 (n 8): 0; impact 0 − 16.667 = −16.667; 25% of detractors, 50% of promoters
 *   staff         P2:       NPS 100; the rest P4 A2 D4 (n 10): 0; impact −16.667; 33.33% of promoters
 *   support_wait  D3:       NPS −100; the rest P6 A2 D1 (n 9): 55.556; impact 55.556 − 16.667 = +38.889; 75% of detractors
 *   price         A1 D1:    NPS −50; the rest P6 A1 D3 (n 10): 30; impact +13.333; 25% of detractors
 * The test of support_wait (adjusted Wald): mentioning n' 6, p' .75/6, d' 3.75/6, centre −50, V' .75 − .25 = .5,
 * SE' 100·sqrt(.5/6) = 28.8675; the rest n' 12, p' 6.75/12, d' 1.75/12, centre 41.6667, V' .708333 − .173611 = .534722,
 * SE' 100·sqrt(.534722/12) = 21.1093; z = (−50 − 41.6667)/sqrt(833.333 + 445.602) = −2.5632, p = 0.01037: SIGNIFICANT_DOWN.
 * The other three, the same way: delivery z 0.70862 (p .478557), staff 0.98709 (p .323599), price −1.11212 (p .266088).
 * Benjamini–Hochberg over those 4 tests (the 5 themes nobody mentions are no test): support_wait 4 × .010370 = .041482
 * (a discovery at 5%); price min(.266088·4/2, .323599·4/3, .478557) = .431466.
 * February for support_wait: mentioning D2 of P2 D2: impact = NPS(P2) − NPS(all) = 100 − 0 = 100, so impactDelta
 * 38.889 − 100 = −61.111; detractors mentioning 2/2 then 3/4: pooled 5/6, SE sqrt(5/6·1/6·(1/2 + 1/4)) = .322749,
 * z = (.75 − 1)/.322749 = −.774597; all responses mentioning 2/4 then 3/12: pooled 5/16, SE .267609, z = −.934199.
 */
let t: TestApp;
const ids: Record<string, string> = {};
let seq = 0;

const SUBMIT = `mutation($rows: [ResponseInput!]!) { submitResponses(responses: $rows) { accepted rejected results { error { message } } } }`;
const WHY = 'Why did you give that score?';

function row(dept: string, score: number, at: string, comment: string | null, why?: string) {
  return {
    externalRef: `dr-${seq++}`,
    surveyCode: 'TX',
    departmentCode: dept,
    score,
    respondedAt: at,
    comment,
    followUpAnswers: why ? [{ question: WHY, answer: why }] : null,
  };
}

const MARCH = (day: number, hour = 10) => `2026-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;
const FEB = (day: number) => `2026-02-${String(day).padStart(2, '0')}T10:00:00Z`;

beforeAll(async () => {
  t = await createTestApp({ LOW_SAMPLE_THRESHOLD: '5' });
  for (const [code, parent] of [['CO', null], ['A', 'CO'], ['B', 'CO']] as const) {
    ids[code] = (await t.ok(`mutation($i: DepartmentInput!) { upsertDepartment(input: $i) { id } }`, { i: { code, name: code, parentCode: parent } })).upsertDepartment.id;
  }
  await t.ok(`mutation { upsertSurvey(input: { code: "TX", name: "Support", kind: TRANSACTIONAL }) { id } }`);
  const rows = [
    row('A', 10, MARCH(2), 'Delivery was fast'),
    row('A', 10, MARCH(3), 'Delivery was fast'),
    row('A', 9, MARCH(4), 'Delivery was fast'),
    row('A', 10, MARCH(5), 'Friendly staff'),
    row('A', 9, MARCH(6), 'Friendly staff'),
    row('A', 10, MARCH(7), null),
    row('A', 8, MARCH(8), 'A bit expensive'),
    row('A', 7, MARCH(9), 'Fine.'),
    row('A', 3, MARCH(10), 'Waited on hold for an hour'),
    row('A', 0, MARCH(11), 'Waited on hold for an hour'),
    row('A', 6, MARCH(12), 'Waited on hold for an hour and too expensive'),
    row('A', 2, MARCH(13), null, 'Delivery was late'),
    row('A', 10, FEB(2), null),
    row('A', 9, FEB(3), null),
    row('A', 1, FEB(4), 'Long wait on hold'),
    row('A', 4, FEB(5), 'Long wait on hold'),
    row('B', 0, MARCH(14), 'Waited on hold forever'),
    row('B', 5, MARCH(15), 'Waited on hold forever'),
    row('B', 10, MARCH(16), 'Great price'),
  ];
  const res = await t.ok(SUBMIT, { rows });
  expect(res.submitResponses).toMatchObject({ accepted: rows.length, rejected: 0 });
  const themes = await t.ok(`{ themes { id code } }`);
  for (const th of themes.themes) ids[th.code] = th.id;
});
afterAll(() => t.close());

const manager = () => viewers.manager(ids.A);
const MARCH_FILTER = { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' };

const DRIVER = `theme { code } responses mentions promoterMentions passiveMentions detractorMentions
  mentionShare promoterMentionShare passiveMentionShare detractorMentionShare
  mentioning { responses nps } notMentioning { responses nps }
  impact difference zScore pValue significant verdict adjustedPValue discovery
  change { previousImpact impactDelta
    mentionShare { previous current delta zScore significant verdict }
    detractorMentionShare { previous current delta zScore significant verdict }
    promoterMentionShare { previous current verdict }
    mentioning { delta verdict previous { responses nps } } }`;
const DRIVERS = `query($f: ResponseFilter, $c: CompareTo, $tz: String) {
  drivers(filter: $f, compareTo: $c, timeZone: $tz) {
    currentFrom currentTo previousFrom previousTo compareTo unit comparable
    score { responses nps } verbatims untagged untaggedShare
    detractorDrivers { category responses verbatims untagged untaggedShare drivers { ${DRIVER} samples { text question response { score department { code } } } } }
    promoterDrivers { category responses verbatims untagged untaggedShare drivers { theme { code } promoterMentions samples { text response { score } } } }
    themes { theme { code } mentions impact }
    tagging { status }
  } }`;

const byCode = (list: any[], code: string) => list.find((d) => d.theme.code === code);

describe('drivers', () => {
  it('counts mentions, impacts and their test by hand (a MANAGER of A, March against February)', async () => {
    const { drivers: d } = await t.ok(DRIVERS, { f: MARCH_FILTER, c: 'PREVIOUS_CALENDAR_PERIOD' }, { viewer: manager() });
    expect(d).toMatchObject({
      currentFrom: '2026-03-01T00:00:00.000Z',
      previousFrom: '2026-02-01T00:00:00.000Z',
      previousTo: '2026-03-01T00:00:00.000Z',
      compareTo: 'PREVIOUS_CALENDAR_PERIOD',
      unit: 'MONTH',
      comparable: true,
      score: { responses: 12 },
      verbatims: 11,
      untagged: 1,
      tagging: null,
    });
    expect(d.score.nps).toBeCloseTo(16.6667, 4);
    expect(d.untaggedShare).toBeCloseTo(100 / 11, 10);
    expect(d.detractorDrivers).toMatchObject({ category: 'DETRACTOR', responses: 4, verbatims: 4, untagged: 0, untaggedShare: 0 });
    expect(d.promoterDrivers).toMatchObject({ category: 'PROMOTER', responses: 6, verbatims: 5, untagged: 0, untaggedShare: 0 });
    // Detractor drivers, most mentioned by detractors first (ties by code): support_wait 3, then delivery 1, price 1.
    expect(d.detractorDrivers.drivers.map((x: any) => [x.theme.code, x.detractorMentions])).toEqual([
      ['support_wait', 3],
      ['delivery', 1],
      ['price', 1],
    ]);
    expect(d.promoterDrivers.drivers.map((x: any) => [x.theme.code, x.promoterMentions])).toEqual([
      ['delivery', 3],
      ['staff_friendliness', 2],
    ]);

    const wait = byCode(d.detractorDrivers.drivers, 'support_wait');
    expect(wait).toMatchObject({
      responses: 12,
      mentions: 3,
      promoterMentions: 0,
      passiveMentions: 0,
      detractorMentions: 3,
      mentionShare: 25,
      promoterMentionShare: 0,
      passiveMentionShare: 0,
      detractorMentionShare: 75,
      mentioning: { responses: 3, nps: -100 },
      notMentioning: { responses: 9 },
      significant: true,
      verdict: 'SIGNIFICANT_DOWN',
      discovery: true,
    });
    expect(wait.notMentioning.nps).toBeCloseTo(55.5556, 4);
    expect(wait.impact).toBeCloseTo(38.8889, 4);
    expect(wait.difference).toBeCloseTo(-155.5556, 4);
    expect(wait.zScore).toBeCloseTo(-2.5632, 3);
    expect(wait.pValue).toBeCloseTo(0.01037, 4);
    expect(wait.adjustedPValue).toBeCloseTo(0.041482, 4);
    // Against February.
    expect(wait.change.previousImpact).toBeCloseTo(100, 10);
    expect(wait.change.impactDelta).toBeCloseTo(-61.1111, 4);
    expect(wait.change.detractorMentionShare).toMatchObject({ previous: 100, current: 75, delta: -25, significant: false, verdict: 'NO_SIGNIFICANT_CHANGE' });
    expect(wait.change.detractorMentionShare.zScore).toBeCloseTo(-0.774597, 5);
    expect(wait.change.mentionShare).toMatchObject({ previous: 50, current: 25, delta: -25, verdict: 'NO_SIGNIFICANT_CHANGE' });
    expect(wait.change.mentionShare.zScore).toBeCloseTo(-0.934199, 5);
    expect(wait.change.promoterMentionShare).toMatchObject({ previous: 0, current: 0, verdict: 'NO_SIGNIFICANT_CHANGE' });
    expect(wait.change.mentioning).toMatchObject({ delta: 0, previous: { responses: 2, nps: -100 } });
    // Three samples, detractors of A only (the MANAGER's scope), newest first.
    expect(wait.samples).toEqual([
      { text: 'Waited on hold for an hour and too expensive', question: null, response: { score: 6, department: { code: 'A' } } },
      { text: 'Waited on hold for an hour', question: null, response: { score: 0, department: { code: 'A' } } },
      { text: 'Waited on hold for an hour', question: null, response: { score: 3, department: { code: 'A' } } },
    ]);

    const delivery = byCode(d.detractorDrivers.drivers, 'delivery');
    expect(delivery).toMatchObject({ mentions: 4, promoterMentions: 3, detractorMentions: 1, detractorMentionShare: 25, promoterMentionShare: 50, mentioning: { nps: 50 }, notMentioning: { nps: 0 } });
    expect(delivery.impact).toBeCloseTo(-16.6667, 4);
    expect(delivery.zScore).toBeCloseTo(0.70862, 4);
    expect(delivery.verdict).toBe('NO_SIGNIFICANT_CHANGE');
    // Its one detractor mention comes from the follow-up answer: the sample is that answer.
    expect(delivery.samples).toEqual([{ text: 'Delivery was late', question: WHY, response: { score: 2, department: { code: 'A' } } }]);
    const price = byCode(d.detractorDrivers.drivers, 'price');
    expect(price).toMatchObject({ mentions: 2, passiveMentions: 1, detractorMentions: 1, mentioning: { nps: -50 }, notMentioning: { nps: 30 }, discovery: false });
    expect(price.impact).toBeCloseTo(13.3333, 4);
    expect(price.zScore).toBeCloseTo(-1.11212, 4);
    expect(price.adjustedPValue).toBeCloseTo(0.431466, 4);

    const staff = byCode(d.promoterDrivers.drivers, 'staff_friendliness');
    expect(staff.samples.map((s: any) => [s.text, s.response.score])).toEqual([['Friendly staff', 9], ['Friendly staff', 10]]);

    // Every active theme, by impact: support_wait +38.9, price +13.3, the five nobody mentions 0 (by code), then delivery and staff −16.7.
    expect(d.themes.map((x: any) => x.theme.code)).toEqual([
      'support_wait', 'price', 'app_website', 'billing', 'onboarding', 'product_quality', 'resolution', 'delivery', 'staff_friendliness',
    ]);
    expect(byCode(d.themes, 'billing')).toMatchObject({ mentions: 0, impact: 0 });
  });

  it('gives an ADMIN naming A the same figures, and the whole organisation with B', async () => {
    const mine = await t.ok(DRIVERS, { f: MARCH_FILTER, c: 'PREVIOUS_CALENDAR_PERIOD' }, { viewer: manager() });
    const named = await t.ok(DRIVERS, { f: { ...MARCH_FILTER, departmentCodes: ['A'] }, c: 'PREVIOUS_CALENDAR_PERIOD' });
    expect(named).toEqual(mine);
    const all = await t.ok(DRIVERS, { f: MARCH_FILTER, c: 'PREVIOUS_CALENDAR_PERIOD' });
    // B adds 2 detractors mentioning support_wait and a promoter mentioning price: P7 A2 D6, n 15.
    expect(all.drivers.score.responses).toBe(15);
    expect(byCode(all.drivers.detractorDrivers.drivers, 'support_wait')).toMatchObject({ detractorMentions: 5, mentions: 5 });
    expect(byCode(all.drivers.promoterDrivers.drivers, 'price')).toMatchObject({ promoterMentions: 1 });
  });

  it('reads the counts from the per-theme rollup for whole days, and the raw rows for the rest, with the same answer', async () => {
    const q = `query($f: ResponseFilter) { drivers(filter: $f) { themes { theme { code } mentions promoterMentions detractorMentions impact } verbatims untagged } }`;
    const run = async (f: object, raw: boolean) => {
      const ctx = t.ctx();
      ctx.rawFacts = raw;
      const stats = { statements: 0, plans: [] as string[] };
      const res: any = await withQueryStats(stats, () => t.app.apollo.executeOperation({ query: q, variables: { f } }, { contextValue: ctx }));
      return { data: res.body.singleResult.data, plans: stats.plans };
    };
    const whole = await run(MARCH_FILTER, false);
    expect(new Set(whole.plans)).toEqual(new Set(['rollup']));
    expect(whole.data).toEqual((await run(MARCH_FILTER, true)).data);
    // Bounds off the day edges: hybrid, same as the raw rows.
    const ragged = { from: '2026-03-03T10:30:00Z', to: '2026-03-12T10:00:00Z' };
    const hybrid = await run(ragged, false);
    expect(hybrid.plans).toContain('hybrid');
    expect(hybrid.data).toEqual((await run(ragged, true)).data);
    // 3 Mar 10:00 (before the bound) and 12 Mar 10:00 (at the exclusive bound) are out: delivery keeps P1 (4 Mar), support_wait D2.
    expect(byCode(hybrid.data.drivers.themes, 'delivery')).toMatchObject({ mentions: 1, promoterMentions: 1 });
    expect(byCode(hybrid.data.drivers.themes, 'support_wait')).toMatchObject({ mentions: 2, detractorMentions: 2 });
  });

  it('has no comparison without from and to, and refuses a non-calendar range for PREVIOUS_CALENDAR_PERIOD', async () => {
    const open = await t.ok(`{ drivers { comparable previousFrom score { responses } themes { change { impactDelta } } } }`);
    expect(open.drivers).toMatchObject({ comparable: false, previousFrom: null, score: { responses: 19 } });
    expect(open.drivers.themes.every((x: any) => x.change === null)).toBe(true);
    const bad = await t.exec(DRIVERS, { f: { from: '2026-03-01T00:00:00Z', to: '2026-03-15T12:00:00Z' }, c: 'PREVIOUS_CALENDAR_PERIOD' });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0].extensions!.field).toBe('filter.to');
  });

  it('as of an instant (a context counting only responses given before it, as executiveSummary(asOf) counts): the samples leave out later responses, like the counts', async () => {
    // Before 12 March, A's detractors mentioning support_wait are those of 10 and 11 March (the one of 12 March, and
    // the follow-up answer about delivery of 13 March, came later).
    const ctx = t.ctx(manager());
    const asOf: typeof ctx = { ...ctx, respondedBefore: new Date('2026-03-12T00:00:00Z') };
    const march = { from: new Date(MARCH_FILTER.from), to: new Date(MARCH_FILTER.to) };
    const d = await t.app.services.drivers.drivers(asOf, march, CompareTo.PREVIOUS_CALENDAR_PERIOD);
    const wait = byCode(d.detractorDrivers.drivers, 'support_wait');
    expect(wait).toMatchObject({ detractorMentions: 2, mentions: 2 });
    expect(byCode(d.detractorDrivers.drivers, 'delivery')).toBeUndefined();
    // ThemeDriver.samples is resolved with the request's own context (type-graphql hands it to every field resolver),
    // not the one the drivers were counted with: the samples must still stop at the instant.
    const samples = await t.app.services.drivers.samples(ctx, wait);
    expect(samples.map((x) => [x.text, x.response.score])).toEqual([
      ['Waited on hold for an hour', 0],
      ['Waited on hold for an hour', 3],
    ]);
    expect(samples.every((x) => x.response.respondedAt.getTime() < Date.parse('2026-03-12T00:00:00Z'))).toBe(true);
    // The live drivers beside them, in the same request, still sample the newest (12 March).
    const live = await t.app.services.drivers.drivers(ctx, march, CompareTo.PREVIOUS_CALENDAR_PERIOD);
    const liveSamples = await t.app.services.drivers.samples(ctx, byCode(live.detractorDrivers.drivers, 'support_wait'));
    expect(liveSamples.map((x) => x.response.score)).toEqual([6, 0, 3]);
  });

  it('keeps a MANAGER inside its subtree and refuses INTEGRATION keys', async () => {
    const outside = await t.exec(DRIVERS, { f: { departmentIds: [ids.B] } }, { viewer: manager() });
    expect(codes(outside)).toEqual(['FORBIDDEN']);
    const integration = await t.exec(`{ drivers { verbatims } }`, {}, { viewer: viewers.integration });
    expect(codes(integration)).toEqual(['FORBIDDEN']);
  });
});

describe('breakdowns from verbatims', () => {
  it('THEME: a response counts under each theme it mentions', async () => {
    const res = await t.ok(`query($f: ResponseFilter) { npsBreakdown(by: THEME, filter: $f) { value id theme { code } score { responses promoters detractors } } }`, {
      f: { ...MARCH_FILTER, departmentCodes: ['A'] },
    });
    // Most responses first (price and staff_friendliness tie at 2; ties go by the value, a theme id).
    expect(res.npsBreakdown.map((i: any) => i.score.responses)).toEqual([4, 3, 2, 2]);
    expect(res.npsBreakdown.map((i: any) => [i.theme.code, i.score.responses, i.score.promoters, i.score.detractors]).sort()).toEqual([
      ['delivery', 4, 3, 1],
      ['price', 2, 0, 1],
      ['staff_friendliness', 2, 2, 0],
      ['support_wait', 3, 0, 3],
    ]);
    expect(res.npsBreakdown[0]).toMatchObject({ id: ids.delivery, value: ids.delivery });
  });

  it('FOLLOW_UP_ANSWER: by the answer to "Why did you give that score?" (null: no answer)', async () => {
    const res = await t.ok(`{ npsBreakdown(by: FOLLOW_UP_ANSWER, filter: { departmentCodes: ["A"] }) { value score { responses detractors } } }`);
    expect(res.npsBreakdown).toEqual([
      { value: null, score: { responses: 15, detractors: 5 } },
      { value: 'Delivery was late', score: { responses: 1, detractors: 1 } },
    ]);
    const other = await t.ok(`{ npsBreakdown(by: FOLLOW_UP_ANSWER, question: "what else?") { value score { responses } } }`);
    expect(other.npsBreakdown).toEqual([{ value: null, score: { responses: 19 } }]);
    const wrong = await t.exec(`{ npsBreakdown(by: CHANNEL, question: "${WHY}") { value } }`);
    expect(wrong.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'question' });
  });
});
