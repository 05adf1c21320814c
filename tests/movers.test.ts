import { codes, createTestApp, TestApp, viewers } from './support/test-app';
import { countStatements } from './support/statements';
import { insertDept, insertScores } from './support/org-fixture';

/**
 * movers, DepartmentScore.change / NpsBreakdownItem.change and departmentScores(levels) on a
 * hand-built data set. April 2025 (UTC) against March 2025 (PREVIOUS_CALENDAR_PERIOD).
 *
 * Tree: CO -> A -> A1, A2; CO -> B, C, D. Surveys REL (RELATIONSHIP, channel email) and TX
 * (TRANSACTIONAL, channel phone). Counts as promoters / passives / detractors:
 *
 *   leaf  March (10 March)                 April (10 April; D on 20 April)
 *   A1    REL 40/30/30 (NPS 10)            REL 60/25/15 (NPS 45)
 *   A2    REL 50/30/20 (NPS 30)            REL 61/29/10 (NPS 51)
 *   B     REL 40/32/8 + TX 4/8/8           REL 10/8/2 + TX 16/32/32
 *         = 44/40/16 (NPS 28)              = 26/40/34 (NPS -8)   REL NPS 40 and TX NPS -20 in both months: only the mix moved
 *   C     REL 0/0/10 (NPS -100)            REL 10/0/0 (NPS 100)  10 responses: low sample
 *   D     REL 40/40/20 (NPS 20)            REL 42/38/20 (NPS 22)
 *   total 174/140/96 n 410 (NPS 19.024390) 199/132/79 n 410 (NPS 29.268293): change 10.243902
 *
 * Contributions (100 (P - D) / 410, April minus March): A1 8.536585, A2 5.121951, B -8.780488, C 4.878049,
 * D 0.487805; they add up to 10.243902.
 * Changes (adjusted Wald, as src/scoring/mover-list.spec.ts): p A1 0.0019271, A2 0.045265 (z 2.00218: significant
 * alone), B 0.00077823, C 4.2475e-13, D 0.85295. Benjamini-Hochberg over the 5 departments: thresholds
 * .01 .02 .03 .04 .05 for C, B, A1, A2, D: A2's 0.045265 > 0.04 and D's > 0.05, A1's 0.0019 <= 0.03, so C, B, A1
 * are discoveries and A2 is not (adjusted min(5/4 x 0.045265, 0.85295) = 0.056581).
 * Survey mix of B: RELATIONSHIP 80% -> 20% (shift -60), TRANSACTIONAL 20% -> 80%; mix-adjusted NPS
 * 0.8 x 40 + 0.2 x (-20) = 28 = March's: mix-adjusted change 0 beside the raw -36.
 * Total mix: RELATIONSHIP 390/410 = 95.1220% -> 330/410 = 80.4878% (shift -14.634 > 10); RELATIONSHIP NPS
 * 100 x 82/390 = 21.0256 -> 100 x 136/330 = 41.2121, TRANSACTIONAL -20 both; mix-adjusted
 * 390/410 x 41.2121 + 20/410 x (-20) = 38.2262, change 19.2018 beside the raw 10.2439.
 * By channel: email = REL = 170/132/88 -> 183/100/47 (NPS 21.0256 -> 41.2121, z 3.55567, p 0.00037701);
 * phone = TX = 4/8/8 -> 16/32/32 (NPS -20 both, p 0.91463).
 */
let t: TestApp;
const ids: Record<string, string> = {};
const APRIL = { from: '2025-04-01T00:00:00Z', to: '2025-05-01T00:00:00Z' };
const CAL = 'PREVIOUS_CALENDAR_PERIOD';
const sql = (text: string, values?: unknown[]) => t.db.dataSource.query(text, values);

const dept = (code: string, parent: string | null) => insertDept(sql, ids, code, parent);
/** p promoters (10), a passives (8), d detractors (0), one second apart from `at` (insertScores). */
const bulk = (code: string | null, survey: 'REL' | 'TX', counts: [number, number, number], at: string) => insertScores(sql, ids, code, survey, counts, at);

const MARCH_AT = '2025-03-10T10:00:00Z';
const APRIL_AT = '2025-04-10T10:00:00Z';

beforeAll(async () => {
  t = await createTestApp();
  for (const [code, kind] of [['REL', 'RELATIONSHIP'], ['TX', 'TRANSACTIONAL']]) {
    const [s] = await sql(`INSERT INTO surveys (code, name, kind) VALUES ($1, $2, $3) RETURNING id`, [code, `Survey ${code}`, kind]);
    ids[code] = s.id;
  }
  await dept('CO', null);
  await dept('A', 'CO');
  await dept('A1', 'A');
  await dept('A2', 'A');
  for (const code of ['B', 'C', 'D']) await dept(code, 'CO');
  await bulk('A1', 'REL', [40, 30, 30], MARCH_AT);
  await bulk('A1', 'REL', [60, 25, 15], APRIL_AT);
  await bulk('A2', 'REL', [50, 30, 20], MARCH_AT);
  await bulk('A2', 'REL', [61, 29, 10], APRIL_AT);
  await bulk('B', 'REL', [40, 32, 8], MARCH_AT);
  await bulk('B', 'TX', [4, 8, 8], MARCH_AT);
  await bulk('B', 'REL', [10, 8, 2], APRIL_AT);
  await bulk('B', 'TX', [16, 32, 32], APRIL_AT);
  await bulk('C', 'REL', [0, 0, 10], MARCH_AT);
  await bulk('C', 'REL', [10, 0, 0], APRIL_AT);
  await bulk('D', 'REL', [40, 40, 20], MARCH_AT);
  await bulk('D', 'REL', [42, 38, 20], '2025-04-20T10:00:00Z');
  const create = `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }`;
  ids.segRel = (await t.ok(create, { input: { name: 'Relationship', filter: { surveyKind: 'RELATIONSHIP' } } })).createSegment.id;
  ids.segLate = (await t.ok(create, { input: { name: 'Since 15 April', filter: { from: '2025-04-15T00:00:00Z' } } })).createSegment.id;
});
afterAll(() => t.close());

const SCORE = 'responses promoters passives detractors nps lowSample';
const MIX = 'kinds { kind previousResponses currentResponses previousShare currentShare shift previousNps currentNps } maxShift mixShifted rawChange mixAdjustedNps mixAdjustedChange';
const MOVERS = `query($f: ResponseFilter!, $c: CompareTo, $z: String, $k: [MoverKind!], $d: [BreakdownDimension!], $s: Boolean, $l: Int) {
  movers(filter: $f, compareTo: $c, timeZone: $z, kinds: $k, dimensions: $d, significantOnly: $s, limit: $l) {
    total { previousFrom previousTo unit comparable current { ${SCORE} } previous { ${SCORE} } change { delta verdict } }
    totalSurveyMix { ${MIX} }
    partialPeriod falseDiscoveryRate tests discoveries
    movers {
      kind dimension value id label ownResponsesOnly rank contribution previousResponseShare currentResponseShare
      adjustedPValue discovery lowSample partial mixShifted
      current { ${SCORE} } change { delta zScore pValue significant verdict previous { ${SCORE} } }
      surveyMix { ${MIX} }
      department { code } segment { name } survey { code } agent { name }
    }
  }
}`;

const errorsOf = (res: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
  (res.errors ?? []).map((e) => ({ code: e.extensions?.code, field: e.extensions?.field }));

async function movers(vars: Record<string, unknown>, opts?: Parameters<TestApp['ok']>[2]): Promise<any> {
  return (await t.ok(MOVERS, { f: APRIL, c: CAL, ...vars }, opts)).movers;
}

describe('movers: departments', () => {
  it('lists the discoveries ranked by |contribution|: B, A1, C; A2 (p 0.045, significant alone) does not survive Benjamini-Hochberg', async () => {
    const m = await movers({ k: ['DEPARTMENT'] });
    expect(m.total).toMatchObject({ previousFrom: '2025-03-01T00:00:00.000Z', previousTo: '2025-04-01T00:00:00.000Z', unit: 'MONTH', comparable: true });
    expect(m.total.current).toMatchObject({ responses: 410, promoters: 199, passives: 132, detractors: 79 });
    expect(m.total.previous).toMatchObject({ responses: 410, promoters: 174, passives: 140, detractors: 96 });
    expect(m.total.change.delta).toBeCloseTo(10.243902, 6);
    expect({ q: m.falseDiscoveryRate, tests: m.tests, discoveries: m.discoveries, partial: m.partialPeriod }).toEqual({ q: 0.05, tests: 5, discoveries: 3, partial: false });
    expect(m.movers.map((x: any) => [x.label, x.rank, x.kind, x.department.code, x.discovery])).toEqual([
      ['Dept B', 1, 'DEPARTMENT', 'B', true],
      ['Dept A1', 2, 'DEPARTMENT', 'A1', true],
      ['Dept C', 3, 'DEPARTMENT', 'C', true],
    ]);
    const [b, a1, c] = m.movers;
    expect(b.contribution).toBeCloseTo(-8.780488, 6);
    expect(a1.contribution).toBeCloseTo(8.536585, 6);
    expect(c.contribution).toBeCloseTo(4.878049, 6);
    expect(b.change).toMatchObject({ delta: -36, verdict: 'SIGNIFICANT_DOWN', previous: { responses: 100, nps: 28 } });
    expect(b.change.zScore).toBeCloseTo(-3.36042, 4);
    expect(a1.adjustedPValue).toBeCloseTo(0.0032118, 6);
    expect(b.previousResponseShare).toBeCloseTo(100 / 4.1, 9);
    expect(m.movers.every((x: any) => x.ownResponsesOnly === false && x.partial === false && x.dimension === null && x.value === null)).toBe(true);
  });

  it('with significantOnly false, lists every department: the contributions add up to the total change', async () => {
    const m = await movers({ k: ['DEPARTMENT'], s: false });
    expect(m.movers.map((x: any) => x.department.code)).toEqual(['B', 'A1', 'A2', 'C', 'D']);
    expect(m.movers.map((x: any) => x.rank)).toEqual([1, 2, 3, 4, 5]);
    const sum = m.movers.reduce((s: number, x: any) => s + x.contribution, 0);
    expect(sum).toBeCloseTo(10.243902, 6);
    expect(sum).toBeCloseTo(m.total.change.delta, 12);
    const a2 = m.movers[2];
    expect(a2.contribution).toBeCloseTo(5.121951, 6);
    expect(a2.change).toMatchObject({ significant: true, verdict: 'SIGNIFICANT_UP' });
    expect(a2.change.pValue).toBeCloseTo(0.045265, 5);
    expect(a2.adjustedPValue).toBeCloseTo(0.056581, 5);
    expect(a2.discovery).toBe(false);
    expect(m.movers[4].contribution).toBeCloseTo(0.487805, 6);
  });

  it('flags the low sample (C: 10 responses a month) and the survey-mix shift of B, with its mix-adjusted change', async () => {
    const m = await movers({ k: ['DEPARTMENT'] });
    const by = Object.fromEntries(m.movers.map((x: any) => [x.department.code, x]));
    expect([by.B.lowSample, by.A1.lowSample, by.C.lowSample]).toEqual([false, false, true]);
    expect(by.C.current).toMatchObject({ responses: 10, lowSample: true });
    expect(by.B.mixShifted).toBe(true);
    expect(by.B.surveyMix).toMatchObject({ maxShift: 60, mixShifted: true, rawChange: -36 });
    expect(by.B.surveyMix.mixAdjustedNps).toBeCloseTo(28, 9);
    expect(by.B.surveyMix.mixAdjustedChange).toBeCloseTo(0, 9);
    const kinds = Object.fromEntries(by.B.surveyMix.kinds.map((k: any) => [k.kind, k]));
    expect(kinds.RELATIONSHIP).toMatchObject({ previousResponses: 80, currentResponses: 20, previousShare: 80, currentShare: 20, shift: -60, previousNps: 40, currentNps: 40 });
    expect(kinds.TRANSACTIONAL).toMatchObject({ previousResponses: 20, currentResponses: 80, previousShare: 20, currentShare: 80, shift: 60, previousNps: -20, currentNps: -20 });
    // A1 has one kind only: nothing shifted, its mix-adjusted change is its raw change.
    expect(by.A1.surveyMix).toMatchObject({ maxShift: 0, mixShifted: false, rawChange: 35 });
    expect(by.A1.surveyMix.mixAdjustedChange).toBeCloseTo(35, 9);
    // The total: relationship share 95.12% -> 80.49%.
    const total = m.totalSurveyMix;
    expect(total.mixShifted).toBe(true);
    expect(total.maxShift).toBeCloseTo(14.634146, 5);
    expect(total.rawChange).toBeCloseTo(10.243902, 6);
    expect(total.mixAdjustedNps).toBeCloseTo(38.226164, 5);
    expect(total.mixAdjustedChange).toBeCloseTo(19.201774, 5);
  });

  it('flags every mover partial while the current period runs (now = 18 April)', async () => {
    const m = await movers({ k: ['DEPARTMENT'] }, { now: () => new Date('2025-04-18T00:00:00Z') });
    expect(m.partialPeriod).toBe(true);
    expect(m.movers.length).toBe(3);
    expect(m.movers.every((x: any) => x.partial)).toBe(true);
  });
});

describe('movers: segments and breakdown values', () => {
  it('screens every family together (12 tests), ranks across them, and keeps each partition adding up', async () => {
    const m = await movers({ s: false, l: 500 });
    // Departments 5, CHANNEL 2, SURVEY 2, SURVEY_KIND 2, segment "Relationship" 1 ("Since 15 April" has no March responses: untested).
    // TOUCHPOINT, REGION, PLAN and AGENT have one value (none) holding every response: left out.
    expect(m.tests).toBe(12);
    expect(m.movers.some((x: any) => ['TOUCHPOINT', 'REGION', 'PLAN', 'AGENT'].includes(x.dimension))).toBe(false);
    const families: Record<string, any[]> = {};
    for (const x of m.movers) (families[x.dimension ?? x.kind] ??= []).push(x);
    for (const f of ['DEPARTMENT', 'CHANNEL', 'SURVEY', 'SURVEY_KIND']) {
      expect(families[f].reduce((s: number, x: any) => s + x.contribution, 0)).toBeCloseTo(10.243902, 6);
    }
    const email = families.CHANNEL.find((x: any) => x.value === 'email');
    expect(email).toMatchObject({ kind: 'BREAKDOWN', label: 'email', id: null, current: { responses: 330 }, change: { previous: { responses: 390 }, verdict: 'SIGNIFICANT_UP' } });
    expect(email.contribution).toBeCloseTo(13.170732, 6);
    expect(families.SURVEY.map((x: any) => [x.survey.code, x.id === ids[x.survey.code], x.label])).toEqual([
      ['REL', true, 'Survey REL'],
      ['TX', true, 'Survey TX'],
    ]);
    const late = families.SEGMENT.find((x: any) => x.segment.name === 'Since 15 April');
    // The segment's own from cuts April (and all of March): partial, untested, D's April responses only.
    expect(late).toMatchObject({ partial: true, adjustedPValue: null, discovery: false, current: { responses: 100 }, change: { verdict: 'NOT_COMPARABLE', previous: { responses: 0 } } });
    expect(late.contribution).toBeCloseTo((100 * 22) / 410, 9);
    expect(families.SEGMENT.find((x: any) => x.segment.name === 'Relationship')).toMatchObject({ partial: false, current: { responses: 330 } });
  });

  it('by default lists the 7 discoveries, ties (the same responses seen four ways) in family order', async () => {
    // m = 12, sorted p: C, then email = REL survey = RELATIONSHIP = segment (0.00037701, adjusted 12/5 x = 0.00090483), B, A1;
    // A2's 0.045265 is 8th: 0.045265 > 8 x 0.05 / 12 = 0.0333 (and nothing later qualifies): 7 discoveries.
    const m = await movers({});
    expect(m.discoveries).toBe(7);
    expect(m.movers.map((x: any) => [x.kind, x.dimension, x.label])).toEqual([
      ['BREAKDOWN', 'CHANNEL', 'email'],
      ['BREAKDOWN', 'SURVEY', 'Survey REL'],
      ['BREAKDOWN', 'SURVEY_KIND', 'RELATIONSHIP'],
      ['SEGMENT', null, 'Relationship'],
      ['DEPARTMENT', null, 'Dept B'],
      ['DEPARTMENT', null, 'Dept A1'],
      ['DEPARTMENT', null, 'Dept C'],
    ]);
    expect(m.movers[0].adjustedPValue).toBeCloseTo(0.00090483, 7);
    expect((await movers({ l: 2 })).movers.map((x: any) => x.label)).toEqual(['email', 'Survey REL']);
  });
});

describe('DepartmentScore.change, NpsBreakdownItem.change and departmentScores(levels)', () => {
  const DS = `query($f: ResponseFilter, $p: ID, $l: Int, $c: CompareTo, $z: String) { departmentScores(filter: $f, parentId: $p, levels: $l, compareTo: $c, timeZone: $z) {
    depth department { code } parent { code } score { ${SCORE} } change { delta zScore verdict previous { ${SCORE} } } } }`;

  it('returns a whole subtree, depth first, each row with its parent and depth, over its own subtree', async () => {
    const { departmentScores: rows } = await t.ok(DS, { f: APRIL, l: 3 });
    expect(rows.map((r: any) => [r.department.code, r.parent?.code ?? null, r.depth, r.score.responses])).toEqual([
      ['CO', null, 1, 410],
      ['A', 'CO', 2, 200],
      ['A1', 'A', 3, 100],
      ['A2', 'A', 3, 100],
      ['B', 'CO', 2, 100],
      ['C', 'CO', 2, 10],
      ['D', 'CO', 2, 100],
    ]);
    const under = await t.ok(DS, { f: APRIL, p: ids.CO, l: 2 });
    expect(under.departmentScores.map((r: any) => [r.department.code, r.depth])).toEqual([
      ['A', 1],
      ['A1', 2],
      ['A2', 2],
      ['B', 1],
      ['C', 1],
      ['D', 1],
    ]);
    // Without levels: the children only, as before.
    expect((await t.ok(DS, { f: APRIL, p: ids.CO })).departmentScores.map((r: any) => r.department.code)).toEqual(['A', 'B', 'C', 'D']);
  });

  it('gives each row its change against the comparison period: A 20 -> 48 (A1 and A2 summed)', async () => {
    const { departmentScores: rows } = await t.ok(DS, { f: APRIL, p: ids.CO, l: 2, c: CAL });
    const by = Object.fromEntries(rows.map((r: any) => [r.department.code, r.change]));
    // A: March 90/60/50 (NPS 20), April 121/54/25 (NPS 48); z 3.64746.
    expect(by.A).toMatchObject({ delta: 28, verdict: 'SIGNIFICANT_UP', previous: { responses: 200, promoters: 90, passives: 60, detractors: 50, nps: 20 } });
    expect(by.A.zScore).toBeCloseTo(3.64746, 4);
    expect(by.A2.zScore).toBeCloseTo(2.00218, 4);
    expect(by.B).toMatchObject({ delta: -36, verdict: 'SIGNIFICANT_DOWN' });
    expect(by.C).toMatchObject({ delta: 200, verdict: 'SIGNIFICANT_UP' });
    expect(by.D).toMatchObject({ delta: 2, verdict: 'NO_SIGNIFICANT_CHANGE' });
    // The default compareTo (PREVIOUS_PERIOD: the 30 days before 1 April, from 2 March) still holds the 10 March responses.
    const dflt = await t.ok(DS, { f: APRIL, p: ids.CO });
    expect(dflt.departmentScores.map((r: any) => r.change.delta)).toEqual([28, -36, 200, 2]);
  });

  it('change is null without from or to; SAME_PERIOD_LAST_YEAR without data a year before is NOT_COMPARABLE', async () => {
    const open = await t.ok(DS, { f: { from: APRIL.from }, p: ids.CO });
    expect(open.departmentScores.map((r: any) => r.change)).toEqual([null, null, null, null]);
    const yoy = await t.ok(DS, { f: APRIL, p: ids.CO, c: 'SAME_PERIOD_LAST_YEAR' });
    expect(yoy.departmentScores[0].change).toMatchObject({ delta: null, verdict: 'NOT_COMPARABLE', previous: { responses: 0 } });
  });

  it('counts every row\'s change in one more statement, whatever the number of rows', async () => {
    const count = async (query: string) => {
      const { count: n } = await countStatements(() => t.ok(query, { f: APRIL, p: ids.CO, l: 2, c: CAL }));
      return n;
    };
    const without = await count(DS.replace(/change \{[^}]*\{[^}]*\} \}/, ''));
    expect(await count(DS)).toBe(without + 1);
  });

  it('gives each breakdown item its change: email 21.03 -> 41.21, phone -20 -> -20', async () => {
    const Q = `query($f: ResponseFilter, $c: CompareTo) { npsBreakdown(by: CHANNEL, filter: $f, compareTo: $c) { value score { ${SCORE} } change { delta zScore verdict previous { ${SCORE} } } } }`;
    const { npsBreakdown: items } = await t.ok(Q, { f: APRIL, c: CAL });
    expect(items.map((i: any) => [i.value, i.score.responses, i.change.previous.responses, i.change.verdict])).toEqual([
      ['email', 330, 390, 'SIGNIFICANT_UP'],
      ['phone', 80, 20, 'NO_SIGNIFICANT_CHANGE'],
    ]);
    expect(items[0].change.delta).toBeCloseTo(20.186480, 6);
    expect(items[0].change.zScore).toBeCloseTo(3.55567, 4);
    expect(items[1].change.delta).toBeCloseTo(0, 9);
    expect((await t.ok(Q, { f: { to: APRIL.to } })).npsBreakdown.every((i: any) => i.change === null)).toBe(true);
  });
});

describe('access', () => {
  it("a MANAGER screens its own subtree only: A1 and A2 against A's total, where A2 survives (2 tests)", async () => {
    const m = await movers({ s: false, l: 500 }, { viewer: viewers.manager(ids.A) });
    expect(m.total.current.responses).toBe(200);
    expect(m.total.previous.responses).toBe(200);
    // No group from outside A: the channel, survey, kind and segment families hold one group equal to A's total (left out),
    // and "Since 15 April" has no response in A.
    expect(m.movers.map((x: any) => x.department?.code ?? x.label)).toEqual(['A1', 'A2']);
    expect(m.tests).toBe(2);
    // Contributions against A's 200 responses: A1 100 x (45 - 10) / 200 = 17.5, A2 100 x (51 - 30) / 200 = 10.5; sum 28 = A's change.
    expect(m.movers[0].contribution).toBeCloseTo(17.5, 9);
    expect(m.movers[1].contribution).toBeCloseTo(10.5, 9);
    expect(m.total.change.delta).toBeCloseTo(28, 9);
    // m = 2: A2 adjusted max(2/2 x 0.045265) = 0.045265 <= 0.05.
    expect(m.movers[1].adjustedPValue).toBeCloseTo(0.045265, 5);
    expect(m.movers.map((x: any) => x.discovery)).toEqual([true, true]);
    const res = await t.exec(MOVERS, { f: { ...APRIL, departmentIds: [ids.B] }, c: CAL }, { viewer: viewers.manager(ids.A) });
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(res.data).toBeNull();
  });

  it('an INTEGRATION key is refused; an EXECUTIVE key reads', async () => {
    const res = await t.exec(MOVERS, { f: APRIL, c: CAL }, { viewer: viewers.integration });
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(res.data).toBeNull();
    expect((await movers({ k: ['DEPARTMENT'] }, { viewer: viewers.executive })).discoveries).toBe(3);
  });
});

describe('bad input', () => {
  it('answers BAD_USER_INPUT naming the field, like npsComparison', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ f: { from: APRIL.from } }, 'filter.to'],
      [{ f: { to: APRIL.to } }, 'filter.from'],
      [{ f: { from: APRIL.to, to: APRIL.from } }, 'filter.to'],
      [{ f: { from: '2025-04-01T12:00:00Z', to: APRIL.to } }, 'filter.from'],
      [{ z: 'Mars/Olympus' }, 'timeZone'],
      [{ l: 0 }, 'limit'],
      [{ l: 501 }, 'limit'],
      // A response may mention several themes (drivers answers for them); answers are free text.
      [{ d: ['THEME'] }, 'dimensions'],
      [{ d: ['REGION', 'FOLLOW_UP_ANSWER'] }, 'dimensions'],
    ];
    for (const [vars, field] of cases) {
      expect(errorsOf(await t.exec(MOVERS, { f: APRIL, c: CAL, ...vars }))).toEqual([{ code: 'BAD_USER_INPUT', field }]);
    }
    const DS = `query($f: ResponseFilter, $l: Int, $c: CompareTo) { departmentScores(filter: $f, levels: $l, compareTo: $c) { depth } }`;
    expect(errorsOf(await t.exec(DS, { l: 0 }))).toEqual([{ code: 'BAD_USER_INPUT', field: 'levels' }]);
    expect(errorsOf(await t.exec(DS, { l: 21 }))).toEqual([{ code: 'BAD_USER_INPUT', field: 'levels' }]);
    expect(errorsOf(await t.exec(DS, { c: CAL, f: { to: APRIL.to } }))).toEqual([{ code: 'BAD_USER_INPUT', field: 'filter.from' }]);
    expect(errorsOf(await t.exec(DS, { c: CAL, f: { from: '2025-04-02T12:00:00Z', to: APRIL.to } }))).toEqual([{ code: 'BAD_USER_INPUT', field: 'filter.from' }]);
    const BD = `query($f: ResponseFilter, $c: CompareTo) { npsBreakdown(by: CHANNEL, filter: $f, compareTo: $c) { value } }`;
    expect(errorsOf(await t.exec(BD, { c: CAL, f: { from: APRIL.from } }))).toEqual([{ code: 'BAD_USER_INPUT', field: 'filter.to' }]);
    const unknown = await t.exec(MOVERS, { f: { ...APRIL, segmentId: '00000000-0000-4000-8000-000000000000' }, c: CAL });
    expect(errorsOf(unknown)).toEqual([{ code: 'NOT_FOUND', field: 'filter.segmentId' }]);
  });
});

describe('rollups and raw rows', () => {
  it('gives the same figures from the raw rows, with bounds off the hour (hybrid plans, two grouping columns)', async () => {
    const args = (f: { from: string; to: string }) => ({ filter: { from: new Date(f.from), to: new Date(f.to) }, compareTo: null, significantOnly: false, limit: 500 });
    const plain = (m: any) => JSON.parse(JSON.stringify({ total: m.total, mix: m.totalSurveyMix, tests: m.tests, movers: m.movers.map(({ change, current, ...rest }: any) => ({ ...rest, c: current.counts, p: change.previous.counts })) }));
    // 10 April 10:00:30 to 20 April 10:00:50 (PREVIOUS_PERIOD: from 31 March 10:00:10): seconds into the bulk rows.
    for (const f of [APRIL, { from: '2025-04-10T10:00:30Z', to: '2025-04-20T10:00:50Z' }]) {
      const viaRollups = await t.app.services.movers.movers(t.ctx(), args(f));
      const viaRaw = await t.app.services.movers.movers({ ...t.ctx(), rawFacts: true }, args(f));
      expect(plain(viaRaw)).toEqual(plain(viaRollups));
      expect(viaRollups.tests).toBeGreaterThan(3);
    }
  });
});

describe('statements', () => {
  /** Statements sent while running the operation. */
  async function statements(vars: Record<string, unknown>): Promise<{ count: number; data: any }> {
    const { count, result: data } = await countStatements(() => t.ok(MOVERS, { c: CAL, s: false, l: 500, ...vars }));
    return { count, data: data.movers };
  }

  it('sends the same few statements for 5 departments or 40, with a department of its own responses and responses without one', async () => {
    const small = await statements({ f: APRIL });
    // June against May 2025: a second root BIG with 40 teams, responses recorded on BIG itself, and responses without a department.
    await dept('BIG', null);
    for (let i = 0; i < 40; i++) {
      await dept(`BIG-${i}`, 'BIG');
      await bulk(`BIG-${i}`, i % 2 ? 'REL' : 'TX', [i % 5, 2, 1], '2025-05-10T10:00:00Z');
      await bulk(`BIG-${i}`, 'REL', [3, 2, i % 4], '2025-06-10T10:00:00Z');
    }
    await bulk('BIG', 'REL', [5, 0, 5], '2025-05-10T10:00:00Z');
    await bulk('BIG', 'REL', [9, 0, 1], '2025-06-10T10:00:00Z');
    await bulk(null, 'TX', [1, 1, 1], '2025-05-10T10:00:00Z');
    await bulk(null, 'TX', [0, 0, 3], '2025-06-10T10:00:00Z');
    const large = await statements({ f: { from: '2025-06-01T00:00:00Z', to: '2025-07-01T00:00:00Z' } });
    const departments = large.data.movers.filter((x: any) => x.kind === 'DEPARTMENT');
    expect(departments).toHaveLength(42);
    expect(departments.find((x: any) => x.department?.code === 'BIG')).toMatchObject({ ownResponsesOnly: true, current: { responses: 10 } });
    expect(departments.find((x: any) => x.department === null)).toMatchObject({ label: '(no department)', current: { responses: 3 } });
    expect(departments.reduce((s: number, x: any) => s + x.contribution, 0)).toBeCloseTo(large.data.total.change.delta, 9);
    // The counts, the segments, then one batched read each of departments and surveys for labels and nested fields.
    expect(small.count).toBeLessThanOrEqual(4);
    expect(large.count).toBe(small.count);
  });
});

describe('movers: segments on raw-only fields', () => {
  const SEGS = `query($f: ResponseFilter!, $c: CompareTo, $r: Boolean) {
    movers(filter: $f, compareTo: $c, significantOnly: false, limit: 500, rawSegments: $r) {
      total { current { responses } }
      tests movers { kind label current { responses } change { previous { responses } } }
      skippedSegments { name }
    }
  }`;

  it('are left out by default and listed in skippedSegments; rawSegments: true screens them with the right counts', async () => {
    // Dept C's responses (10 detractors in March, 10 promoters in April) belong to a customer spending 500.
    const [customer] = await sql(`INSERT INTO customers (external_ref, spend, customer_since) VALUES ('big-spender', 500, '2020-01-01T00:00:00Z') RETURNING id`);
    await sql('UPDATE responses SET customer_id = $1 WHERE department_id = $2', [customer.id, ids.C]);
    const create = `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }`;
    await t.ok(create, { input: { name: 'Big spenders', filter: { spendMin: 100 } } });
    const april = { from: '2025-04-01T00:00:00Z', to: '2025-05-01T00:00:00Z' };

    const fast = (await t.ok(SEGS, { f: april, c: 'PREVIOUS_PERIOD' })).movers;
    expect(fast.skippedSegments).toEqual([{ name: 'Big spenders' }]);
    expect(fast.movers.some((x: any) => x.label === 'Big spenders')).toBe(false);

    const all = (await t.ok(SEGS, { f: april, c: 'PREVIOUS_PERIOD', r: true })).movers;
    expect(all.skippedSegments).toEqual([]);
    expect(all.tests).toBe(fast.tests + 1);
    expect(all.movers.find((x: any) => x.label === 'Big spenders')).toMatchObject({ kind: 'SEGMENT', current: { responses: 10 }, change: { previous: { responses: 10 } } });

    // A filter that needs the raw rows anyway (C's responses only): every segment is screened, none skipped (the
    // spenders' segment then holds the whole total, so, like any group equal to the total, it is not a mover).
    const raw = (await t.ok(SEGS, { f: { ...april, spendMin: 0 }, c: 'PREVIOUS_PERIOD' })).movers;
    expect(raw.total.current.responses).toBe(10);
    expect(raw.skippedSegments).toEqual([]);
  });
});
