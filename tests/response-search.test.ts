import { codes, createTestApp, TestApp, viewers } from './support/test-app';
import { SqlParams } from '../src/common/sql-params';
import { ensureSearchIndex, searchMatchSql } from '../src/db/text-search-index';

/**
 * The `search` and `themeIds` filters on PGlite: full-text search over the comment and follow-up
 * answers with the english stemmer (websearch_to_tsquery), answered through the GIN index; theme
 * filters; the language from TEXT_SEARCH_LANGUAGE; and who may use them.
 *
 *   s1 (3)  "The deliveries were delayed twice"            delivery
 *   s2 (10) "Delivered on time, great service"             delivery
 *   s3 (2)  no comment; answer "Waiting on hold for ages"  support_wait
 *   s4 (1)  "The invoice was wrong and the refund is late" billing
 *   s5 (9)  "Great price"                                  price
 *   s6 (8)  no verbatim
 * english stems: deliveries, delivery → deliveri; delivered → deliv; waiting, waited → wait; delayed → delay; "the" is a stop word.
 */
let t: TestApp;
const ids: Record<string, string> = {};

const LIST = `query($f: ResponseFilter) { responses(filter: $f) { totalCount edges { node { externalRef } } } }`;
const refs = async (f: object, viewer = viewers.admin) => {
  const res = await t.ok(LIST, { f }, { viewer });
  expect(res.responses.totalCount).toBe(res.responses.edges.length);
  return res.responses.edges.map((e: any) => e.node.externalRef).sort();
};

beforeAll(async () => {
  t = await createTestApp();
  for (const [code, parent] of [['CO', null], ['A', 'CO'], ['B', 'CO']] as const) {
    ids[code] = (await t.ok(`mutation($i: DepartmentInput!) { upsertDepartment(input: $i) { id } }`, { i: { code, name: code, parentCode: parent } })).upsertDepartment.id;
  }
  await t.ok(`mutation { upsertSurvey(input: { code: "TX", name: "Support", kind: TRANSACTIONAL }) { id } }`);
  const row = (ref: string, score: number, dept: string, comment: string | null, answer?: string) => ({
    externalRef: ref,
    surveyCode: 'TX',
    departmentCode: dept,
    score,
    respondedAt: '2026-06-01T10:00:00Z',
    comment,
    followUpAnswers: answer ? [{ question: 'Why did you give that score?', answer }] : null,
  });
  await t.ok(`mutation($r: [ResponseInput!]!) { submitResponses(responses: $r) { accepted } }`, {
    r: [
      row('s1', 3, 'A', 'The deliveries were delayed twice'),
      row('s2', 10, 'A', 'Delivered on time, great service'),
      row('s3', 2, 'A', null, 'Waiting on hold for ages'),
      row('s4', 1, 'B', 'The invoice was wrong and the refund is late'),
      row('s5', 9, 'B', 'Great price'),
      row('s6', 8, 'B', null),
    ],
  });
  for (const th of (await t.ok(`{ themes { id code } }`)).themes) ids[th.code] = th.id;
});
afterAll(() => t.close());

describe('search', () => {
  it('finds words by their stem, in comments and follow-up answers', async () => {
    expect(await refs({ search: 'delivery' })).toEqual(['s1']); // deliveries: deliveri (delivered is deliv)
    expect(await refs({ search: 'Deliveries' })).toEqual(['s1']);
    expect(await refs({ search: 'delivered' })).toEqual(['s2']);
    expect(await refs({ search: 'waited' })).toEqual(['s3']); // "Waiting" in s3's answer
    expect(await refs({ search: 'delay' })).toEqual(['s1']);
  });

  it('reads web-search syntax: all words, or, -word, "phrases"', async () => {
    expect(await refs({ search: 'great service' })).toEqual(['s2']);
    expect(await refs({ search: 'great' })).toEqual(['s2', 's5']);
    expect(await refs({ search: 'late or delayed' })).toEqual(['s1', 's4']);
    expect(await refs({ search: 'refund -invoice' })).toEqual([]);
    expect(await refs({ search: 'great -price' })).toEqual(['s2']);
    expect(await refs({ search: '"on hold for ages"' })).toEqual(['s3']);
    expect(await refs({ search: '"ages for hold"' })).toEqual([]);
  });

  it('treats blank as no restriction, finds nothing for stop words alone, and refuses 501 characters', async () => {
    expect(await refs({ search: '   ' })).toHaveLength(6);
    expect(await refs({ search: 'the' })).toEqual([]);
    const long = await t.exec(LIST, { f: { search: 'x'.repeat(501) } });
    expect(long.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.search' });
  });

  it('counts through every report that takes a filter, and in a saved segment', async () => {
    const d = await t.ok(`{
      npsSummary(filter: { search: "great" }) { responses promoters }
      npsTrend(interval: MONTH, filter: { search: "great", from: "2026-05-01T00:00:00Z", to: "2026-07-01T00:00:00Z" }) { score { responses } }
      closedLoop(filter: { search: "late", themeIds: ["${ids.billing}"] }) { detractors }
      departmentScores(filter: { themeIds: ["${ids.delivery}"] }) { department { code } score { responses } }
    }`);
    expect(d.npsSummary).toEqual({ responses: 2, promoters: 2 });
    expect(d.npsTrend.map((p: any) => p.score.responses)).toEqual([0, 2]);
    expect(d.closedLoop.detractors).toBe(1);
    expect(d.departmentScores).toEqual([{ department: { code: 'CO' }, score: { responses: 2 } }]);
    const seg = await t.ok(`mutation { createSegment(input: { name: "Late", filter: { search: "late or delayed" } }) { id filter { search } score { responses detractors } } }`);
    expect(seg.createSegment).toMatchObject({ filter: { search: 'late or delayed' }, score: { responses: 2, detractors: 2 } });
  });

  it('is answered through the GIN index of its language', async () => {
    const params = new SqlParams();
    const where = searchMatchSql('r', params.p('delivery'), 'english');
    const plan = await t.deps.ds.transaction(async (em) => {
      await em.query('SET LOCAL enable_seqscan = off');
      return em.query(`EXPLAIN SELECT id FROM responses r WHERE ${where}`, params.values);
    });
    expect(plan.map((r: any) => r['QUERY PLAN']).join('\n')).toMatch(/responses_search_english_idx/);
  });
});

describe('themeIds', () => {
  it('keeps responses mentioning any of the themes, with the other fields', async () => {
    expect(await refs({ themeIds: [ids.delivery] })).toEqual(['s1', 's2']);
    expect(await refs({ themeIds: [ids.delivery, ids.billing] })).toEqual(['s1', 's2', 's4']);
    expect(await refs({ themeIds: [ids.delivery], search: 'delayed' })).toEqual(['s1']);
    expect(await refs({ themeIds: [ids.support_wait], categories: ['DETRACTOR'] })).toEqual(['s3']);
    const unknown = await t.exec(LIST, { f: { themeIds: ['00000000-0000-4000-8000-000000000000'] } });
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'filter.themeIds' });
  });

  it('shows a response its themes', async () => {
    const res = await t.ok(`{ responses(filter: { search: "deliveries" }) { edges { node { themes { code name } } } } }`);
    expect(res.responses.edges[0].node.themes).toEqual([{ code: 'delivery', name: 'Delivery' }]);
  });
});

describe('who may search', () => {
  it('keeps a MANAGER in its subtree', async () => {
    expect(await refs({ search: 'great' }, viewers.manager(ids.A))).toEqual(['s2']);
    expect(await refs({ themeIds: [ids.billing] }, viewers.manager(ids.A))).toEqual([]);
  });

  it('refuses INTEGRATION keys the filters, and the themes of a response they stored', async () => {
    const ctx = t.ctx(viewers.integration);
    for (const f of [{ search: 'late' }, { themeIds: [ids.delivery] }]) {
      await expect(t.app.services.filters.plan(ctx, f, new SqlParams())).rejects.toMatchObject({ code: 'FORBIDDEN', field: `filter.${Object.keys(f)[0]}` });
    }
    const stored = await t.exec(
      `mutation { submitResponses(responses: [{ externalRef: "int-1", surveyCode: "TX", score: 2, respondedAt: "2026-06-02T10:00:00Z", comment: "Late delivery" }]) { results { response { id themes { code } } } } }`,
      {},
      { viewer: viewers.integration },
    );
    expect(codes(stored)).toEqual(['FORBIDDEN']);
    expect(stored.errors?.[0].path).toEqual(['submitResponses', 'results', 0, 'response', 'themes']);
  });
});

describe('TEXT_SEARCH_LANGUAGE', () => {
  it('stems with the configured language, through an index built for it', async () => {
    const simple = await createTestApp({ TEXT_SEARCH_LANGUAGE: 'simple' });
    try {
      expect(await ensureSearchIndex(simple.deps.ds, 'simple', { concurrently: false })).toBe('built');
      expect(await ensureSearchIndex(simple.deps.ds, 'simple', { concurrently: false })).toBe('exists');
      await expect(ensureSearchIndex(simple.deps.ds, 'klingon', { concurrently: false })).rejects.toThrow(/TEXT_SEARCH_LANGUAGE=klingon/);
      await simple.ok(`mutation { upsertSurvey(input: { code: "TX", name: "Support", kind: TRANSACTIONAL }) { id } }`);
      await simple.ok(`mutation { submitResponses(responses: [{ externalRef: "x", surveyCode: "TX", score: 3, respondedAt: "2026-06-01T10:00:00Z", comment: "The deliveries were late" }]) { accepted } }`);
      const count = async (search: string) => (await simple.ok(`query($s: String) { responses(filter: { search: $s }) { totalCount } }`, { s: search })).responses.totalCount;
      // No stemming and no stop words in the simple configuration.
      expect([await count('deliveries'), await count('delivery'), await count('the')]).toEqual([1, 0, 1]);
    } finally {
      await simple.close();
    }
  });
});
