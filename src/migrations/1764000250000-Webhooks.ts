import { MigrationInterface, QueryRunner } from "typeorm";

export class Webhooks1764000250000 implements MigrationInterface {
    name = 'Webhooks1764000250000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "webhook_endpoints" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "url" text NOT NULL, "event_types" text array NOT NULL, "secret" text NOT NULL, "format" text NOT NULL DEFAULT 'STANDARD', "active" boolean NOT NULL DEFAULT true, "fanout_snapshot" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "webhook_endpoints_format_valid" CHECK ("format" IN ('STANDARD', 'SLACK')), CONSTRAINT "PK_054c4cfb95223732f5939d2d546" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TABLE "webhook_deliveries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "endpoint_id" uuid NOT NULL, "event_id" uuid NOT NULL, "event_type" text NOT NULL, "aggregate_id" uuid, "event_seq" bigint NOT NULL, "status" text NOT NULL DEFAULT 'PENDING', "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE, "last_attempt_at" TIMESTAMP WITH TIME ZONE, "last_status_code" integer, "last_error" text, "delivered_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "webhook_deliveries_attempts_nonnegative" CHECK ("attempts" >= 0), CONSTRAINT "webhook_deliveries_status_valid" CHECK ("status" IN ('PENDING', 'DELIVERED', 'FAILED')), CONSTRAINT "PK_535dd409947fb6d8fc6dfc0112a" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "webhook_deliveries_event_id_idx" ON "webhook_deliveries"  ("event_id") `);
        await queryRunner.query(`CREATE INDEX "webhook_deliveries_endpoint_created_idx" ON "webhook_deliveries"  ("endpoint_id", "created_at", "id") `);
        await queryRunner.query(`CREATE INDEX "webhook_deliveries_created_at_id_idx" ON "webhook_deliveries"  ("created_at", "id") `);
        await queryRunner.query(`CREATE INDEX "webhook_deliveries_pending_order_idx" ON "webhook_deliveries"  ("endpoint_id", "aggregate_id", "event_seq") WHERE "status" = 'PENDING'`);
        await queryRunner.query(`CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries"  ("next_attempt_at") WHERE "status" = 'PENDING'`);
        await queryRunner.query(`CREATE UNIQUE INDEX "webhook_deliveries_endpoint_event_key" ON "webhook_deliveries"  ("endpoint_id", "event_id") `);
        await queryRunner.query(`CREATE TABLE "webhook_delivery_attempts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "delivery_id" uuid NOT NULL, "attempt" integer NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "duration_ms" integer NOT NULL, "succeeded" boolean NOT NULL, "status_code" integer, "error" text, CONSTRAINT "PK_59ef9124585b56c18b98548a0c6" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "webhook_delivery_attempts_delivery_attempt_idx" ON "webhook_delivery_attempts"  ("delivery_id", "attempt") `);
        // Existing events get this migration's transaction id (older than any endpoint); new ones get theirs from OutboxService.enqueue.
        await queryRunner.query(`ALTER TABLE "outbox_events" ADD "txid" bigint NOT NULL DEFAULT ((pg_current_xact_id())::text)::bigint`);
        await queryRunner.query(`ALTER TABLE "outbox_events" ALTER COLUMN "txid" DROP DEFAULT`);
        await queryRunner.query(`CREATE INDEX "outbox_events_txid_idx" ON "outbox_events"  ("txid") `);
        await queryRunner.query(`ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "FK_0b882c26a9b91c26e6e86b4867c" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "FK_27d1ee90033bdafe0ffe8f1be6f" FOREIGN KEY ("event_id") REFERENCES "outbox_events"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "webhook_delivery_attempts" ADD CONSTRAINT "FK_647916c401c0c275df5f00c148f" FOREIGN KEY ("delivery_id") REFERENCES "webhook_deliveries"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "webhook_delivery_attempts" DROP CONSTRAINT "FK_647916c401c0c275df5f00c148f"`);
        await queryRunner.query(`ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "FK_27d1ee90033bdafe0ffe8f1be6f"`);
        await queryRunner.query(`ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "FK_0b882c26a9b91c26e6e86b4867c"`);
        await queryRunner.query(`DROP INDEX "public"."outbox_events_txid_idx"`);
        await queryRunner.query(`ALTER TABLE "outbox_events" DROP COLUMN "txid"`);
        await queryRunner.query(`DROP INDEX "public"."webhook_delivery_attempts_delivery_attempt_idx"`);
        await queryRunner.query(`DROP TABLE "webhook_delivery_attempts"`);
        await queryRunner.query(`DROP INDEX "public"."webhook_deliveries_endpoint_event_key"`);
        await queryRunner.query(`DROP INDEX "public"."webhook_deliveries_due_idx"`);
        await queryRunner.query(`DROP INDEX "public"."webhook_deliveries_pending_order_idx"`);
        await queryRunner.query(`DROP INDEX "public"."webhook_deliveries_created_at_id_idx"`);
        await queryRunner.query(`DROP INDEX "public"."webhook_deliveries_endpoint_created_idx"`);
        await queryRunner.query(`DROP INDEX "public"."webhook_deliveries_event_id_idx"`);
        await queryRunner.query(`DROP TABLE "webhook_deliveries"`);
        await queryRunner.query(`DROP TABLE "webhook_endpoints"`);
    }

}
