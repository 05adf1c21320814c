import { MigrationInterface, QueryRunner } from "typeorm";

export class ApiKeys1764000200000 implements MigrationInterface {
    name = 'ApiKeys1764000200000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "api_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "role" text NOT NULL, "department_id" uuid, "key_hash" text NOT NULL, "prefix" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "api_keys_manager_department" CHECK (("role" = 'MANAGER') = ("department_id" IS NOT NULL)), CONSTRAINT "api_keys_role_valid" CHECK ("role" IN ('ADMIN','EXECUTIVE','MANAGER','INTEGRATION')), CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "api_keys_department_id_idx" ON "api_keys"  ("department_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"  ("key_hash") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "api_keys_active_name_key" ON "api_keys"  ("name") WHERE "revoked_at" IS NULL`);
        await queryRunner.query(`ALTER TABLE "api_keys" ADD CONSTRAINT "FK_a1e2c78ae0bd1773cdbb89cf489" FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "api_keys" DROP CONSTRAINT "FK_a1e2c78ae0bd1773cdbb89cf489"`);
        await queryRunner.query(`DROP INDEX "public"."api_keys_active_name_key"`);
        await queryRunner.query(`DROP INDEX "public"."api_keys_key_hash_key"`);
        await queryRunner.query(`DROP INDEX "public"."api_keys_department_id_idx"`);
        await queryRunner.query(`DROP TABLE "api_keys"`);
    }

}
