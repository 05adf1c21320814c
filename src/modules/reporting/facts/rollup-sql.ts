import type { RollupDef } from './rollup-defs';

/**
 * SQL that maintains and rebuilds the rollups, generated from their definitions (the migration
 * passes its frozen copy, the rebuild command the live one). Counts are signed deltas: inserted
 * rows add, deleted rows subtract, an update subtracts the old row and adds the new, all inside
 * the writing statement's transaction, so a write that rolls back leaves the rollups as they were
 * and an ON CONFLICT DO NOTHING duplicate (absent from the transition table) counts nothing.
 * Keys are upserted in key order, so two writers touching the same keys wait instead of deadlocking.
 */
export const bucketExpr = (grain: RollupDef['grain'], ts: string) => `date_trunc('${grain}', ${ts} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;

const counts = (sign: string) =>
  `sum(${sign} * (score >= 9)::int) AS promoters, sum(${sign} * (score BETWEEN 7 AND 8)::int) AS passives, sum(${sign} * (score <= 6)::int) AS detractors`;

/** One upsert of a rollup from `source` (rows of responses columns plus a `sign` column). */
export function upsertFrom(def: RollupDef, source: string): string {
  const keys = ['bucket_start', ...def.dims];
  const cols = keys.join(', ');
  return `INSERT INTO ${def.table} AS t (${cols}, promoters, passives, detractors)
    SELECT ${bucketExpr(def.grain, 'responded_at')} AS bucket_start, ${def.dims.join(', ')}, ${counts('sign')}
    FROM ${source} d
    GROUP BY ${keys.map((_, i) => i + 1).join(', ')}
    ORDER BY ${keys.map((_, i) => i + 1).join(', ')}
    ON CONFLICT (${cols}) DO UPDATE SET promoters = t.promoters + EXCLUDED.promoters,
      passives = t.passives + EXCLUDED.passives, detractors = t.detractors + EXCLUDED.detractors`;
}

export const DELTA_COLUMNS = 'responded_at, score, department_id, survey_id, channel, touchpoint, region, plan, product, signup_channel, agent_id';

/** The DDL of one rollup table: keys unique with NULLs equal (a response may lack a department). */
export function createTable(def: RollupDef): string[] {
  const types: Record<string, string> = { department_id: 'uuid', survey_id: 'uuid', agent_id: 'uuid', theme_id: 'uuid' };
  const dimCols = def.dims.map((d) => `"${d}" ${types[d] ?? 'text'}`).join(', ');
  return [
    `CREATE TABLE "${def.table}" ("bucket_start" timestamptz NOT NULL, ${dimCols},
      "promoters" integer NOT NULL DEFAULT 0, "passives" integer NOT NULL DEFAULT 0, "detractors" integer NOT NULL DEFAULT 0)`,
    `CREATE UNIQUE INDEX "${def.table}_key" ON "${def.table}" ("bucket_start", ${def.dims.map((d) => `"${d}"`).join(', ')}) NULLS NOT DISTINCT`,
  ];
}

/**
 * Statement-level triggers on `table` that keep the rollups `defs` exact: inserted rows (their
 * `columns`) are added, deleted ones subtracted, updated ones subtracted then added, a truncate
 * empties the rollups. Functions and triggers are named `<prefix>_on_<event>` and `<prefix>_<event>`.
 */
export function rollupTriggersDdl(prefix: string, table: string, columns: string, defs: readonly RollupDef[]): string[] {
  const apply = (source: string) => defs.map((d) => `${upsertFrom(d, source)};`).join('\n    ');
  const fn = (name: string, body: string) => `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    ${body}
    RETURN NULL;
  END $fn$`;
  const rows = (sign: 1 | -1) => `SELECT ${columns}, ${sign} AS sign FROM ${sign === 1 ? 'new_rows' : 'old_rows'}`;
  const trigger = (event: string, referencing: string) =>
    `CREATE TRIGGER ${prefix}_${event.toLowerCase()} AFTER ${event} ON ${table}${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${prefix}_on_${event.toLowerCase()}()`;
  return [
    fn(`${prefix}_on_insert`, apply(`(${rows(1)})`)),
    fn(`${prefix}_on_delete`, apply(`(${rows(-1)})`)),
    fn(`${prefix}_on_update`, apply(`(${rows(1)} UNION ALL ${rows(-1)})`)),
    fn(`${prefix}_on_truncate`, `TRUNCATE ${defs.map((d) => d.table).join(', ')};`),
    trigger('INSERT', ' REFERENCING NEW TABLE AS new_rows'),
    trigger('DELETE', ' REFERENCING OLD TABLE AS old_rows'),
    trigger('UPDATE', ' REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows'),
    trigger('TRUNCATE', ''),
  ];
}

/** The DROP statements undoing rollupTriggersDdl(prefix, table, ...). */
export const dropRollupTriggersDdl = (prefix: string, table: string): string[] => [
  ...['insert', 'delete', 'update', 'truncate'].map((e) => `DROP TRIGGER IF EXISTS ${prefix}_${e} ON ${table}`),
  ...['insert', 'delete', 'update', 'truncate'].map((e) => `DROP FUNCTION IF EXISTS ${prefix}_on_${e}()`),
];

/** The trigger functions and triggers on responses that keep every rollup exact. */
export const maintenanceDdl = (defs: readonly RollupDef[]): string[] => rollupTriggersDdl('nps_rollups', 'responses', DELTA_COLUMNS, defs);

export const dropMaintenanceDdl = dropRollupTriggersDdl('nps_rollups', 'responses');
