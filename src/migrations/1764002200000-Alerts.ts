import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Significant-shift alerts (src/modules/alerts): the rules; the alerts, at most one per rule and
 * window (alerts_rule_window_key: the evaluation is idempotent across restarts and concurrent
 * workers); their audit trail; and one row per evaluated family (window unit, time zone, window
 * start), whose unique key makes each window be tested once. New tables only: nothing rewritten.
 */
export class Alerts1764002200000 implements MigrationInterface {
  name = 'Alerts1764002200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "alert_rules" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "metric" text NOT NULL, "department_id" uuid, "segment_id" uuid, "window_unit" text NOT NULL, "time_zone" text NOT NULL, "compare_to" text NOT NULL, "min_sample" integer NOT NULL, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "alert_rules_min_sample_positive" CHECK ("min_sample" >= 1), CONSTRAINT "alert_rules_compare_to_valid" CHECK ("compare_to" IN ('PREVIOUS_WINDOW','SAME_WINDOW_LAST_YEAR')), CONSTRAINT "alert_rules_window_valid" CHECK ("window_unit" IN ('WEEK','MONTH')), CONSTRAINT "alert_rules_metric_valid" CHECK ("metric" IN ('NPS','DETRACTOR_SHARE','FOLLOW_UP_RATE')), CONSTRAINT "PK_ae580564f087ffab9d229225aec" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "alert_rules_department_id_idx" ON "alert_rules" ("department_id")`);
    await q.query(`CREATE INDEX "alert_rules_segment_id_idx" ON "alert_rules" ("segment_id")`);
    await q.query(`CREATE TABLE "alerts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "rule_id" uuid NOT NULL, "department_id" uuid, "segment_id" uuid, "metric" text NOT NULL, "window_unit" text NOT NULL, "time_zone" text NOT NULL, "compare_to" text NOT NULL, "window_start" TIMESTAMP WITH TIME ZONE NOT NULL, "window_end" TIMESTAMP WITH TIME ZONE NOT NULL, "comparison_start" TIMESTAMP WITH TIME ZONE NOT NULL, "comparison_end" TIMESTAMP WITH TIME ZONE NOT NULL, "direction" text NOT NULL, "previous_value" double precision NOT NULL, "current_value" double precision NOT NULL, "delta" double precision NOT NULL, "previous_sample" integer NOT NULL, "current_sample" integer NOT NULL, "z_score" double precision NOT NULL, "p_value" double precision NOT NULL, "adjusted_pvalue" double precision NOT NULL, "family_size" integer NOT NULL, "false_discovery_rate" double precision NOT NULL, "status" text NOT NULL DEFAULT 'OPEN', "snoozed_until" TIMESTAMP WITH TIME ZONE, "detected_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "alerts_rule_window_key" UNIQUE ("rule_id", "window_start"), CONSTRAINT "alerts_direction_valid" CHECK ("direction" IN ('UP','DOWN')), CONSTRAINT "alerts_status_valid" CHECK ("status" IN ('OPEN','ACKNOWLEDGED','SNOOZED','RESOLVED')), CONSTRAINT "PK_60f895662df096bfcdfab7f4b96" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "alerts_department_id_idx" ON "alerts" ("department_id")`);
    await q.query(`CREATE INDEX "alerts_detected_at_idx" ON "alerts" ("detected_at")`);
    await q.query(`CREATE TABLE "alert_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "alert_id" uuid NOT NULL, "action" text NOT NULL, "actor" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "note" text, "snoozed_until" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_f8dd833a0534d3a01e8d01e3bca" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "alert_events_alert_at_idx" ON "alert_events" ("alert_id", "at")`);
    await q.query(`CREATE TABLE "alert_evaluations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "window_unit" text NOT NULL, "time_zone" text NOT NULL, "window_start" TIMESTAMP WITH TIME ZONE NOT NULL, "window_end" TIMESTAMP WITH TIME ZONE NOT NULL, "rules" integer NOT NULL, "tests" integer NOT NULL, "discoveries" integer NOT NULL, "evaluated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "duration_ms" integer NOT NULL, CONSTRAINT "alert_evaluations_window_key" UNIQUE ("window_unit", "time_zone", "window_start"), CONSTRAINT "PK_8fab79725438a260218e237bfcb" PRIMARY KEY ("id"))`);
    await q.query(`ALTER TABLE "alert_rules" ADD CONSTRAINT "FK_d2ec05ecf6c1daac931e62f108e" FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "alert_rules" ADD CONSTRAINT "FK_7902f6145ebf3c3da5f41692ab9" FOREIGN KEY ("segment_id") REFERENCES "segments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "alerts" ADD CONSTRAINT "FK_a03c8afb3e29b85c8feccd730ef" FOREIGN KEY ("rule_id") REFERENCES "alert_rules"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "alerts" ADD CONSTRAINT "FK_51d8e28e108dca3996fcc475e9a" FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "alert_events" ADD CONSTRAINT "FK_bc7ef2f6beb89d2a7458b9d7642" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "alert_events"`);
    await q.query(`DROP TABLE "alerts"`);
    await q.query(`DROP TABLE "alert_evaluations"`);
    await q.query(`DROP TABLE "alert_rules"`);
  }
}
