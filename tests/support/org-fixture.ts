/** The query function of a test's data source. */
export type Sql = (query: string, params?: unknown[]) => Promise<any[]>;

/** The department tree the KPI tests share: CO with SUP (SUP-EU under it) and SALES; each id into ids[code]. */
export async function insertKpiTree(sql: Sql, ids: Record<string, string>): Promise<void> {
  for (const [code, parent] of [['CO', null], ['SUP', 'CO'], ['SUP-EU', 'SUP'], ['SALES', 'CO']] as const) {
    const [row] = await sql('INSERT INTO departments (code, name, parent_id) VALUES ($1, $1, $2) RETURNING id', [code, parent && ids[parent]]);
    ids[code] = row.id;
  }
}

/** A person (email <key>@example.com) in the department ids[deptCode], managed by ids[manager]; the id into ids[key]. */
export async function insertPerson(sql: Sql, ids: Record<string, string>, key: string, name: string, deptCode: string, manager: string | null = null): Promise<void> {
  const [row] = await sql('INSERT INTO people (name, email, department_id, manager_id) VALUES ($1, $2, $3, $4) RETURNING id', [
    name,
    `${key}@example.com`,
    ids[deptCode],
    manager && ids[manager],
  ]);
  ids[key] = row.id;
}

/** A department "Dept <code>" under ids[parent] (null: a root); the id into ids[code]. */
export async function insertDept(sql: Sql, ids: Record<string, string>, code: string, parent: string | null): Promise<void> {
  const [row] = await sql('INSERT INTO departments (code, name, parent_id) VALUES ($1, $2, $3) RETURNING id', [code, `Dept ${code}`, parent ? ids[parent] : null]);
  ids[code] = row.id;
}

let scoreBatch = 0;
/**
 * p promoters (10), a passives (8) and d detractors (0), one second apart from `at`, on the department
 * ids[code] (null: none) for the survey ids[survey] (REL by email, any other by phone), given to ids[agent].
 */
export async function insertScores(
  sql: Sql,
  ids: Record<string, string>,
  code: string | null,
  survey: string,
  [p, a, d]: [number, number, number],
  at: string,
  agent: string | null = null,
): Promise<void> {
  await sql(
    `INSERT INTO responses (external_ref, score, responded_at, department_id, survey_id, channel, agent_id)
     SELECT $1 || '-' || g, CASE WHEN g <= $2 THEN 10 WHEN g <= $2 + $3 THEN 8 ELSE 0 END, $5::timestamptz + g * interval '1 second', $6, $7, $8, $9
     FROM generate_series(1, $4::int) g`,
    [`b${scoreBatch++}`, p, a, p + a + d, at, code ? ids[code] : null, ids[survey], survey === 'REL' ? 'email' : 'phone', agent ? ids[agent] : null],
  );
}
