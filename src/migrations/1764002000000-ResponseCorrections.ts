import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Corrections of stored responses (correctResponses): a version per response for optimistic
 * concurrency (a constant default: PostgreSQL 11+ adds it without rewriting the table), and the
 * audit trail read as Response.history, one row per correction with the fields changed (from, to).
 * A deleted response takes its history with it (its deletion is told by response.deleted and by the
 * notes on the follow-ups it closed). The rollups, closed-loop counters and theme mentions follow
 * updates and deletes through their existing statement-level triggers.
 */
export class ResponseCorrections1764002000000 implements MigrationInterface {
  name = 'ResponseCorrections1764002000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "responses" ADD "version" integer NOT NULL DEFAULT '1'`);
    await q.query(`CREATE TABLE "response_history" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "response_id" uuid NOT NULL,
      "version" integer NOT NULL,
      "actor" text NOT NULL,
      "at" timestamptz NOT NULL,
      "note" text,
      "changes" jsonb NOT NULL,
      CONSTRAINT "response_history_pkey" PRIMARY KEY ("id"),
      CONSTRAINT "response_history_response_fkey" FOREIGN KEY ("response_id") REFERENCES "responses"("id") ON DELETE CASCADE)`);
    await q.query(`CREATE UNIQUE INDEX "response_history_response_version_key" ON "response_history" ("response_id", "version")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS "response_history"`);
    await q.query(`ALTER TABLE "responses" DROP COLUMN "version"`);
  }
}
