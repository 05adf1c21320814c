import type { RollupDef } from './rollup-defs';
import { upsertFrom } from './rollup-sql';

/**
 * SQL that keeps the per-theme rollups exact (migration 1764001410000), like rollup-sql.ts does for
 * the others, but counted from `response_themes`: statement-level triggers on it add inserted
 * mentions, subtract deleted ones (a deleted response's mentions go with it, ON DELETE CASCADE) and
 * subtract-then-add updated ones. The mentions carry copies of their response's time, score,
 * department and survey; a trigger on responses updates the copies of the responses a statement
 * changed, which those triggers then carry into the rollups, in the same transaction.
 */
export const MENTION_COLUMNS = 'responded_at, score, department_id, survey_id, theme_id';

export function themeMaintenanceDdl(defs: readonly RollupDef[]): string[] {
  const apply = (source: string) => defs.map((d) => `${upsertFrom(d, source)};`).join('\n    ');
  const fn = (name: string, source: string) => `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    ${apply(source)}
    RETURN NULL;
  END $fn$`;
  return [
    fn('theme_rollups_on_insert', `(SELECT ${MENTION_COLUMNS}, 1 AS sign FROM new_rows)`),
    fn('theme_rollups_on_delete', `(SELECT ${MENTION_COLUMNS}, -1 AS sign FROM old_rows)`),
    fn('theme_rollups_on_update', `(SELECT ${MENTION_COLUMNS}, 1 AS sign FROM new_rows UNION ALL SELECT ${MENTION_COLUMNS}, -1 AS sign FROM old_rows)`),
    `CREATE OR REPLACE FUNCTION theme_rollups_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    TRUNCATE ${defs.map((d) => d.table).join(', ')};
    RETURN NULL;
  END $fn$`,
    `CREATE TRIGGER theme_rollups_insert AFTER INSERT ON response_themes REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION theme_rollups_on_insert()`,
    `CREATE TRIGGER theme_rollups_delete AFTER DELETE ON response_themes REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION theme_rollups_on_delete()`,
    `CREATE TRIGGER theme_rollups_update AFTER UPDATE ON response_themes REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION theme_rollups_on_update()`,
    `CREATE TRIGGER theme_rollups_truncate AFTER TRUNCATE ON response_themes FOR EACH STATEMENT EXECUTE FUNCTION theme_rollups_on_truncate()`,
    // The copies follow their response (only rows whose copied columns changed are written).
    `CREATE OR REPLACE FUNCTION response_themes_follow_responses() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    UPDATE response_themes rt SET responded_at = n.responded_at, score = n.score, department_id = n.department_id, survey_id = n.survey_id
    FROM new_rows n
    WHERE rt.response_id = n.id
      AND (rt.responded_at, rt.score, rt.department_id, rt.survey_id) IS DISTINCT FROM (n.responded_at, n.score, n.department_id, n.survey_id);
    RETURN NULL;
  END $fn$`,
    `CREATE TRIGGER response_themes_follow_responses AFTER UPDATE ON responses REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION response_themes_follow_responses()`,
  ];
}

export const dropThemeMaintenanceDdl = [
  'DROP TRIGGER IF EXISTS response_themes_follow_responses ON responses',
  'DROP FUNCTION IF EXISTS response_themes_follow_responses()',
  'DROP TRIGGER IF EXISTS theme_rollups_insert ON response_themes',
  'DROP TRIGGER IF EXISTS theme_rollups_delete ON response_themes',
  'DROP TRIGGER IF EXISTS theme_rollups_update ON response_themes',
  'DROP TRIGGER IF EXISTS theme_rollups_truncate ON response_themes',
  'DROP FUNCTION IF EXISTS theme_rollups_on_insert()',
  'DROP FUNCTION IF EXISTS theme_rollups_on_delete()',
  'DROP FUNCTION IF EXISTS theme_rollups_on_update()',
  'DROP FUNCTION IF EXISTS theme_rollups_on_truncate()',
];
