/** Anything that runs a parameterised statement: a TypeORM EntityManager or DataSource. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any>;
}

export type PgType = 'uuid' | 'text' | 'int' | 'smallint' | 'boolean' | 'timestamptz' | 'numeric' | 'float8' | 'jsonb';

export interface Col<T> {
  name: string;
  type: PgType;
  value: (row: T) => unknown;
}

export const col = <T>(name: string, type: PgType, value: (row: T) => unknown): Col<T> => ({ name, type, value });

const q = (ident: string) => `"${ident}"`;

/**
 * Inserts rows set-based: one `INSERT ... SELECT FROM json_to_recordset($1)` per chunk, the chunk
 * travelling as a single JSON parameter typed by the record definition. Returns the RETURNING
 * rows. `where` may refer to the incoming row as `x`.
 */
export async function bulkInsert<T>(
  db: Queryable,
  table: string,
  cols: readonly Col<T>[],
  rows: readonly T[],
  opts: { onConflict?: string; returning?: string; where?: string; chunk?: number } = {},
): Promise<any[]> {
  const chunk = opts.chunk ?? 5000;
  const sql =
    `INSERT INTO ${q(table)} (${cols.map((c) => q(c.name)).join(', ')}) ` +
    `SELECT ${cols.map((c) => `x.${q(c.name)}`).join(', ')} ` +
    `FROM json_to_recordset($1::json) AS x(${cols.map((c) => `${q(c.name)} ${c.type}`).join(', ')})` +
    (opts.where ? ` WHERE ${opts.where}` : '') +
    (opts.onConflict ? ` ON CONFLICT ${opts.onConflict}` : '') +
    (opts.returning ? ` RETURNING ${opts.returning}` : '');
  const out: any[] = [];
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk).map((r) => {
      const o: Record<string, unknown> = {};
      for (const c of cols) o[c.name] = c.value(r) ?? null;
      return o;
    });
    const res = await db.query(sql, [JSON.stringify(part)]);
    if (opts.returning) out.push(...res);
  }
  return out;
}
