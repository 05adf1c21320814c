import { createTestApp, codes, TestApp, viewers } from './support/test-app';

/**
 * Industry benchmarks and internal standards: CRUD with its validation, and the comparisons a
 * score lists (which apply, the gap, the significance), over a hand-built data set:
 *
 *   CO ─┬─ A ── A1   100 responses to REL (relationship): 50 promoters, 30 passives, 20 detractors
 *       └─ B          40 responses to TX1 (transactional): 10 promoters, 10 passives, 20 detractors
 *   TX2: a second transactional survey, no responses.
 *
 * The server's COMPANY_INDUSTRY is "b2b SERVICES" (matched case-insensitively).
 *
 * A1's 100 responses (see also src/scoring/benchmark.spec.ts): NPS 30;
 *   n' = 103, p' = 50.75/103 = 0.492718, d' = 20.75/103 = 0.201456, adjusted centre 100 * 30/103 = 29.126214
 *   V' = 71.5/103 - (30/103)^2 = 0.694175 - 0.084834 = 0.609341, SE' = 100 * sqrt(0.609341/103) = 7.691510
 *   z against v = (29.126214 - v) / 7.691510:
 *     v = 50: -20.873786/7.691510 = -2.713874 (p 0.006650): significantly below
 *     v = 20:   9.126214/7.691510 =  1.186531 (p 0.235413): not significant
 *     v = 10:  19.126214/7.691510 =  2.486665 (p 0.012895): significantly above
 *     v = 35:  -5.873786/7.691510 = -0.763671 (p 0.445063): not significant
 * B's 40 responses: NPS -25; n' = 43, p' = 10.75/43 = 0.25, d' = 20.75/43 = 0.482558, centre -1000/43 = -23.255814
 *   V' = 31.5/43 - (10/43)^2 = 0.732558 - 0.054083 = 0.678475, SE' = 100 * sqrt(0.678475/43) = 12.561248
 *   v = 40: z = -63.255814/12.561248 = -5.035792: significantly below
 * CO (both): P 60, passives 40, D 40, n 140, NPS 100 * 20/140 = 14.285714;
 *   n' = 143, centre 2000/143 = 13.986014, V' = 101.5/143 - (20/143)^2 = 0.709790 - 0.019561 = 0.690229,
 *   SE' = 100 * sqrt(0.690229/143) = 6.947489; v = 10: z = 3.986014/6.947489 = 0.573733: not significant
 */
let t: TestApp;
const ids: Record<string, string> = {};
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const FROM = '2026-03-01T00:00:00Z';

const CMP = `kind name value source year industry surveyKind inherited gap significant pValue zScore outcome
  standard { name department { code } segment { name } } benchmark { id name }`;
const SUMMARY = `query($f: ResponseFilter, $industry: String) { npsSummary(filter: $f) { nps responses benchmarks(industry: $industry) { ${CMP} } } }`;
const DEPT_SCORES = `query($p: ID, $f: ResponseFilter) { departmentScores(parentId: $p, filter: $f) { department { code } score { nps benchmarks { ${CMP} } } } }`;
const CREATE_B = `mutation($i: CreateBenchmarkInput!) { createBenchmark(input: $i) { id name industry surveyKind value source year notes } }`;
const UPDATE_B = `mutation($id: ID!, $i: UpdateBenchmarkInput!) { updateBenchmark(id: $id, input: $i) { id name value year notes } }`;
const DELETE_B = `mutation($id: ID!) { deleteBenchmark(id: $id) }`;
const CREATE_S = `mutation($i: CreateStandardInput!) { createStandard(input: $i) { id name value surveyKind department { code } segment { name } } }`;
const UPDATE_S = `mutation($id: ID!, $i: UpdateStandardInput!) { updateStandard(id: $id, input: $i) { id name value surveyKind description } }`;
const DELETE_S = `mutation($id: ID!) { deleteStandard(id: $id) }`;

const q = (sql: string, params: unknown[] = []) => t.db.dataSource.query(sql, params);
const summary = async (f: Record<string, unknown> | null, opts: { industry?: string; viewer?: any } = {}) =>
  (await t.ok(SUMMARY, { f, industry: opts.industry }, { viewer: opts.viewer })).npsSummary;
const names = (list: { name: string }[]) => list.map((b) => b.name);

async function benchmark(name: string, industry: string, surveyKind: string, value: number, year: number): Promise<string> {
  const data = await t.ok(CREATE_B, { i: { name, industry, surveyKind, value, year, source: 'Illustrative panel' } });
  return data.createBenchmark.id;
}
async function standard(input: Record<string, unknown>): Promise<string> {
  return (await t.ok(CREATE_S, { i: input })).createStandard.id;
}

beforeAll(async () => {
  t = await createTestApp({ COMPANY_INDUSTRY: 'b2b SERVICES' });
  for (const [code, parent] of [['CO', null], ['A', 'CO'], ['A1', 'A'], ['B', 'CO']] as const) {
    [{ id: ids[code] }] = await q('INSERT INTO departments (code, name, parent_id) VALUES ($1, $1, $2) RETURNING id', [code, parent && ids[parent]]);
  }
  for (const [code, kind] of [['REL', 'RELATIONSHIP'], ['TX1', 'TRANSACTIONAL'], ['TX2', 'TRANSACTIONAL']]) {
    [{ id: ids[code] }] = await q('INSERT INTO surveys (code, name, kind) VALUES ($1, $1, $2) RETURNING id', [code, kind]);
  }
  // A1: 50 promoters (10), 30 passives (8), 20 detractors (3); B: 10 promoters, 10 passives, 20 detractors.
  const respond = (prefix: string, n: number, promoters: number, passives: number, survey: string, dept: string) =>
    q(
      `INSERT INTO responses (external_ref, score, responded_at, survey_id, department_id)
       SELECT $1 || g, CASE WHEN g <= $3 THEN 10 WHEN g <= $3 + $4 THEN 8 ELSE 3 END, $5::timestamptz + g * interval '1 hour', $6, $7
       FROM generate_series(1, $2) g`,
      [prefix, n, promoters, passives, FROM, ids[survey], ids[dept]],
    );
  await respond('a1-', 100, 50, 30, 'REL', 'A1');
  await respond('b-', 40, 10, 10, 'TX1', 'B');
  [{ id: ids.relSegment }] = await q(`INSERT INTO segments (name, filter) VALUES ('Relationship', '{"surveyKind":"RELATIONSHIP"}') RETURNING id`);
  [{ id: ids.allSegment }] = await q(`INSERT INTO segments (name, filter) VALUES ('Everyone', '{}') RETURNING id`);

  ids.b2b2026 = await benchmark('B2B relationship 2026', 'B2B services', 'RELATIONSHIP', 50, 2026);
  ids.b2b2025 = await benchmark('B2B relationship 2025', 'B2B Services', 'RELATIONSHIP', 20, 2025);
  ids.saas = await benchmark('SaaS relationship', 'Software', 'RELATIONSHIP', 10, 2026);
  ids.b2bTx = await benchmark('B2B transactional', 'b2b services', 'TRANSACTIONAL', 40, 2026);
  ids.coStd = await standard({ name: 'Company standard', value: 10, departmentId: ids.CO });
  ids.aRelStd = await standard({ name: 'A relationship standard', value: 50, departmentId: ids.A, surveyKind: 'RELATIONSHIP' });
  ids.segStd = await standard({ name: 'Relationship segment standard', value: 20, segmentId: ids.relSegment });
});
afterAll(() => t.close());

describe('a score lists the benchmarks that apply, with the gap and its significance', () => {
  it("a relationship scope: the company industry's relationship benchmarks, newest first, numbers as computed by hand", async () => {
    const s = await summary({ surveyKind: 'RELATIONSHIP' });
    expect(s).toMatchObject({ nps: 30, responses: 100 });
    expect(s.benchmarks).toHaveLength(2); // not the SaaS one (another industry), not the transactional one
    const [b2026, b2025] = s.benchmarks;
    expect(b2026).toMatchObject({
      kind: 'INDUSTRY', name: 'B2B relationship 2026', value: 50, source: 'Illustrative panel', year: 2026, industry: 'B2B services',
      surveyKind: 'RELATIONSHIP', inherited: false, gap: -20, significant: true, outcome: 'SIGNIFICANTLY_BELOW', standard: null,
      benchmark: { id: ids.b2b2026, name: 'B2B relationship 2026' },
    });
    expect(b2026.zScore).toBeCloseTo(-2.713874, 5);
    expect(b2026.pValue).toBeCloseTo(0.00665, 5);
    expect(b2025).toMatchObject({ name: 'B2B relationship 2025', value: 20, gap: 10, significant: false, outcome: 'NOT_SIGNIFICANT' });
    expect(b2025.zScore).toBeCloseTo(1.186531, 5);
    expect(b2025.pValue).toBeCloseTo(0.235413, 5);
  });

  it("another industry's benchmarks on request (case-insensitive)", async () => {
    const s = await summary({ surveyKind: 'RELATIONSHIP' }, { industry: 'SOFTWARE' });
    expect(names(s.benchmarks)).toEqual(['SaaS relationship']);
    expect(s.benchmarks[0]).toMatchObject({ gap: 20, significant: true, outcome: 'SIGNIFICANTLY_ABOVE' });
    expect(s.benchmarks[0].zScore).toBeCloseTo(2.486665, 5);
    expect((await summary({ surveyKind: 'RELATIONSHIP' }, { industry: 'Retail' })).benchmarks).toEqual([]);
    const blank = await t.exec(SUMMARY, { f: { surveyKind: 'RELATIONSHIP' }, industry: '  ' });
    expect(codes(blank)).toEqual(['BAD_USER_INPUT']);
    expect(blank.errors![0].extensions!.field).toBe('industry');
  });

  it('a transactional scope gets the transactional benchmark', async () => {
    const s = await summary({ surveyKind: 'TRANSACTIONAL' });
    expect(s).toMatchObject({ nps: -25, responses: 40 });
    expect(s.benchmarks).toEqual([expect.objectContaining({ name: 'B2B transactional', gap: -65, significant: true, outcome: 'SIGNIFICANTLY_BELOW' })]);
    expect(s.benchmarks[0].zScore).toBeCloseTo(-5.035792, 5);
  });

  it('the kind comes from the surveys a filter names when they are all of one kind; a scope that may mix kinds gets no industry benchmark', async () => {
    expect(names((await summary({ surveyIds: [ids.REL] })).benchmarks)).toEqual(['B2B relationship 2026', 'B2B relationship 2025']);
    expect(names((await summary({ surveyIds: [ids.TX1, ids.TX2] })).benchmarks)).toEqual(['B2B transactional']);
    expect((await summary({ surveyIds: [ids.REL, ids.TX1] })).benchmarks).toEqual([]);
    expect((await summary(null)).benchmarks).toEqual([]);
    // contradictory parts: no response can match, nothing applies
    expect((await summary({ surveyIds: [ids.REL], surveyKind: 'TRANSACTIONAL' })).benchmarks).toEqual([]);
  });

  it('no responses: the comparison is listed without a gap, NO_DATA', async () => {
    const s = await summary({ surveyKind: 'RELATIONSHIP', from: '2020-01-01T00:00:00Z', to: '2020-02-01T00:00:00Z' });
    expect(s.responses).toBe(0);
    expect(s.benchmarks.map((b: any) => [b.gap, b.zScore, b.pValue, b.significant, b.outcome])).toEqual([
      [null, null, null, false, 'NO_DATA'],
      [null, null, null, false, 'NO_DATA'],
    ]);
  });
});

describe("department standards: the department's own, else its nearest ancestor's", () => {
  it("a team without a standard inherits its division's standard for the kind counted", async () => {
    const { departmentScores: rows } = await t.ok(DEPT_SCORES, { p: ids.A, f: { surveyKind: 'RELATIONSHIP' } });
    expect(rows.map((r: any) => r.department.code)).toEqual(['A1']);
    const [own, ...industry] = rows[0].score.benchmarks;
    expect(own).toMatchObject({
      kind: 'DEPARTMENT_STANDARD', name: 'A relationship standard', value: 50, source: null, year: null, industry: null,
      surveyKind: 'RELATIONSHIP', inherited: true, gap: -20, outcome: 'SIGNIFICANTLY_BELOW', benchmark: null,
      standard: { name: 'A relationship standard', department: { code: 'A' }, segment: null },
    });
    expect(own.zScore).toBeCloseTo(-2.713874, 5);
    expect(names(industry)).toEqual(['B2B relationship 2026', 'B2B relationship 2025']);
  });

  it("a scope that may mix kinds skips the division's relationship-only standard and inherits the company's", async () => {
    const { departmentScores: rows } = await t.ok(DEPT_SCORES, { p: ids.A });
    expect(rows[0].score.benchmarks).toEqual([
      expect.objectContaining({ kind: 'DEPARTMENT_STANDARD', name: 'Company standard', value: 10, surveyKind: null, inherited: true, gap: 20, outcome: 'SIGNIFICANTLY_ABOVE' }),
    ]);
    expect(rows[0].score.benchmarks[0].zScore).toBeCloseTo(2.486665, 5);
  });

  it("the company's own standard is not inherited", async () => {
    const { departmentScores: rows } = await t.ok(DEPT_SCORES, {});
    expect(rows.map((r: any) => r.department.code)).toEqual(['CO']);
    const [co] = rows[0].score.benchmarks;
    expect(co).toMatchObject({ name: 'Company standard', inherited: false, significant: false, outcome: 'NOT_SIGNIFICANT' });
    expect(co.gap).toBeCloseTo(4.285714, 5);
    expect(co.zScore).toBeCloseTo(0.573733, 5);
  });

  it('a standard for any kind set nearer wins; at the same department the one for the kind counted wins', async () => {
    const anyKind = await standard({ name: 'A standard', value: 35, departmentId: ids.A });
    try {
      const mixed = await t.ok(DEPT_SCORES, { p: ids.A });
      expect(mixed.departmentScores[0].score.benchmarks).toEqual([expect.objectContaining({ name: 'A standard', value: 35, gap: -5, outcome: 'NOT_SIGNIFICANT' })]);
      expect(mixed.departmentScores[0].score.benchmarks[0].zScore).toBeCloseTo(-0.763671, 5);
      const rel = await t.ok(DEPT_SCORES, { p: ids.A, f: { surveyKind: 'RELATIONSHIP' } });
      expect(rel.departmentScores[0].score.benchmarks[0]).toMatchObject({ name: 'A relationship standard', value: 50 });
    } finally {
      await t.ok(DELETE_S, { id: anyKind });
    }
  });

  it('npsSummary takes the standard of the one department its filter names, and for a MANAGER key without departmentIds its own', async () => {
    const one = await summary({ departmentIds: [ids.A1], surveyKind: 'RELATIONSHIP' });
    expect(one.benchmarks[0]).toMatchObject({ kind: 'DEPARTMENT_STANDARD', name: 'A relationship standard', inherited: true, gap: -20 });
    const two = await summary({ departmentIds: [ids.A1, ids.B], surveyKind: 'RELATIONSHIP' });
    expect(two.benchmarks.map((b: any) => b.kind)).toEqual(['INDUSTRY', 'INDUSTRY']);
    const mine = await summary({ surveyKind: 'RELATIONSHIP' }, { viewer: viewers.manager(ids.A) });
    expect(mine).toMatchObject({ nps: 30, responses: 100 });
    expect(mine.benchmarks[0]).toMatchObject({ kind: 'DEPARTMENT_STANDARD', name: 'A relationship standard', inherited: false, gap: -20 });
    expect(names(mine.benchmarks.slice(1))).toEqual(['B2B relationship 2026', 'B2B relationship 2025']);
  });
});

describe('segment standards', () => {
  it("a segment's score gets its standard, and its filter's kind brings the industry benchmarks", async () => {
    const data = await t.ok(`query($id: ID!) { segment(id: $id) { score { nps benchmarks { ${CMP} } } } }`, { id: ids.relSegment });
    const [seg, ...industry] = data.segment.score.benchmarks;
    expect(seg).toMatchObject({
      kind: 'SEGMENT_STANDARD', name: 'Relationship segment standard', value: 20, surveyKind: null, inherited: false, gap: 10,
      significant: false, standard: { segment: { name: 'Relationship' }, department: null },
    });
    expect(seg.zScore).toBeCloseTo(1.186531, 5);
    expect(names(industry)).toEqual(['B2B relationship 2026', 'B2B relationship 2025']);
    // the same through npsSummary naming the segment
    expect(names((await summary({ segmentId: ids.relSegment })).benchmarks)).toEqual(names(data.segment.score.benchmarks));
  });

  it('a segment without a standard, over mixed kinds, gets nothing; deleting a segment with a standard is refused', async () => {
    expect((await summary({ segmentId: ids.allSegment })).benchmarks).toEqual([]);
    const res = await t.exec(`mutation($id: ID!) { deleteSegment(id: $id) }`, { id: ids.relSegment });
    expect(codes(res)).toEqual(['CONFLICT']);
    expect(res.errors![0].extensions!.standards).toBe(1);
  });
});

describe('other scores carry their scope too', () => {
  it('breakdown items by survey kind, trend points and comparisons', async () => {
    const data = await t.ok(`{
      npsBreakdown(by: SURVEY_KIND) { value benchmarks: score { benchmarks { name } } }
      npsTrend(interval: MONTH, filter: { surveyKind: RELATIONSHIP, from: "2026-03-01T00:00:00Z", to: "2026-05-01T00:00:00Z" }) { score { responses benchmarks { name gap } } }
      npsComparison(filter: { surveyKind: TRANSACTIONAL, from: "2026-03-01T00:00:00Z", to: "2026-04-01T00:00:00Z" }) { current { benchmarks { name } } previous { benchmarks { outcome } } }
    }`);
    expect(data.npsBreakdown).toEqual([
      { value: 'RELATIONSHIP', benchmarks: { benchmarks: [{ name: 'B2B relationship 2026' }, { name: 'B2B relationship 2025' }] } },
      { value: 'TRANSACTIONAL', benchmarks: { benchmarks: [{ name: 'B2B transactional' }] } },
    ]);
    expect(data.npsTrend.map((p: any) => [p.score.responses, p.score.benchmarks.map((b: any) => b.gap)])).toEqual([
      [100, [-20, 10]],
      [0, [null, null]],
    ]);
    expect(data.npsComparison.current.benchmarks).toEqual([{ name: 'B2B transactional' }]);
    expect(data.npsComparison.previous.benchmarks).toEqual([{ outcome: 'NO_DATA' }]);
  });
});

describe('benchmarks: reading and writing', () => {
  it('lists with filters, ordered by industry, kind, newest year', async () => {
    const all = await t.ok(`{ benchmarks { name } }`);
    expect(names(all.benchmarks)).toEqual(['B2B relationship 2026', 'B2B relationship 2025', 'B2B transactional', 'SaaS relationship']);
    const some = await t.ok(`{ benchmarks(industry: "b2b services", surveyKind: RELATIONSHIP, year: 2025) { name industry } }`);
    expect(some.benchmarks).toEqual([{ name: 'B2B relationship 2025', industry: 'B2B Services' }]);
  });

  it('validates with BAD_USER_INPUT naming the field, and creates nothing', async () => {
    const good = { name: 'X', industry: 'Retail', surveyKind: 'RELATIONSHIP', value: 10, source: 'S', year: 2026 };
    const cases: [Record<string, unknown>, string][] = [
      [{ value: 100.5 }, 'value'],
      [{ value: -101 }, 'value'],
      [{ year: 1800 }, 'year'],
      [{ year: 2101 }, 'year'],
      [{ name: '   ' }, 'name'],
      [{ industry: ' ' }, 'industry'],
      [{ source: '' }, 'source'],
      [{ name: 'x'.repeat(201) }, 'name'],
    ];
    for (const [change, field] of cases) {
      const res = await t.exec(CREATE_B, { i: { ...good, ...change } });
      expect([field, codes(res)]).toEqual([field, ['BAD_USER_INPUT']]);
      expect(res.errors![0].extensions!.field).toBe(field);
    }
    expect((await t.ok(`{ benchmarks(industry: "Retail") { id } }`)).benchmarks).toEqual([]);
    expect(codes(await t.exec(`{ benchmarks(year: 1200) { id } }`))).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses a duplicate (same name, industry, kind and year in any case) with CONFLICT; another year is fine', async () => {
    const res = await t.exec(CREATE_B, { i: { name: 'b2b RELATIONSHIP 2026', industry: 'B2B SERVICES', surveyKind: 'RELATIONSHIP', value: 1, source: 'S', year: 2026 } });
    expect(codes(res)).toEqual(['CONFLICT']);
    expect(res.errors![0].extensions!.benchmarkId).toBe(ids.b2b2026);
    const other = await benchmark('B2B relationship 2026', 'B2B services', 'RELATIONSHIP', 1, 2024);
    const clash = await t.exec(UPDATE_B, { id: other, i: { year: 2026 } });
    expect(codes(clash)).toEqual(['CONFLICT']);
    expect(await t.ok(DELETE_B, { id: other })).toEqual({ deleteBenchmark: other });
  });

  it('updates (null clears notes only), and NOT_FOUND for an unknown id', async () => {
    const id = await benchmark('Temp', 'Retail', 'TRANSACTIONAL', 5, 2026);
    const up = await t.ok(UPDATE_B, { id, i: { value: -12.5, notes: '  n = 2,000  ' } });
    expect(up.updateBenchmark).toMatchObject({ value: -12.5, notes: 'n = 2,000', year: 2026, name: 'Temp' });
    expect((await t.ok(UPDATE_B, { id, i: { notes: null } })).updateBenchmark.notes).toBeNull();
    for (const field of ['value', 'name', 'year']) {
      const res = await t.exec(UPDATE_B, { id, i: { [field]: null } });
      expect([field, codes(res), res.errors![0].extensions!.field]).toEqual([field, ['BAD_USER_INPUT'], field]);
    }
    for (const op of [t.exec(UPDATE_B, { id: UNKNOWN, i: { value: 1 } }), t.exec(DELETE_B, { id: UNKNOWN })]) {
      const res = await op;
      expect(codes(res)).toEqual(['NOT_FOUND']);
      expect(res.errors![0].extensions!.field).toBe('id');
    }
    expect(codes(await t.exec(DELETE_B, { id: 'nope' }))).toEqual(['BAD_USER_INPUT']);
    await t.ok(DELETE_B, { id });
  });

  it('ADMIN and EXECUTIVE write; every role reads, INTEGRATION included; only roles that read reports see comparisons', async () => {
    const id = (await t.ok(CREATE_B, { i: { name: 'By exec', industry: 'Retail', surveyKind: 'RELATIONSHIP', value: 0, source: 'S', year: 2026 } }, { viewer: viewers.executive })).createBenchmark.id;
    for (const viewer of [viewers.manager(ids.A), viewers.integration]) {
      expect(codes(await t.exec(UPDATE_B, { id, i: { value: 1 } }, { viewer }))).toEqual(['FORBIDDEN']);
      expect(codes(await t.exec(CREATE_S, { i: { name: 'x', value: 1, departmentId: ids.B } }, { viewer }))).toEqual(['FORBIDDEN']);
      expect((await t.ok(`{ benchmarks(industry: "Retail") { name } standards { name } }`, {}, { viewer })).benchmarks).toEqual([{ name: 'By exec' }]);
    }
    expect(codes(await t.exec(`{ npsSummary { benchmarks { name } } }`, {}, { viewer: viewers.integration }))).toEqual(['FORBIDDEN']);
    await t.ok(DELETE_B, { id }, { viewer: viewers.executive });
  });
});

describe('standards: reading and writing', () => {
  it('lists by department (its own, not inherited), by segment, or all', async () => {
    const all = await t.ok(`{ standards { name department { code } segment { name } } }`);
    expect(all.standards).toEqual([
      { name: 'A relationship standard', department: { code: 'A' }, segment: null },
      { name: 'Company standard', department: { code: 'CO' }, segment: null },
      { name: 'Relationship segment standard', department: null, segment: { name: 'Relationship' } },
    ]);
    expect((await t.ok(`query($d: ID) { standards(departmentId: $d) { name } }`, { d: ids.A1 })).standards).toEqual([]);
    expect((await t.ok(`query($s: ID) { standards(segmentId: $s) { name } }`, { s: ids.relSegment })).standards).toEqual([{ name: 'Relationship segment standard' }]);
    const both = await t.exec(`query($d: ID, $s: ID) { standards(departmentId: $d, segmentId: $s) { name } }`, { d: ids.A, s: ids.relSegment });
    expect([codes(both), both.errors![0].extensions!.field]).toEqual([['BAD_USER_INPUT'], 'segmentId']);
    const unknown = await t.exec(`query($d: ID) { standards(departmentId: $d) { name } }`, { d: UNKNOWN });
    expect([codes(unknown), unknown.errors![0].extensions!.field]).toEqual([['NOT_FOUND'], 'departmentId']);
  });

  it('validates: exactly one scope that exists, a value in range; BAD_USER_INPUT or NOT_FOUND naming the field', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ name: 'x', value: 1 }, 'BAD_USER_INPUT', 'departmentId'],
      [{ name: 'x', value: 1, departmentId: ids.B, segmentId: ids.allSegment }, 'BAD_USER_INPUT', 'segmentId'],
      [{ name: 'x', value: 1, departmentId: UNKNOWN }, 'NOT_FOUND', 'departmentId'],
      [{ name: 'x', value: 1, segmentId: UNKNOWN }, 'NOT_FOUND', 'segmentId'],
      [{ name: 'x', value: 1, departmentId: 'B' }, 'BAD_USER_INPUT', 'departmentId'],
      [{ name: 'x', value: 101, departmentId: ids.B }, 'BAD_USER_INPUT', 'value'],
      [{ name: ' ', value: 1, departmentId: ids.B }, 'BAD_USER_INPUT', 'name'],
    ];
    for (const [i, code, field] of cases) {
      const res = await t.exec(CREATE_S, { i });
      expect([field, codes(res), res.errors![0].extensions!.field]).toEqual([field, [code], field]);
    }
    expect((await t.ok(`query($d: ID) { standards(departmentId: $d) { name } }`, { d: ids.B })).standards).toEqual([]);
  });

  it('one standard per scope and kind: CONFLICT naming the other; another kind is fine', async () => {
    const dup = await t.exec(CREATE_S, { i: { name: 'Again', value: 1, departmentId: ids.CO } });
    expect(codes(dup)).toEqual(['CONFLICT']);
    expect(dup.errors![0].extensions!.standardId).toBe(ids.coStd);
    const tx = await standard({ name: 'CO transactional', value: 20, departmentId: ids.CO, surveyKind: 'TRANSACTIONAL' });
    const clash = await t.exec(UPDATE_S, { id: tx, i: { surveyKind: null } });
    expect(codes(clash)).toEqual(['CONFLICT']);
    const up = await t.ok(UPDATE_S, { id: tx, i: { value: 22, description: 'agreed in Q1', name: ' CO tx ' } });
    expect(up.updateStandard).toMatchObject({ name: 'CO tx', value: 22, surveyKind: 'TRANSACTIONAL', description: 'agreed in Q1' });
    const nul = await t.exec(UPDATE_S, { id: tx, i: { value: null } });
    expect([codes(nul), nul.errors![0].extensions!.field]).toEqual([['BAD_USER_INPUT'], 'value']);
    expect(await t.ok(DELETE_S, { id: tx })).toEqual({ deleteStandard: tx });
    expect(codes(await t.exec(DELETE_S, { id: tx }))).toEqual(['NOT_FOUND']);
  });

  it('the database enforces the same rules', async () => {
    await expect(q(`INSERT INTO benchmarks (name, industry, survey_kind, value, source, year) VALUES ('v', 'i', 'RELATIONSHIP', 100.1, 's', 2026)`)).rejects.toThrow(/benchmarks_value_range/);
    await expect(q(`INSERT INTO benchmarks (name, industry, survey_kind, value, source, year) VALUES ('B2B RELATIONSHIP 2026', 'b2b services', 'RELATIONSHIP', 1, 's', 2026)`)).rejects.toThrow(/benchmarks_identity_key/);
    await expect(q(`INSERT INTO nps_standards (name, value, department_id, segment_id) VALUES ('x', 1, $1, $2)`, [ids.B, ids.allSegment])).rejects.toThrow(/nps_standards_one_scope/);
    await expect(q(`INSERT INTO nps_standards (name, value) VALUES ('x', 1)`)).rejects.toThrow(/nps_standards_one_scope/);
    await expect(q(`INSERT INTO nps_standards (name, value, department_id) VALUES ('x', -100.5, $1)`, [ids.B])).rejects.toThrow(/nps_standards_value_range/);
    // a null kind ("any kind") is one value: a second any-kind standard for CO is a duplicate
    await expect(q(`INSERT INTO nps_standards (name, value, department_id) VALUES ('x', 1, $1)`, [ids.CO])).rejects.toThrow(/nps_standards_scope_key/);
  });
});
