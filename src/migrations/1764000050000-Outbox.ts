import { MigrationInterface, QueryRunner } from "typeorm";

export class Outbox1764000050000 implements MigrationInterface {
    name = 'Outbox1764000050000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "outbox_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "type" text NOT NULL, "aggregate_id" uuid, "payload" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6689a16c00d09b8089f6237f1d2" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "outbox_events_seq_key" ON "outbox_events"  ("seq") `);
        await queryRunner.query(`CREATE INDEX "outbox_events_aggregate_seq_idx" ON "outbox_events"  ("aggregate_id", "seq") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."outbox_events_aggregate_seq_idx"`);
        await queryRunner.query(`DROP INDEX "public"."outbox_events_seq_key"`);
        await queryRunner.query(`DROP TABLE "outbox_events"`);
    }

}
