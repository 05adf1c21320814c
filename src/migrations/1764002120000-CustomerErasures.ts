import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The record of each eraseCustomer: when, by which API key, and a SHA-256 of the customer's
 * reference (never the reference itself), so an erasure can be proven and repeated requests for the
 * same reference recognised without keeping it.
 */
export class CustomerErasures1764002120000 implements MigrationInterface {
  name = 'CustomerErasures1764002120000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "customer_erasures" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "ref_hash" text NOT NULL,
      "customer_id" uuid NOT NULL,
      "erased_at" timestamptz NOT NULL,
      "key_id" uuid,
      "key_name" text NOT NULL,
      "responses" integer NOT NULL,
      "action_items" integer NOT NULL,
      "outbox_events" integer NOT NULL,
      CONSTRAINT "customer_erasures_pkey" PRIMARY KEY ("id"),
      CONSTRAINT "customer_erasures_ref_hash_key" UNIQUE ("ref_hash"))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "customer_erasures"`);
  }
}
