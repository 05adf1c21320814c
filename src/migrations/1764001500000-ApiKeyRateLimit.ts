import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A key's own rate-limit budget (points per window, src/common/rate-limit): null takes its role's
 * default (RATE_LIMIT_<ROLE>); a number replaces it, larger for an import or a benchmark key,
 * smaller for a key to hold back. Adding a nullable column without a default rewrites nothing.
 */
export class ApiKeyRateLimit1764001500000 implements MigrationInterface {
  name = 'ApiKeyRateLimit1764001500000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "api_keys" ADD "rate_limit" integer`);
    await q.query(`ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_rate_limit_positive" CHECK ("rate_limit" IS NULL OR "rate_limit" > 0)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "api_keys" DROP CONSTRAINT "api_keys_rate_limit_positive"`);
    await q.query(`ALTER TABLE "api_keys" DROP COLUMN "rate_limit"`);
  }
}
