import { createTestApp, TestApp } from './support/test-app';
import { countStatements as countSql } from './support/statements';

/**
 * departmentScores with nested department fields costs a fixed number of SQL statements: the
 * rollup is one statement and every nested relation goes through a batching loader, so a tree
 * three times larger costs the same.
 */
let t: TestApp;
const roots: Record<string, string> = {};

/** root → `divisions` divisions → `teams` teams each; every department has an owner and a few responses. */
async function buildTree(prefix: string, divisions: number, teams: number, surveyId: string): Promise<number> {
  const q = (s: string, p: unknown[]) => t.db.dataSource.query(s, p);
  let made = 0;
  const make = async (code: string, parentId: string | null) => {
    const [owner] = await q('INSERT INTO people (name) VALUES ($1) RETURNING id', [`Owner of ${code}`]);
    const [d] = await q('INSERT INTO departments (code, name, parent_id, owner_id) VALUES ($1, $1, $2, $3) RETURNING id', [code, parentId, owner.id]);
    await q(
      `INSERT INTO responses (external_ref, score, responded_at, survey_id, department_id)
       SELECT $1 || '-' || g, (g * 7) % 11, '2025-01-01'::timestamptz + g * interval '1 day', $2, $3 FROM generate_series(1, 3) g`,
      [code, surveyId, d.id],
    );
    made++;
    return d.id as string;
  };
  const root = await make(prefix, null);
  roots[prefix] = root;
  for (let i = 0; i < divisions; i++) {
    const div = await make(`${prefix}-D${i}`, root);
    for (let j = 0; j < teams; j++) await make(`${prefix}-D${i}-T${j}`, div);
  }
  return made;
}

beforeAll(async () => {
  t = await createTestApp();
  const [s] = await t.db.dataSource.query(`INSERT INTO surveys (code, name, kind) VALUES ('S', 'S', 'RELATIONSHIP') RETURNING id`);
  expect(await buildTree('SMALL', 7, 1, s.id)).toBe(15); // 1 + 7 + 7
  expect(await buildTree('LARGE', 8, 5, s.id)).toBe(49); // 1 + 8 + 40
});
afterAll(() => t.close());

const QUERY = `query($p: ID, $f: ResponseFilter) {
  departmentScores(parentId: $p, filter: $f) {
    score { responses nps }
    department { code parent { code } children { code owner { name } } }
  }
}`;

async function countStatements(vars: Record<string, unknown>): Promise<{ statements: number; data: any }> {
  const { count: statements, result: data } = await countSql(() => t.ok(QUERY, vars));
  return { statements, data };
}

describe('departmentScores N+1', () => {
  it('uses the same small number of statements whatever the size of the tree', async () => {
    const small = await countStatements({ p: roots.SMALL });
    const large = await countStatements({ p: roots.LARGE });
    expect(small.data.departmentScores).toHaveLength(7);
    expect(large.data.departmentScores).toHaveLength(8);
    // every division: itself + its teams, 3 responses each
    for (const d of small.data.departmentScores) expect(d.score.responses).toBe(3 * 2);
    for (const d of large.data.departmentScores) expect(d.score.responses).toBe(3 * 6);
    expect(large.data.departmentScores[0].department).toEqual({
      code: 'LARGE-D0',
      parent: { code: 'LARGE' },
      children: [0, 1, 2, 3, 4].map((j) => ({ code: `LARGE-D0-T${j}`, owner: { name: `Owner of LARGE-D0-T${j}` } })),
    });
    // parent check, rollup, departments, children, owners
    expect(small.statements).toBeLessThanOrEqual(5);
    expect(large.statements).toBe(small.statements);
  });

  it('stays constant for the roots and with a filter naming departments', async () => {
    const roots1 = await countStatements({});
    expect(roots1.data.departmentScores.map((d: any) => d.department.code)).toEqual(['LARGE', 'SMALL']);
    expect(roots1.data.departmentScores.map((d: any) => d.score.responses)).toEqual([49 * 3, 15 * 3]);
    expect(roots1.statements).toBeLessThanOrEqual(5);
    const filtered = await countStatements({ p: roots.LARGE, f: { departmentIds: [roots.LARGE, roots.SMALL] } });
    const filteredSmall = await countStatements({ p: roots.SMALL, f: { departmentIds: [roots.LARGE, roots.SMALL] } });
    expect(filtered.statements).toBe(filteredSmall.statements);
    expect(filtered.statements).toBeLessThanOrEqual(6);
  });
});
