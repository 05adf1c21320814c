import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A webhook endpoint's role decides what its events carry (src/modules/webhooks/event-data.ts):
 * verbatims and customer details only for a role that may read them (READ_RESPONSES). Endpoints
 * that exist already received verbatims: they become EXECUTIVE (reads everything) so nothing they
 * get changes; a new endpoint defaults to INTEGRATION (no verbatims) unless told otherwise.
 */
export class WebhookEndpointRole1764002110000 implements MigrationInterface {
  name = 'WebhookEndpointRole1764002110000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "webhook_endpoints" ADD "role" text NOT NULL DEFAULT 'EXECUTIVE'`);
    await q.query(`ALTER TABLE "webhook_endpoints" ALTER COLUMN "role" SET DEFAULT 'INTEGRATION'`);
    await q.query(`ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_role_valid" CHECK ("role" IN ('ADMIN', 'EXECUTIVE', 'INTEGRATION'))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "webhook_endpoints" DROP CONSTRAINT "webhook_endpoints_role_valid"`);
    await q.query(`ALTER TABLE "webhook_endpoints" DROP COLUMN "role"`);
  }
}
