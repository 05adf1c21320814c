import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the webhook retention purge (WEBHOOK_RETENTION_DAYS), so it reads only what it
 * deletes instead of scanning the ever-growing tables:
 *  - webhook_deliveries (updated_at, id) WHERE status <> 'PENDING': finished deliveries by last change;
 *  - outbox_events (created_at, id): oldest events first, keyset-paged.
 * Built CONCURRENTLY, outside a transaction: the outbox is written by every ingest, and a plain
 * CREATE INDEX would block those writes for as long as it takes on a table that was never purged.
 * An invalid index left by an interrupted build is dropped and built again. (The server applies
 * migrations one transaction each; with the TypeORM CLI, run `migration:run -t each`.)
 */
export class WebhookRetentionIndexes1764000600000 implements MigrationInterface {
  name = 'WebhookRetentionIndexes1764000600000';
  transaction = false;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS "webhook_deliveries_final_updated_idx"`);
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY "webhook_deliveries_final_updated_idx" ON "webhook_deliveries" ("updated_at", "id") WHERE "status" <> 'PENDING'`,
    );
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS "outbox_events_created_at_id_idx"`);
    await queryRunner.query(`CREATE INDEX CONCURRENTLY "outbox_events_created_at_id_idx" ON "outbox_events" ("created_at", "id")`);
  }

  // Plain DROP INDEX: TypeORM reverts a migration inside a transaction whatever `transaction` says.
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "outbox_events_created_at_id_idx"`);
    await queryRunner.query(`DROP INDEX IF EXISTS "webhook_deliveries_final_updated_idx"`);
  }
}
