import { MigrationInterface, QueryRunner } from 'typeorm';
import type { RollupDef } from '../modules/reporting/facts/rollup-defs';
import { createTable, upsertFrom } from '../modules/reporting/facts/rollup-sql';
import { dropThemeMaintenanceDdl, MENTION_COLUMNS, themeMaintenanceDdl } from '../modules/reporting/facts/theme-rollup-sql';

/** The per-theme rollup as this migration created it (frozen: a later change of the live list needs a new migration). */
const DEFS: readonly RollupDef[] = [
  { table: 'nps_rollup_day_theme', grain: 'day', dims: ['department_id', 'survey_id', 'theme_id'], rank: 2, source: 'response_themes' },
];

/**
 * The theme joins the rollups (src/modules/reporting/facts/rollup-defs.ts): counts of the responses
 * mentioning each theme per day, department and survey, counted from response_themes and kept exact
 * by statement-level triggers on it; the mentions' copies of their response follow every update of
 * responses (src/modules/reporting/facts/theme-rollup-sql.ts).
 */
export class ThemeRollup1764001410000 implements MigrationInterface {
  name = 'ThemeRollup1764001410000';

  public async up(q: QueryRunner): Promise<void> {
    for (const def of DEFS) for (const sql of createTable(def)) await q.query(sql);
    for (const def of DEFS) await q.query(upsertFrom(def, `(SELECT ${MENTION_COLUMNS}, 1 AS sign FROM response_themes)`));
    for (const sql of themeMaintenanceDdl(DEFS)) await q.query(sql);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const sql of dropThemeMaintenanceDdl) await q.query(sql);
    for (const def of DEFS) await q.query(`DROP TABLE IF EXISTS "${def.table}"`);
  }
}
