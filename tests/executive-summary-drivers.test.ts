import { codes, createTestApp, TestApp, viewers } from './support/test-app';
import { countStatements, isByIdLookup } from './support/statements';

/**
 * executiveSummary.drivers(limit): the top detractor and promoter drivers of the summary's period,
 * which must be drivers(filter: { from, to }, compareTo, timeZone) for the same key with its lists
 * cut to `limit`; as of an instant, only responses given before it (counts and samples); its limit
 * checked before anything is counted; a statement count that does not grow with the organisation.
 *
 * Stored through submitResponses (so tagged when stored) with the default themes; survey TX; March
 * 2026 against February (PREVIOUS_CALENDAR_PERIOD, UTC). Tree: CO -> A, B.
 *
 *   A, March  promoters  2 Mar "Delivery was fast", 3 Mar "Delivery was fast", 5 Mar "Friendly staff", 7 Mar no verbatim
 *             passive    8 Mar "A bit expensive"
 *             detractors 10 Mar "Waited on hold for an hour" (3), 11 Mar the same (0), 12 Mar "... and too expensive" (6),
 *                        13 Mar no comment, answer "Delivery was late" (2), 14 Mar "The invoice was wrong" (4)
 *   A, Feb    10 no verbatim, 1 and 4 "Long wait on hold", 2 "Delivery was late"
 *   B, March  15 Mar "Waited on hold forever" (0), 16 Mar "The app keeps crashing" (5), 17 Mar "Great price" (10)
 *
 * Detractor mentions in March: the company support_wait 4 (A 3, B 1), app_website 1, billing 1, delivery 1, price 1
 * (5 themes: the top 3 are support_wait, then app_website and billing by code); A's subtree support_wait 3, billing 1,
 * delivery 1, price 1. Promoters: delivery 2, price 1 (B), staff_friendliness 1.
 * As of 12 March 00:00: A's responses of 2 to 11 March only: detractors support_wait 2 (10 and 11 March), promoters
 * delivery 2 and staff_friendliness 1.
 */
let t: TestApp;
const ids: Record<string, string> = {};
let seq = 0;

const NOW = () => new Date('2026-04-15T00:00:00Z');
const MARCH = { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' };
const CAL = 'PREVIOUS_CALENDAR_PERIOD';
const AS_OF = '2026-03-12T00:00:00Z';
const WHY = 'Why did you give that score?';
const SUBMIT = `mutation($rows: [ResponseInput!]!) { submitResponses(responses: $rows) { accepted rejected results { error { message } } } }`;

const day = (month: number, d: number, hour = 10) => `2026-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;
function row(dept: string, score: number, at: string, comment: string | null, why?: string) {
  return { externalRef: `ed-${seq++}`, surveyCode: 'TX', departmentCode: dept, score, respondedAt: at, comment, followUpAnswers: why ? [{ question: WHY, answer: why }] : null };
}
async function submit(rows: ReturnType<typeof row>[]): Promise<void> {
  const res = await t.ok(SUBMIT, { rows }, { now: NOW });
  expect(res.submitResponses).toMatchObject({ accepted: rows.length, rejected: 0 });
}

const DRIVER = `theme { code name } responses mentions promoterMentions passiveMentions detractorMentions
  mentionShare promoterMentionShare passiveMentionShare detractorMentionShare
  mentioning { responses nps marginOfError } notMentioning { responses nps }
  impact difference zScore pValue significant verdict adjustedPValue discovery
  change { previousImpact impactDelta mentionShare { previous current delta verdict } detractorMentionShare { previous current delta zScore verdict }
           promoterMentionShare { previous current verdict } mentioning { delta verdict previous { responses nps } } }
  samples { text question response { id score respondedAt department { code } } }`;
const LIST = `category responses verbatims untagged untaggedShare drivers { ${DRIVER} }`;
const SECTION = `comparable verbatims untagged untaggedShare tagging { status }
  detractorDrivers { ${LIST} themesMentioned } promoterDrivers { ${LIST} themesMentioned }`;

const SUMMARY = `query($from: DateTimeISO!, $to: DateTimeISO!, $c: CompareTo, $z: String, $asOf: DateTimeISO, $limit: Int) {
  executiveSummary(from: $from, to: $to, compareTo: $c, timeZone: $z, asOf: $asOf) { asOf drivers(limit: $limit) { ${SECTION} } } }`;
const SUMMARY_DEFAULT = `query($from: DateTimeISO!, $to: DateTimeISO!, $c: CompareTo) {
  executiveSummary(from: $from, to: $to, compareTo: $c) { drivers { detractorDrivers { themesMentioned drivers { theme { code } } } promoterDrivers { drivers { theme { code } } } } } }`;
const SINGLE = `query($f: ResponseFilter, $c: CompareTo, $z: String) {
  drivers(filter: $f, compareTo: $c, timeZone: $z) { comparable verbatims untagged untaggedShare tagging { status }
    detractorDrivers { ${LIST} } promoterDrivers { ${LIST} } } }`;

type Opts = Parameters<TestApp['ok']>[2];
const summary = async (vars: Record<string, unknown>, opts: Opts = {}) => (await t.ok(SUMMARY, { ...MARCH, c: CAL, ...vars }, { now: NOW, ...opts })).executiveSummary.drivers;
const single = async (vars: { from: string; to: string; c?: string; z?: string }, opts: Opts = {}) =>
  (await t.ok(SINGLE, { f: { from: vars.from, to: vars.to }, c: vars.c, z: vars.z }, { now: NOW, ...opts })).drivers;

/** What the summary's section must be: the single query's answer, each list cut to `limit`. */
function cut(d: any, limit: number) {
  const list = (l: any) => ({ ...l, themesMentioned: l.drivers.length, drivers: l.drivers.slice(0, limit) });
  return { ...d, detractorDrivers: list(d.detractorDrivers), promoterDrivers: list(d.promoterDrivers) };
}
const themesOf = (l: any) => l.drivers.map((d: any) => [d.theme.code, d.detractorMentions, d.promoterMentions]);
const errorsOf = (res: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => (res.errors ?? []).map((e) => ({ code: e.extensions?.code, field: e.extensions?.field }));

beforeAll(async () => {
  t = await createTestApp({ LOW_SAMPLE_THRESHOLD: '5' });
  for (const [code, parent] of [['CO', null], ['A', 'CO'], ['B', 'CO']] as const) {
    ids[code] = (await t.ok(`mutation($i: DepartmentInput!) { upsertDepartment(input: $i) { id } }`, { i: { code, name: code, parentCode: parent } })).upsertDepartment.id;
  }
  await t.ok(`mutation { upsertSurvey(input: { code: "TX", name: "Support", kind: TRANSACTIONAL }) { id } }`);
  await submit([
    row('A', 10, day(3, 2), 'Delivery was fast'),
    row('A', 10, day(3, 3), 'Delivery was fast'),
    row('A', 9, day(3, 5), 'Friendly staff'),
    row('A', 10, day(3, 7), null),
    row('A', 8, day(3, 8), 'A bit expensive'),
    row('A', 3, day(3, 10), 'Waited on hold for an hour'),
    row('A', 0, day(3, 11), 'Waited on hold for an hour'),
    row('A', 6, day(3, 12), 'Waited on hold for an hour and too expensive'),
    row('A', 2, day(3, 13), null, 'Delivery was late'),
    row('A', 4, day(3, 14), 'The invoice was wrong'),
    row('A', 10, day(2, 2), null),
    row('A', 1, day(2, 3), 'Long wait on hold'),
    row('A', 4, day(2, 4), 'Long wait on hold'),
    row('A', 2, day(2, 5), 'Delivery was late'),
    row('B', 0, day(3, 15), 'Waited on hold forever'),
    row('B', 5, day(3, 16), 'The app keeps crashing'),
    row('B', 10, day(3, 17), 'Great price'),
  ]);
});
afterAll(() => t.close());

describe('executiveSummary.drivers', () => {
  it('lists the top 3 detractor and promoter drivers of the company by default, most mentioned first (by hand)', async () => {
    const d = (await t.ok(SUMMARY_DEFAULT, { ...MARCH, c: CAL }, { now: NOW })).executiveSummary.drivers;
    expect(d.detractorDrivers.themesMentioned).toBe(5);
    expect(d.detractorDrivers.drivers.map((x: any) => x.theme.code)).toEqual(['support_wait', 'app_website', 'billing']);
    expect(d.promoterDrivers.drivers.map((x: any) => x.theme.code)).toEqual(['delivery', 'price', 'staff_friendliness']);
    const full = await summary({});
    expect(themesOf(full.detractorDrivers)).toEqual([['support_wait', 4, 0], ['app_website', 1, 0], ['billing', 1, 0]]);
    expect(full.detractorDrivers).toMatchObject({ category: 'DETRACTOR', responses: 7, verbatims: 7, untagged: 0 });
    // support_wait's samples: the three newest detractors mentioning it (B 15 March, then A 12 and 11 March), with their change against February.
    const wait = full.detractorDrivers.drivers[0];
    expect(wait.samples.map((s: any) => [s.response.score, s.response.department.code])).toEqual([[0, 'B'], [6, 'A'], [0, 'A']]);
    expect(wait.change.detractorMentionShare).toMatchObject({ previous: 200 / 3, current: (100 * 4) / 7 });
    expect(full.comparable).toBe(true);
  });

  it('equals drivers(filter: { from, to }, compareTo, timeZone) cut to the limit, as ADMIN and as the MANAGER of A', async () => {
    const cases: { vars: { from: string; to: string; c: string; z?: string }; limit: number }[] = [
      { vars: { ...MARCH, c: CAL }, limit: 3 },
      { vars: { ...MARCH, c: CAL }, limit: 1 },
      { vars: { ...MARCH, c: CAL }, limit: 20 },
      { vars: { from: '2026-03-01T00:00:00+01:00', to: '2026-04-01T00:00:00+02:00', c: CAL, z: 'Europe/Paris' }, limit: 2 },
      { vars: { from: '2026-03-05T00:00:00Z', to: '2026-03-15T00:00:00Z', c: 'PREVIOUS_PERIOD' }, limit: 3 },
    ];
    for (const viewer of [viewers.admin, viewers.manager(ids.A)]) {
      for (const { vars, limit } of cases) {
        const s = await summary({ ...vars, limit }, { viewer });
        expect(s).toEqual(cut(await single(vars, { viewer }), limit));
      }
    }
    // The MANAGER's company is A's subtree: B's mentions are not counted, nor sampled.
    const mine = await summary({}, { viewer: viewers.manager(ids.A) });
    expect(themesOf(mine.detractorDrivers)).toEqual([['support_wait', 3, 0], ['billing', 1, 0], ['delivery', 1, 2]]);
    expect(mine.detractorDrivers.themesMentioned).toBe(4);
    const sampled = [...mine.detractorDrivers.drivers, ...mine.promoterDrivers.drivers].flatMap((d: any) => d.samples.map((s: any) => s.response.department.code));
    expect(sampled.length).toBeGreaterThan(0);
    expect(new Set(sampled)).toEqual(new Set(['A']));
  });

  it('as of an instant counts and samples only responses given before it; a response given later does not appear in the past report', async () => {
    const before = await summary({ asOf: AS_OF });
    expect(themesOf(before.detractorDrivers)).toEqual([['support_wait', 2, 0]]);
    expect(before.detractorDrivers).toMatchObject({ responses: 2, themesMentioned: 1 });
    expect(themesOf(before.promoterDrivers)).toEqual([['delivery', 0, 2], ['staff_friendliness', 0, 1]]);
    const samples = (l: any) => l.drivers.flatMap((d: any) => d.samples.map((s: any) => s.response.respondedAt));
    const all = [...samples(before.detractorDrivers), ...samples(before.promoterDrivers)];
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((at: string) => Date.parse(at) < Date.parse(AS_OF))).toBe(true);
    expect(before.detractorDrivers.drivers[0].samples.map((s: any) => [s.response.score, s.response.respondedAt])).toEqual([
      [0, '2026-03-11T10:00:00.000Z'],
      [3, '2026-03-10T10:00:00.000Z'],
    ]);
    // The counts are those of drivers over the responses given before the instant.
    const upTo = await single({ from: MARCH.from, to: AS_OF });
    for (const key of ['detractorDrivers', 'promoterDrivers']) {
      expect(before[key].drivers.map((d: any) => [d.theme.code, d.mentions, d.mentioning, d.samples])).toEqual(
        upTo[key].drivers.map((d: any) => [d.theme.code, d.mentions, d.mentioning, d.samples]),
      );
    }

    // A detractor stored now, given after the instant (20 March): live it is support_wait's newest sample; the past report is unchanged.
    await submit([row('A', 1, day(3, 20), 'Waited on hold all morning')]);
    expect(await summary({ asOf: AS_OF })).toEqual(before);
    const live = await summary({});
    expect(live.detractorDrivers.drivers[0]).toMatchObject({ theme: { code: 'support_wait' }, detractorMentions: 5 });
    expect(live.detractorDrivers.drivers[0].samples[0]).toMatchObject({ text: 'Waited on hold all morning', response: { respondedAt: '2026-03-20T10:00:00.000Z' } });
    // asOf after the period: the live figures.
    expect(await summary({ asOf: '2026-04-10T00:00:00Z' })).toEqual(live);

    // Late data (README, "Reproducible, not frozen"): a response given before the instant but stored after it counts
    // in the past report, and is sampled there, counts and samples alike.
    await submit([row('A', 5, '2026-03-11T20:00:00Z', 'Still waiting on hold')]);
    const late = await summary({ asOf: AS_OF });
    expect(themesOf(late.detractorDrivers)).toEqual([['support_wait', 3, 0]]);
    expect(late.detractorDrivers.drivers[0].samples.map((s: any) => s.response.score)).toEqual([5, 0, 3]);
  });

  it('answers BAD_USER_INPUT naming limit outside 1..20, before counting anything; refuses INTEGRATION keys', async () => {
    const q = `query($from: DateTimeISO!, $to: DateTimeISO!, $limit: Int) { executiveSummary(from: $from, to: $to) { drivers(limit: $limit) { verbatims } } }`;
    for (const limit of [0, -1, 21]) {
      const { count, result: res } = await countStatements(() => t.exec(q, { ...MARCH, limit }, { now: NOW }));
      expect(errorsOf(res)).toEqual([{ code: 'BAD_USER_INPUT', field: 'limit' }]);
      expect(res.errors![0].message).toMatch(/limit must be between 1 and 20/);
      expect(res.data).toBeNull();
      expect(count).toBe(0);
    }
    for (const limit of [1, 20]) expect((await t.ok(q, { ...MARCH, limit }, { now: NOW })).executiveSummary.drivers.verbatims).toBeGreaterThan(0);
    expect(codes(await t.exec(q, { ...MARCH }, { viewer: viewers.integration, now: NOW }))).toEqual(['FORBIDDEN']);
  });

  it('sends the same number of statements for an organisation with 2 more teams and for one with 40 more teams', async () => {
    /** A division under CO of `teams` teams, each with March and February responses whose verbatims mention themes. */
    async function division(root: string, teams: number): Promise<void> {
      const [div] = await t.db.dataSource.query(`INSERT INTO departments (code, name, parent_id) VALUES ($1, $1, $2) RETURNING id`, [root, ids.CO]);
      ids[root] = div.id;
      const rows: ReturnType<typeof row>[] = [];
      for (let i = 0; i < teams; i++) {
        const code = `${root}-${i}`;
        await t.db.dataSource.query(`INSERT INTO departments (code, name, parent_id) VALUES ($1, $1, $2)`, [code, div.id]);
        rows.push(
          row(code, i % 7, day(3, 1 + (i % 27), 9), i % 2 ? 'Waited on hold, then the invoice was wrong' : 'The app crashed at checkout'),
          row(code, 10, day(3, 1 + (i % 27), 11), i % 3 ? 'Friendly staff, fast delivery' : 'Great price'),
          row(code, 8, day(3, 2 + (i % 26), 12), 'Fine.'),
          row(code, 3, day(2, 1 + (i % 27), 9), 'Too expensive'),
        );
      }
      await submit(rows);
    }
    const QUERY = `query($from: DateTimeISO!, $to: DateTimeISO!) { executiveSummary(from: $from, to: $to, compareTo: ${CAL}) {
      drivers(limit: 20) { comparable verbatims untaggedShare tagging { status }
        detractorDrivers { responses untaggedShare themesMentioned drivers { theme { code name } detractorMentions detractorMentionShare impact discovery
          change { impactDelta detractorMentionShare { delta verdict } } samples { text question response { score respondedAt department { code } } } } }
        promoterDrivers { themesMentioned drivers { theme { code } promoterMentions impact samples { text response { department { code } } } } } } } }`;
    const measure = async (viewer = viewers.admin) => {
      const { count, result, sql } = await countStatements(() => t.ok(QUERY, MARCH, { now: NOW, viewer }));
      const lookups = sql.filter(isByIdLookup).length;
      return { count, lookups, rest: count - lookups, data: result.executiveSummary.drivers };
    };

    await division('SML', 2);
    await measure(); // the compiled themes are cached per process: warm them before counting
    const small = await measure();
    const smallManager = await measure(viewers.manager(ids.SML));
    await division('BIG', 40);
    const large = await measure();
    const largeManager = await measure(viewers.manager(ids.BIG));

    // The large organisation has more themes to list, each with its samples from many more departments.
    expect(large.data.verbatims).toBeGreaterThan(small.data.verbatims + 100);
    expect(largeManager.data.detractorDrivers.themesMentioned).toBeGreaterThanOrEqual(3);
    const departmentsSampled = (d: any) => new Set(d.detractorDrivers.drivers.flatMap((x: any) => x.samples.map((s: any) => s.response.department.code))).size;
    expect(departmentsSampled(largeManager.data)).toBeGreaterThan(3);
    // Counts, themes, tagging job, theme set version and samples: a fixed number of statements; the departments of the
    // samples are batched lookups by id, never one per department or theme.
    expect(large.rest).toBe(small.rest);
    expect(largeManager.rest).toBe(smallManager.rest);
    for (const m of [small, large, smallManager, largeManager]) expect(m.lookups).toBeLessThanOrEqual(2);
    if (t.db.kind === 'pglite') {
      expect([small.count, large.count, smallManager.count, largeManager.count]).toEqual([6, 6, 6, 6]);
    }
  });
});
