import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tables whose rows a cached report can show (figures, the org around them, targets, the closed
 * loop). The rollups and closed-loop counters are written by triggers on responses and
 * action_items, in the same statements; `npm run rollups -- rebuild` notifies itself.
 */
export const NOTIFYING_TABLES = ['responses', 'customers', 'action_items', 'action_item_events', 'kpi_targets', 'departments', 'people', 'surveys', 'segments', 'benchmarks', 'nps_standards'];

/**
 * A statement that writes to one of NOTIFYING_TABLES sends NOTIFY data_changed. PostgreSQL delivers
 * it when the transaction commits (never for one that rolls back) and sends one per transaction,
 * however many statements fired it. The server's report cache (src/common/report-cache) forgets
 * every answer on it, so a cached figure never outlives the rows it was counted from, whichever
 * process or tool wrote them.
 */
export class DataChangeNotifications1764001200000 implements MigrationInterface {
  name = 'DataChangeNotifications1764001200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION notify_data_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM pg_notify('data_changed', '');
        RETURN NULL;
      END $fn$`);
    for (const t of NOTIFYING_TABLES) {
      await q.query(`CREATE TRIGGER ${t}_notify_data_changed AFTER INSERT OR UPDATE OR DELETE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed()`);
      await q.query(`CREATE TRIGGER ${t}_notify_data_truncated AFTER TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed()`);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const t of NOTIFYING_TABLES) {
      await q.query(`DROP TRIGGER IF EXISTS ${t}_notify_data_changed ON ${t}`);
      await q.query(`DROP TRIGGER IF EXISTS ${t}_notify_data_truncated ON ${t}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS notify_data_changed()`);
  }
}
