import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops the single-column indexes on responses.channel and responses.touchpoint. Each holds a
 * handful of distinct values, so no plan uses them to find rows (a channel's share of the table is
 * far above what an index scan pays off for); reports read channel and touchpoint from the
 * nps_rollup_day_channel rollup, and raw fragments find their rows by time through
 * responses_responded_at_covering_idx, which carries both columns. Every stored response paid for
 * the two indexes.
 */
export class DropLowSelectivityIndexes1764001000000 implements MigrationInterface {
  name = 'DropLowSelectivityIndexes1764001000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "responses_channel_idx"`);
    await queryRunner.query(`DROP INDEX IF EXISTS "responses_touchpoint_idx"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "responses_channel_idx" ON "responses" ("channel")`);
    await queryRunner.query(`CREATE INDEX "responses_touchpoint_idx" ON "responses" ("touchpoint")`);
  }
}
