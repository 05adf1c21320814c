import type { RollupDef } from './rollup-defs';
import { dropRollupTriggersDdl, rollupTriggersDdl } from './rollup-sql';

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
  return [
    ...rollupTriggersDdl('theme_rollups', 'response_themes', MENTION_COLUMNS, defs),
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
  ...dropRollupTriggersDdl('theme_rollups', 'response_themes'),
];
