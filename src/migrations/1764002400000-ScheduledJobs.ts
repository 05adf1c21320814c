import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When each scheduled job (the webhook retention purge) runs next, shared by every API instance:
 * an instance runs the job only after claiming the slot (src/db/scheduled-jobs.ts), so several
 * instances run it once per schedule, not once each.
 */
export class ScheduledJobs1764002400000 implements MigrationInterface {
  name = 'ScheduledJobs1764002400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "scheduled_jobs" (
      "name" text PRIMARY KEY,
      "next_run_at" timestamptz NOT NULL,
      "last_started_at" timestamptz,
      "runs" bigint NOT NULL DEFAULT 0
    )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "scheduled_jobs"`);
  }
}
