import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Industry benchmarks and internal NPS standards (src/modules/benchmarks). Two indexes TypeORM
 * cannot declare (the entities name them with synchronize: false): a benchmark is unique by name,
 * industry, survey kind and year with names and industries compared case-insensitively; a standard
 * is unique per scope (department or segment) and survey kind, where a null kind ("any kind") is
 * one value too (NULLS NOT DISTINCT, PostgreSQL 15).
 */
export class Benchmarks1764001100000 implements MigrationInterface {
  name = 'Benchmarks1764001100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "benchmarks" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "industry" text NOT NULL, "survey_kind" text NOT NULL, "value" double precision NOT NULL, "source" text NOT NULL, "year" integer NOT NULL, "notes" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "benchmarks_survey_kind_valid" CHECK ("survey_kind" IN ('RELATIONSHIP', 'TRANSACTIONAL')), CONSTRAINT "benchmarks_year_range" CHECK ("year" BETWEEN 1990 AND 2100), CONSTRAINT "benchmarks_value_range" CHECK ("value" BETWEEN -100 AND 100), CONSTRAINT "PK_7e1ca1c910680770da116e0b95c" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "benchmarks_identity_key" ON "benchmarks" (lower("name"), lower("industry"), "survey_kind", "year")`);
    await q.query(
      `CREATE TABLE "nps_standards" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "description" text, "value" double precision NOT NULL, "survey_kind" text, "department_id" uuid, "segment_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "nps_standards_one_scope" CHECK (num_nonnulls("department_id", "segment_id") = 1), CONSTRAINT "nps_standards_survey_kind_valid" CHECK ("survey_kind" IS NULL OR "survey_kind" IN ('RELATIONSHIP', 'TRANSACTIONAL')), CONSTRAINT "nps_standards_value_range" CHECK ("value" BETWEEN -100 AND 100), CONSTRAINT "PK_b222fd267d127dc1314f27eadb6" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "nps_standards_scope_key" ON "nps_standards" ("department_id", "segment_id", "survey_kind") NULLS NOT DISTINCT`);
    await q.query(`CREATE INDEX "nps_standards_segment_id_idx" ON "nps_standards" ("segment_id")`);
    await q.query(
      `ALTER TABLE "nps_standards" ADD CONSTRAINT "FK_728be43c42701116388aca522ae" FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "nps_standards" ADD CONSTRAINT "FK_e254fdce4ed6ffde00bc11f9b5c" FOREIGN KEY ("segment_id") REFERENCES "segments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "nps_standards"`);
    await q.query(`DROP TABLE "benchmarks"`);
  }
}
