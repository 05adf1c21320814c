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

/** The trigger functions and triggers on responses that keep every rollup exact. */
export function maintenanceDdl(defs: readonly RollupDef[]): string[] {
  const apply = (source: string) => defs.map((d) => `${upsertFrom(d, source)};`).join('\n    ');
  const fn = (name: string, source: string) => `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    ${apply(source)}
    RETURN NULL;
  END $fn$`;
  return [
    fn('nps_rollups_on_insert', `(SELECT ${DELTA_COLUMNS}, 1 AS sign FROM new_rows)`),
    fn('nps_rollups_on_delete', `(SELECT ${DELTA_COLUMNS}, -1 AS sign FROM old_rows)`),
    fn(
      'nps_rollups_on_update',
      `(SELECT ${DELTA_COLUMNS}, 1 AS sign FROM new_rows UNION ALL SELECT ${DELTA_COLUMNS}, -1 AS sign FROM old_rows)`,
    ),
    `CREATE OR REPLACE FUNCTION nps_rollups_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    TRUNCATE ${defs.map((d) => d.table).join(', ')};
    RETURN NULL;
  END $fn$`,
    `CREATE TRIGGER nps_rollups_insert AFTER INSERT ON responses REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION nps_rollups_on_insert()`,
    `CREATE TRIGGER nps_rollups_delete AFTER DELETE ON responses REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION nps_rollups_on_delete()`,
    `CREATE TRIGGER nps_rollups_update AFTER UPDATE ON responses REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION nps_rollups_on_update()`,
    `CREATE TRIGGER nps_rollups_truncate AFTER TRUNCATE ON responses FOR EACH STATEMENT EXECUTE FUNCTION nps_rollups_on_truncate()`,
  ];
}

export const dropMaintenanceDdl = [
  'DROP TRIGGER IF EXISTS nps_rollups_insert ON responses',
  'DROP TRIGGER IF EXISTS nps_rollups_delete ON responses',
  'DROP TRIGGER IF EXISTS nps_rollups_update ON responses',
  'DROP TRIGGER IF EXISTS nps_rollups_truncate ON responses',
  'DROP FUNCTION IF EXISTS nps_rollups_on_insert()',
  'DROP FUNCTION IF EXISTS nps_rollups_on_delete()',
  'DROP FUNCTION IF EXISTS nps_rollups_on_update()',
  'DROP FUNCTION IF EXISTS nps_rollups_on_truncate()',
];
