import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The copy of the customer's attributes onto a response (migration 1764000700000) ran a PL/pgSQL
 * function and a lookup for every stored row: about a third of the time of a 1,000-row insert
 * (EXPLAIN ANALYZE: 160-200 ms of 500-650 ms on this machine). Now it runs only when the row
 * comes without any of the four attributes (the trigger's WHEN clause is checked without calling
 * the function): the ingest joins the customer in its INSERT and stores them itself, and any other
 * writer (seeder, fixtures, SQL) still gets the copy. A writer may give the attributes itself, as
 * they were then (an import of history). Changing a response's customer copies the new customer's.
 */
export class CopyCustomerAttributesWhenMissing1764001300000 implements MigrationInterface {
  name = 'CopyCustomerAttributesWhenMissing1764001300000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS responses_copy_customer_attributes ON responses`);
    await q.query(`CREATE TRIGGER responses_copy_customer_attributes BEFORE INSERT ON responses FOR EACH ROW
                   WHEN (NEW.customer_id IS NOT NULL AND NEW.region IS NULL AND NEW.plan IS NULL AND NEW.product IS NULL AND NEW.signup_channel IS NULL)
                   EXECUTE FUNCTION responses_copy_customer_attributes()`);
    await q.query(`CREATE TRIGGER responses_copy_customer_attributes_on_change BEFORE UPDATE OF customer_id ON responses FOR EACH ROW
                   WHEN (NEW.customer_id IS DISTINCT FROM OLD.customer_id)
                   EXECUTE FUNCTION responses_copy_customer_attributes()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS responses_copy_customer_attributes_on_change ON responses`);
    await q.query(`DROP TRIGGER IF EXISTS responses_copy_customer_attributes ON responses`);
    await q.query(`CREATE TRIGGER responses_copy_customer_attributes BEFORE INSERT OR UPDATE OF customer_id ON responses
                   FOR EACH ROW EXECUTE FUNCTION responses_copy_customer_attributes()`);
  }
}
