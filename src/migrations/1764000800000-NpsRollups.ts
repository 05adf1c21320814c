import { MigrationInterface, QueryRunner } from 'typeorm';
import type { RollupDef } from '../modules/reporting/facts/rollup-defs';
import { createTable, DELTA_COLUMNS, dropMaintenanceDdl, maintenanceDdl, upsertFrom } from '../modules/reporting/facts/rollup-sql';

/** The lattice as this migration created it (frozen: a later change of the live list needs a new migration). */
const DEFS: readonly RollupDef[] = [
  { table: 'nps_rollup_hour', grain: 'hour', dims: ['department_id', 'survey_id'], rank: 0 },
  { table: 'nps_rollup_day', grain: 'day', dims: ['department_id', 'survey_id'], rank: 1 },
  { table: 'nps_rollup_day_channel', grain: 'day', dims: ['department_id', 'survey_id', 'channel', 'touchpoint'], rank: 2 },
  { table: 'nps_rollup_day_customer', grain: 'day', dims: ['department_id', 'survey_id', 'region', 'plan'], rank: 3 },
  { table: 'nps_rollup_day_product', grain: 'day', dims: ['department_id', 'survey_id', 'product', 'signup_channel'], rank: 3 },
  { table: 'nps_rollup_day_agent', grain: 'day', dims: ['department_id', 'survey_id', 'agent_id'], rank: 2 },
];

/**
 * Exact rollups of response counts (see src/modules/reporting/facts/rollup-defs.ts), filled from
 * the responses already stored and kept exact by statement-level triggers on responses (insert,
 * update, delete, truncate) inside every writing transaction.
 */
export class NpsRollups1764000800000 implements MigrationInterface {
  name = 'NpsRollups1764000800000';

  public async up(q: QueryRunner): Promise<void> {
    for (const def of DEFS) for (const sql of createTable(def)) await q.query(sql);
    for (const def of DEFS) await q.query(upsertFrom(def, `(SELECT ${DELTA_COLUMNS}, 1 AS sign FROM responses)`));
    for (const sql of maintenanceDdl(DEFS)) await q.query(sql);
    // A department subtree as an array, for filters (cheap to plan, unlike a recursive CTE per condition).
    await q.query(`CREATE FUNCTION department_subtree(roots uuid[]) RETURNS uuid[] LANGUAGE sql STABLE AS $fn$
      WITH RECURSIVE sub(id) AS (SELECT id FROM departments WHERE id = ANY(roots) UNION SELECT d.id FROM departments d JOIN sub ON d.parent_id = sub.id)
      SELECT coalesce(array_agg(id), '{}') FROM sub $fn$`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION IF EXISTS department_subtree(uuid[])');
    for (const sql of dropMaintenanceDdl) await q.query(sql);
    for (const def of DEFS) await q.query(`DROP TABLE IF EXISTS "${def.table}"`);
  }
}
