import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Customer attributes as they were: region, plan, product and signup channel are copied onto each
 * response when it is stored (and when its customer changes), so filters, breakdowns and rollups
 * read the customer as they were when they answered. A customer who moves region later does not
 * rewrite history, and the rollups never need rewriting when a customer changes. A BEFORE trigger
 * does the copy, so no writer (ingest, seeder, fixtures, raw SQL) can store a response without it.
 * Existing responses are backfilled from their customer's current attributes (the best there is).
 * Spend and tenure stay on the customer (read on the raw path).
 */
export class ResponseCustomerAttributes1764000700000 implements MigrationInterface {
  name = 'ResponseCustomerAttributes1764000700000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "responses" ADD "region" text, ADD "plan" text, ADD "product" text, ADD "signup_channel" text`);
    await q.query(`UPDATE responses r SET region = c.region, plan = c.plan, product = c.product, signup_channel = c.signup_channel
                   FROM customers c WHERE c.id = r.customer_id`);
    await q.query(`CREATE OR REPLACE FUNCTION responses_copy_customer_attributes() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF TG_OP = 'UPDATE' AND NEW.customer_id IS NOT DISTINCT FROM OLD.customer_id THEN
          RETURN NEW;
        END IF;
        IF NEW.customer_id IS NULL THEN
          NEW.region := NULL; NEW.plan := NULL; NEW.product := NULL; NEW.signup_channel := NULL;
        ELSE
          SELECT c.region, c.plan, c.product, c.signup_channel INTO NEW.region, NEW.plan, NEW.product, NEW.signup_channel
          FROM customers c WHERE c.id = NEW.customer_id;
        END IF;
        RETURN NEW;
      END $fn$`);
    await q.query(`CREATE TRIGGER responses_copy_customer_attributes BEFORE INSERT OR UPDATE OF customer_id ON responses
                   FOR EACH ROW EXECUTE FUNCTION responses_copy_customer_attributes()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS responses_copy_customer_attributes ON responses`);
    await q.query(`DROP FUNCTION IF EXISTS responses_copy_customer_attributes()`);
    await q.query(`ALTER TABLE "responses" DROP COLUMN "region", DROP COLUMN "plan", DROP COLUMN "product", DROP COLUMN "signup_channel"`);
  }
}
