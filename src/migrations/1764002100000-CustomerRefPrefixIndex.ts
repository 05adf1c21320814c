import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * customers(search, after): the externalRef prefix search (LIKE 'text%') and the keyset order
 * both use the "C" collation, which a plain btree in the database's collation cannot serve for
 * LIKE. One index in "C" answers both.
 */
export class CustomerRefPrefixIndex1764002100000 implements MigrationInterface {
  name = 'CustomerRefPrefixIndex1764002100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS "customers_external_ref_c_idx" ON "customers" ("external_ref" COLLATE "C")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS "customers_external_ref_c_idx"`);
  }
}
