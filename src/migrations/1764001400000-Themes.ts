import { MigrationInterface, QueryRunner } from 'typeorm';
import { DEFAULT_THEMES } from '../text';

/** The tables this migration adds that reports show: they notify data_changed (see migration 1764001200000). */
const NOTIFYING = ['themes', 'theme_set', 'response_themes', 'theme_tagging_jobs'];

/**
 * Themes and the mentions of them in verbatims (src/modules/themes, docs/themes.md):
 *
 * - `themes`: the definitions (code, name, keywords, phrases, exclusions, optional pattern, active),
 *   seeded with DEFAULT_THEMES;
 * - `theme_set`: one row whose `version` goes up whenever what tagging depends on changes. A writer
 *   of responses reads it FOR SHARE inside its transaction and tags with the themes of that
 *   version; a theme change updates it, so it waits for those writers and they wait for it: no
 *   response is stored tagged with themes older than the last change it could have missed;
 * - `response_themes`: one row per response and theme it mentions (in its comment or a follow-up
 *   answer), with copies of the response's time, score, department and survey (kept equal by a
 *   trigger on responses, migration 1764001410000) from which the theme rollup is counted. Two
 *   reserved theme ids (src/modules/themes/markers.ts) mark a response that has a verbatim and one
 *   that mentions at least one theme, so untagged verbatims are counts too. theme_id has no foreign
 *   key: the mentions of a deleted theme are removed by the re-tagging its deletion starts, in
 *   batches, instead of all at once inside the deleting transaction;
 * - `theme_tagging_jobs`: the background re-tagging after a change, with its progress.
 *
 * Responses stored before this migration have no mentions: when there are any, a re-tagging job is
 * queued, which the server's re-tagging worker runs once it starts.
 */
export class Themes1764001400000 implements MigrationInterface {
  name = 'Themes1764001400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "themes" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "code" text NOT NULL,
      "name" text NOT NULL,
      "keywords" text[] NOT NULL DEFAULT '{}',
      "phrases" text[] NOT NULL DEFAULT '{}',
      "exclusions" text[] NOT NULL DEFAULT '{}',
      "pattern" text,
      "active" boolean NOT NULL DEFAULT true,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "updated_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "themes_pkey" PRIMARY KEY ("id"),
      CONSTRAINT "themes_code_key" UNIQUE ("code"))`);
    await q.query(`CREATE TABLE "theme_set" (
      "id" smallint NOT NULL DEFAULT 1,
      "version" bigint NOT NULL DEFAULT 1,
      "changed_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "theme_set_pkey" PRIMARY KEY ("id"),
      CONSTRAINT "theme_set_one_row" CHECK ("id" = 1))`);
    await q.query(`INSERT INTO "theme_set" ("id", "version") VALUES (1, 1)`);
    await q.query(`CREATE TABLE "response_themes" (
      "response_id" uuid NOT NULL,
      "theme_id" uuid NOT NULL,
      "responded_at" timestamptz NOT NULL,
      "score" smallint NOT NULL,
      "department_id" uuid,
      "survey_id" uuid NOT NULL,
      CONSTRAINT "response_themes_pkey" PRIMARY KEY ("response_id", "theme_id"),
      CONSTRAINT "response_themes_response_fkey" FOREIGN KEY ("response_id") REFERENCES "responses"("id") ON DELETE CASCADE)`);
    // The mentions of one theme over a period, newest first (drivers' samples walk it in this order).
    await q.query(`CREATE INDEX "response_themes_theme_idx" ON "response_themes" ("theme_id", "responded_at", "response_id")`);
    await q.query(`CREATE TABLE "theme_tagging_jobs" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "theme_version" bigint NOT NULL,
      "status" text NOT NULL DEFAULT 'PENDING',
      "reason" text NOT NULL,
      "total" integer,
      "processed" integer NOT NULL DEFAULT 0,
      "changed" integer NOT NULL DEFAULT 0,
      "cursor" uuid,
      "last_error" text,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "started_at" timestamptz,
      "finished_at" timestamptz,
      CONSTRAINT "theme_tagging_jobs_pkey" PRIMARY KEY ("id"),
      CONSTRAINT "theme_tagging_jobs_status_valid" CHECK ("status" IN ('PENDING', 'RUNNING', 'DONE', 'SUPERSEDED')))`);
    await q.query(`CREATE INDEX "theme_tagging_jobs_created_idx" ON "theme_tagging_jobs" ("created_at")`);

    for (const t of DEFAULT_THEMES) {
      await q.query(`INSERT INTO "themes" ("code", "name", "keywords", "phrases", "exclusions", "pattern") VALUES ($1, $2, $3, $4, $5, $6)`, [
        t.code,
        t.name,
        [...t.keywords],
        [...t.phrases],
        [...(t.exclusions ?? [])],
        t.pattern ?? null,
      ]);
    }
    await q.query(`INSERT INTO "theme_tagging_jobs" ("theme_version", "reason") SELECT 1, 'responses stored before themes existed' WHERE EXISTS (SELECT 1 FROM "responses")`);

    for (const t of NOTIFYING) {
      await q.query(`CREATE TRIGGER ${t}_notify_data_changed AFTER INSERT OR UPDATE OR DELETE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed()`);
      await q.query(`CREATE TRIGGER ${t}_notify_data_truncated AFTER TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed()`);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS "theme_tagging_jobs"`);
    await q.query(`DROP TABLE IF EXISTS "response_themes"`);
    await q.query(`DROP TABLE IF EXISTS "theme_set"`);
    await q.query(`DROP TABLE IF EXISTS "themes"`);
  }
}
