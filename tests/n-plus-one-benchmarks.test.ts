import { createTestApp, TestApp } from './support/test-app';
import { countStatements as countSql } from './support/statements';

/**
 * NpsScore.benchmarks costs a fixed number of SQL statements however many scores a list holds:
 * the standards of every department (with its ancestors) and segment asked are read in one
 * statement, the industry benchmarks in another. Same shape as n-plus-one-departments.test.ts.
 */
let t: TestApp;
const roots: Record<string, string> = {};
const q = (sql: string, params: unknown[] = []) => t.db.dataSource.query(sql, params);

/** root → `divisions` divisions → `teams` teams each, 3 responses each; a standard on the root and on every other division. */
async function buildTree(prefix: string, divisions: number, teams: number, surveyId: string): Promise<void> {
  const make = async (code: string, parentId: string | null) => {
    const [d] = await q('INSERT INTO departments (code, name, parent_id) VALUES ($1, $1, $2) RETURNING id', [code, parentId]);
    await q(
      `INSERT INTO responses (external_ref, score, responded_at, survey_id, department_id)
       SELECT $1 || '-' || g, (g * 7) % 11, '2025-01-01'::timestamptz + g * interval '1 day', $2, $3 FROM generate_series(1, 3) g`,
      [code, surveyId, d.id],
    );
    return d.id as string;
  };
  const root = await make(prefix, null);
  roots[prefix] = root;
  await q(`INSERT INTO nps_standards (name, value, department_id) VALUES ($1, 20, $2)`, [`${prefix} standard`, root]);
  for (let i = 0; i < divisions; i++) {
    const div = await make(`${prefix}-D${i}`, root);
    if (i % 2 === 0) await q(`INSERT INTO nps_standards (name, value, department_id, survey_kind) VALUES ($1, 30, $2, 'RELATIONSHIP')`, [`${prefix}-D${i} standard`, div]);
    for (let j = 0; j < teams; j++) await make(`${prefix}-D${i}-T${j}`, div);
  }
}

beforeAll(async () => {
  t = await createTestApp();
  const [s] = await q(`INSERT INTO surveys (code, name, kind) VALUES ('S', 'S', 'RELATIONSHIP') RETURNING id`);
  await buildTree('SMALL', 7, 1, s.id);
  await buildTree('LARGE', 8, 5, s.id);
  for (const [year, value] of [[2025, 25], [2026, 28]]) {
    await q(`INSERT INTO benchmarks (name, industry, survey_kind, value, source, year) VALUES ('Relationship', 'Any', 'RELATIONSHIP', $1, 'Illustrative', $2)`, [value, year]);
  }
  for (let i = 0; i < 12; i++) {
    const [seg] = await q(`INSERT INTO segments (name, filter) VALUES ($1, $2) RETURNING id`, [`Seg ${String(i).padStart(2, '0')}`, JSON.stringify({ channels: [`c${i}`] })]);
    await q(`INSERT INTO nps_standards (name, value, segment_id) VALUES ($1, 10, $2)`, [`Seg ${i} standard`, seg.id]);
  }
});
afterAll(() => t.close());

async function countStatements(query: string, vars: Record<string, unknown> = {}): Promise<{ statements: number; data: any }> {
  const { count: statements, result: data } = await countSql(() => t.ok(query, vars));
  return { statements, data };
}

const SCORES = (benchmarks: boolean) => `query($p: ID, $f: ResponseFilter) {
  departmentScores(parentId: $p, filter: $f) {
    department { code }
    score { responses ${benchmarks ? 'benchmarks { kind name inherited gap standard { department { code } } }' : ''} }
  }
}`;

describe('NpsScore.benchmarks N+1', () => {
  it('department scores: two statements more than without benchmarks, whatever the size of the tree', async () => {
    const f = { surveyKind: 'RELATIONSHIP' };
    const small = await countStatements(SCORES(true), { p: roots.SMALL, f });
    const large = await countStatements(SCORES(true), { p: roots.LARGE, f });
    const plain = await countStatements(SCORES(false), { p: roots.LARGE, f });
    expect(small.data.departmentScores).toHaveLength(7);
    expect(large.data.departmentScores).toHaveLength(8);
    // even divisions have a relationship standard of their own; odd ones inherit the root's
    expect(large.data.departmentScores.slice(0, 2).map((d: any) => d.score.benchmarks.map((b: any) => [b.kind, b.name, b.inherited, b.standard?.department.code ?? null]))).toEqual([
      [['DEPARTMENT_STANDARD', 'LARGE-D0 standard', false, 'LARGE-D0'], ['INDUSTRY', 'Relationship', false, null], ['INDUSTRY', 'Relationship', false, null]],
      [['DEPARTMENT_STANDARD', 'LARGE standard', true, 'LARGE'], ['INDUSTRY', 'Relationship', false, null], ['INDUSTRY', 'Relationship', false, null]],
    ]);
    expect(large.statements).toBe(small.statements);
    // one for the standards, one for the industry benchmarks (the standards' departments are already loaded)
    expect(large.statements).toBe(plain.statements + 2);
  });

  it('segment scores: the same number of statements for 3 segments as for 12', async () => {
    const query = `{ segments { name score(filter: { surveyKind: RELATIONSHIP }) { benchmarks { kind name } } } }`;
    const all = await countStatements(query);
    expect(all.data.segments).toHaveLength(12);
    for (const s of all.data.segments) expect(s.score.benchmarks.map((b: any) => b.kind)).toEqual(['SEGMENT_STANDARD', 'INDUSTRY', 'INDUSTRY']);
    await q(`DELETE FROM nps_standards WHERE segment_id IN (SELECT id FROM segments WHERE name >= 'Seg 03')`);
    await q(`DELETE FROM segments WHERE name >= 'Seg 03'`);
    const few = await countStatements(query);
    expect(few.data.segments).toHaveLength(3);
    expect(few.statements).toBe(all.statements);
    expect(all.statements).toBeLessThanOrEqual(4); // segments, their scores, standards, industry benchmarks
  });
});
