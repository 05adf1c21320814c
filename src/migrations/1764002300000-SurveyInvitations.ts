import { MigrationInterface, QueryRunner } from 'typeorm';

/** The invitation rollup's counts from a source of (sent_at, survey_id, department_id, channel, answered, sign) rows. */
export const invitationRollupUpsert = (source: string) => `INSERT INTO invitation_rollup_day AS t (bucket_start, survey_id, department_id, channel, invitations, responded)
    SELECT date_trunc('day', sent_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', survey_id, department_id, channel, sum(sign), sum(sign * answered::int)
    FROM ${source} d
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (bucket_start, survey_id, department_id, channel) DO UPDATE
      SET invitations = t.invitations + EXCLUDED.invitations, responded = t.responded + EXCLUDED.responded`;

const COLS = 'sent_at, survey_id, department_id, channel, (response_id IS NOT NULL) AS answered';

/**
 * Survey invitations (what integrations sent, idempotent by external_ref), the response an
 * invitation led to (response_id, unique: one response per invitation), the contact rules and the
 * do-not-contact list that decide who may be invited again.
 *
 * Invitations outnumber responses 5-20x, so:
 * - survey_invitations_customer_sent_idx (customer_id, sent_at) INCLUDE (survey_id) answers every
 *   per-customer question of contactEligibility (last invitation, invitations in a window) from the
 *   index alone;
 * - response rates read invitation_rollup_day (day x survey x department x channel: invitations
 *   and those answered), kept exact by statement-level triggers like the response rollups;
 * - responses_customer_responded_idx (customer_id, responded_at) finds a customer's last response,
 *   and action_items_open_response_idx (response_id, open items only) whether one has an open follow-up.
 */
export class SurveyInvitations1764002300000 implements MigrationInterface {
  name = 'SurveyInvitations1764002300000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE survey_invitations (
      id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
      external_ref text NOT NULL,
      customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
      survey_id uuid NOT NULL REFERENCES surveys(id) ON DELETE RESTRICT,
      department_id uuid REFERENCES departments(id) ON DELETE SET NULL,
      channel text,
      sent_at timestamptz NOT NULL,
      response_id uuid REFERENCES responses(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE UNIQUE INDEX survey_invitations_external_ref_key ON survey_invitations (external_ref)`);
    await q.query(`CREATE UNIQUE INDEX survey_invitations_response_key ON survey_invitations (response_id) WHERE response_id IS NOT NULL`);
    await q.query(`CREATE INDEX survey_invitations_customer_sent_idx ON survey_invitations (customer_id, sent_at) INCLUDE (survey_id)`);
    await q.query(`CREATE INDEX responses_customer_responded_idx ON responses (customer_id, responded_at) INCLUDE (survey_id, id)`);
    await q.query(`CREATE INDEX action_items_open_response_idx ON action_items (response_id) WHERE status IN ('OPEN', 'IN_PROGRESS', 'BLOCKED')`);

    await q.query(`CREATE TABLE invitation_rollup_day (
      bucket_start timestamptz NOT NULL, survey_id uuid NOT NULL, department_id uuid, channel text,
      invitations integer NOT NULL DEFAULT 0, responded integer NOT NULL DEFAULT 0)`);
    await q.query(`CREATE UNIQUE INDEX invitation_rollup_day_key ON invitation_rollup_day (bucket_start, survey_id, department_id, channel) NULLS NOT DISTINCT`);
    const fn = (name: string, body: string) => `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN ${body}; RETURN NULL; END $fn$`;
    await q.query(fn('invitation_rollup_on_insert', invitationRollupUpsert(`(SELECT ${COLS}, 1 AS sign FROM new_rows)`)));
    await q.query(fn('invitation_rollup_on_delete', invitationRollupUpsert(`(SELECT ${COLS}, -1 AS sign FROM old_rows)`)));
    await q.query(
      fn('invitation_rollup_on_update', invitationRollupUpsert(`(SELECT ${COLS}, 1 AS sign FROM new_rows UNION ALL SELECT ${COLS}, -1 AS sign FROM old_rows)`)),
    );
    await q.query(fn('invitation_rollup_on_truncate', 'TRUNCATE invitation_rollup_day'));
    await q.query(`CREATE TRIGGER invitation_rollup_insert AFTER INSERT ON survey_invitations REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION invitation_rollup_on_insert()`);
    await q.query(`CREATE TRIGGER invitation_rollup_delete AFTER DELETE ON survey_invitations REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION invitation_rollup_on_delete()`);
    await q.query(
      `CREATE TRIGGER invitation_rollup_update AFTER UPDATE ON survey_invitations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION invitation_rollup_on_update()`,
    );
    await q.query(`CREATE TRIGGER invitation_rollup_truncate AFTER TRUNCATE ON survey_invitations FOR EACH STATEMENT EXECUTE FUNCTION invitation_rollup_on_truncate()`);

    await q.query(`CREATE TABLE contact_rules (
      id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
      survey_id uuid REFERENCES surveys(id) ON DELETE CASCADE,
      min_days_since_invitation integer CHECK (min_days_since_invitation > 0),
      min_days_since_response integer CHECK (min_days_since_response > 0),
      max_invitations integer CHECK (max_invitations > 0),
      window_days integer CHECK (window_days > 0),
      block_while_follow_up_open boolean NOT NULL DEFAULT false,
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT contact_rules_window_pair CHECK ((max_invitations IS NULL) = (window_days IS NULL)))`);
    await q.query(`CREATE UNIQUE INDEX contact_rules_survey_key ON contact_rules (survey_id) NULLS NOT DISTINCT`);
    await q.query(`CREATE TABLE do_not_contact (
      customer_id uuid NOT NULL PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
      reason text, added_at timestamptz NOT NULL DEFAULT now())`);
    // Report caches hear of every change (tests/report-cache.test.ts: every table notifies or is listed).
    for (const t of ['survey_invitations', 'invitation_rollup_day', 'contact_rules', 'do_not_contact']) {
      await q.query(`CREATE TRIGGER ${t}_notify_data_changed AFTER INSERT OR UPDATE OR DELETE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed()`);
      await q.query(`CREATE TRIGGER ${t}_notify_data_truncated AFTER TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed()`);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS do_not_contact');
    await q.query('DROP TABLE IF EXISTS contact_rules');
    await q.query('DROP TABLE IF EXISTS survey_invitations');
    for (const e of ['insert', 'delete', 'update', 'truncate']) await q.query(`DROP FUNCTION IF EXISTS invitation_rollup_on_${e}()`);
    await q.query('DROP TABLE IF EXISTS invitation_rollup_day');
    await q.query('DROP INDEX IF EXISTS responses_customer_responded_idx');
    await q.query('DROP INDEX IF EXISTS action_items_open_response_idx');
  }
}
