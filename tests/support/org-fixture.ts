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
