import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Initiatives (action plans): a scope (a department subtree or a segment), an owner, optionally the
 * driver theme they target, a start and the effect expected in NPS points, with the action items
 * that carry them out (an item belongs to at most one initiative).
 */
export class Initiatives1764002310000 implements MigrationInterface {
  name = 'Initiatives1764002310000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE initiatives (
      id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
      title text NOT NULL,
      owner_id uuid NOT NULL REFERENCES people(id) ON DELETE RESTRICT,
      department_id uuid REFERENCES departments(id) ON DELETE RESTRICT,
      segment_id uuid REFERENCES segments(id) ON DELETE RESTRICT,
      theme_id uuid REFERENCES themes(id) ON DELETE SET NULL,
      starts_at timestamptz NOT NULL,
      expected_effect double precision,
      window_days integer NOT NULL DEFAULT 28 CHECK (window_days BETWEEN 1 AND 366),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT initiatives_one_scope CHECK ((department_id IS NULL) <> (segment_id IS NULL)))`);
    await q.query(`CREATE INDEX initiatives_department_idx ON initiatives (department_id)`);
    await q.query(`CREATE TABLE initiative_action_items (
      action_item_id uuid NOT NULL PRIMARY KEY REFERENCES action_items(id) ON DELETE CASCADE,
      initiative_id uuid NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE)`);
    await q.query(`CREATE INDEX initiative_action_items_initiative_idx ON initiative_action_items (initiative_id)`);
    // Report caches hear of every change (tests/report-cache.test.ts: every table notifies or is listed).
    for (const t of ['initiatives', 'initiative_action_items']) {
      await q.query(`CREATE TRIGGER ${t}_notify_data_changed AFTER INSERT OR UPDATE OR DELETE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed()`);
      await q.query(`CREATE TRIGGER ${t}_notify_data_truncated AFTER TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed()`);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS initiative_action_items');
    await q.query('DROP TABLE IF EXISTS initiatives');
  }
}
