import DataLoader from 'dataloader';
import { seedDemo } from '../seeds';
import { DEMO_ANCHOR, DEMO_ANCHOR_INSTANT } from './support/demo-anchor';
import type { Department } from '../src/modules/departments/department.entity';
import { codes, createTestApp, GqlResult, TestApp, viewers } from './support/test-app';

/**
 * filter.departmentCodes (issue "Filters accept department codes as well as ids"): the same figures
 * as departmentIds naming the same departments, on the demo data; unknown codes and codes given
 * with ids are refused; a MANAGER naming a department outside its subtree by code is FORBIDDEN, as
 * by id; codes are resolved in one batched lookup per request; segments may store codes.
 */
let t: TestApp;
const dept: Record<string, string> = {};
const WINDOW = { from: '2025-05-01T00:00:00Z', to: DEMO_ANCHOR_INSTANT.toISOString() };

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.deps.ds, { responses: 3000, anchor: DEMO_ANCHOR });
  for (const d of await t.deps.ds.query('SELECT id, code FROM departments')) dept[d.code] = d.id;
}, 300_000);
afterAll(() => t.close());

const SCORE = 'responses promoters passives detractors nps';
const QUERIES: Record<string, string> = {
  // Benchmarks follow the one department a filter names: the same standard by code as by id.
  npsSummary: `query($f: ResponseFilter) { npsSummary(filter: $f) { ${SCORE} benchmarks { kind name inherited gap } } }`,
  npsTrend: `query($f: ResponseFilter) { npsTrend(filter: $f, interval: MONTH) { periodStart score { ${SCORE} } } }`,
  responses: `query($f: ResponseFilter) { responses(filter: $f, first: 500) { totalCount edges { node { id score } } } }`,
  departmentScores: `query($f: ResponseFilter) { departmentScores(filter: $f) { department { code } score { ${SCORE} } } }`,
};
const ids = (...names: string[]) => names.map((n) => dept[n]);
const fieldOf = (res: GqlResult) => res.errors?.[0]?.extensions?.field;

describe('departmentCodes gives the same figures as departmentIds', () => {
  it.each([
    [['CX-SUP'], {}],
    [['OPS', 'PRD-APP'], {}],
    [['CO'], {}],
    [['CX-SUP-EMEA', 'SAL'], { channels: ['email', 'phone'] }],
    [['CX'], { categories: ['DETRACTOR'], hasComment: true }],
  ] as [string[], Record<string, unknown>][])('%j with %j', async (codeList, more) => {
    for (const [name, query] of Object.entries(QUERIES)) {
      const byId = await t.ok(query, { f: { ...WINDOW, ...more, departmentIds: ids(...codeList) } });
      const byCode = await t.ok(query, { f: { ...WINDOW, ...more, departmentCodes: codeList } });
      expect([name, byCode]).toEqual([name, byId]);
    }
    const { npsSummary } = await t.ok(QUERIES.npsSummary, { f: { ...WINDOW, ...more, departmentCodes: codeList } });
    expect(npsSummary.responses).toBeGreaterThan(0);
  });

  it('applies the standard of the one department named by code, as by id', async () => {
    const { npsSummary } = await t.ok(QUERIES.npsSummary, { f: { ...WINDOW, departmentCodes: ['CX-SUP-EMEA'] } });
    expect(npsSummary.benchmarks.filter((b: { kind: string }) => b.kind !== 'INDUSTRY')).toEqual([
      expect.objectContaining({ kind: 'DEPARTMENT_STANDARD', inherited: true }),
    ]);
  });

  it('treats an empty list as no restriction, like departmentIds', async () => {
    const all = await t.ok(QUERIES.npsSummary, { f: WINDOW });
    expect(await t.ok(QUERIES.npsSummary, { f: { ...WINDOW, departmentCodes: [] } })).toEqual(all);
    // With an empty list of the other kind, the non-empty one applies alone.
    const sup = await t.ok(QUERIES.npsSummary, { f: { ...WINDOW, departmentIds: ids('CX-SUP') } });
    expect(await t.ok(QUERIES.npsSummary, { f: { ...WINDOW, departmentIds: [], departmentCodes: ['CX-SUP'] } })).toEqual(sup);
  });
});

describe('departmentCodes refused', () => {
  it.each(Object.entries(QUERIES))('%s: an unknown code is BAD_USER_INPUT naming the field and the code', async (_name, query) => {
    const res = await t.exec(query, { f: { ...WINDOW, departmentCodes: ['CX-SUP', 'NOPE'] } });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(fieldOf(res)).toBe('filter.departmentCodes');
    expect(res.errors![0].message).toBe('filter.departmentCodes: no department has the code "NOPE"');
  });

  it('names every unknown code; codes match exactly (case matters)', async () => {
    const res = await t.exec(QUERIES.npsSummary, { f: { departmentCodes: ['x-1', 'cx-sup'] } });
    expect(res.errors![0].message).toBe('filter.departmentCodes: no department has the codes "x-1", "cx-sup"');
  });

  it('with departmentIds is BAD_USER_INPUT (fields combine with AND, so the two would narrow, not add)', async () => {
    const res = await t.exec(QUERIES.npsSummary, { f: { departmentIds: ids('CX'), departmentCodes: ['OPS'] } });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(fieldOf(res)).toBe('filter.departmentCodes');
  });

  it('a value that is not a list of strings is BAD_USER_INPUT at the GraphQL layer', async () => {
    expect(codes(await t.exec(QUERIES.npsSummary, { f: { departmentCodes: [7] } }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('a MANAGER naming departments by code', () => {
  const asMgr = (query: string, f: Record<string, unknown>) => t.exec(query, { f }, { viewer: viewers.manager(dept.CX) });

  it.each(Object.entries(QUERIES))('%s: inside its subtree, the same figures as by id', async (_name, query) => {
    const byId = await asMgr(query, { ...WINDOW, departmentIds: ids('CX-SUP', 'CX-ONB') });
    const byCode = await asMgr(query, { ...WINDOW, departmentCodes: ['CX-SUP', 'CX-ONB'] });
    expect(byId.errors).toBeUndefined();
    expect(byCode).toEqual(byId);
  });

  it.each(Object.entries(QUERIES))('%s: outside its subtree, FORBIDDEN as by id', async (_name, query) => {
    for (const outside of [['OPS'], ['CX', 'OPS'], ['CO']]) {
      const byId = await asMgr(query, { ...WINDOW, departmentIds: ids(...outside) });
      const byCode = await asMgr(query, { ...WINDOW, departmentCodes: outside });
      expect([outside, codes(byId), codes(byCode)]).toEqual([outside, ['FORBIDDEN'], ['FORBIDDEN']]);
      expect(byCode.data ?? null).toBeNull();
      expect(byCode.errors![0].message).toContain(`Department ${outside[outside.length - 1]} is outside`);
    }
  });
});

describe('resolving codes', () => {
  it('reads the codes of the filters compiled together in one lookup, and a code once per request', async () => {
    const ctx = t.ctx();
    const batches: string[][] = [];
    const inner = ctx.loaders.departmentByCode;
    ctx.loaders.departmentByCode = new DataLoader<string, Department | null>(async (keys) => {
      batches.push([...keys].sort());
      return Promise.all(keys.map((k) => inner.load(k)));
    });
    // The summaries compile together; the trend compiles after its bucket statement, naming CX again.
    const query = `query($a: ResponseFilter, $b: ResponseFilter, $c: ResponseFilter, $d: ResponseFilter) {
      a: npsSummary(filter: $a) { responses } b: npsSummary(filter: $b) { responses } c: npsSummary(filter: $c) { responses }
      d: npsTrend(filter: $d, interval: QUARTER) { score { responses } }
    }`;
    const f = (...departmentCodes: string[]) => ({ ...WINDOW, departmentCodes });
    const variables = { a: f('CX'), b: f('OPS', 'SAL'), c: f('SAL', 'CX-ONB'), d: f('CX', 'PRD') };
    const res = await t.app.apollo.executeOperation({ query, variables }, { contextValue: ctx });
    expect(res.body.kind === 'single' && res.body.singleResult.errors).toBeUndefined();
    expect(batches).toEqual([['CX', 'CX-ONB', 'OPS', 'SAL'], ['PRD']]);
  });
});

describe('segments storing departmentCodes', () => {
  const CREATE = `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id filter { departmentCodes departmentIds departments { code } } } }`;
  const SEGMENT_SCORE = `query($id: ID!, $f: ResponseFilter) { segment(id: $id) { score(filter: $f) { ${SCORE} } } }`;
  const SUMMARY = `query($f: ResponseFilter) { npsSummary(filter: $f) { ${SCORE} } }`;

  it('stores the codes, and scores as departmentIds would', async () => {
    const { createSegment: s } = await t.ok(CREATE, { input: { name: 'Support by code', filter: { departmentCodes: ['CX-SUP', 'CX-SUP'] } } });
    expect(s.filter).toEqual({ departmentCodes: ['CX-SUP'], departmentIds: null, departments: [{ code: 'CX-SUP' }] });
    const byId = await t.ok(SUMMARY, { f: { departmentIds: ids('CX-SUP') } });
    expect((await t.ok(SEGMENT_SCORE, { id: s.id })).segment.score).toEqual(byId.npsSummary);
    // A request's filter narrows the segment (AND), whichever way either names departments.
    const emea = await t.ok(SUMMARY, { f: { departmentIds: ids('CX-SUP-EMEA') } });
    expect((await t.ok(SEGMENT_SCORE, { id: s.id, f: { departmentIds: ids('CX-SUP-EMEA') } })).segment.score).toEqual(emea.npsSummary);
    expect((await t.ok(SUMMARY, { f: { segmentId: s.id, departmentCodes: ['CX-SUP-EMEA'] } })).npsSummary).toEqual(emea.npsSummary);
  });

  it('refuses an unknown code when saved, naming the input field', async () => {
    const res = await t.exec(CREATE, { input: { name: 'Bad code', filter: { departmentCodes: ['NOPE'] } } });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(fieldOf(res)).toBe('input.filter.departmentCodes');
  });

  it('a stored code no department has (written outside the API) matches nothing, like a gone id', async () => {
    const [{ id }] = await t.deps.ds.query(`INSERT INTO segments (name, filter) VALUES ('Gone', '{"departmentCodes":["GONE"]}') RETURNING id`);
    expect((await t.ok(SEGMENT_SCORE, { id })).segment.score).toMatchObject({ responses: 0, nps: null });
  });
});
