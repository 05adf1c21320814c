import { MigrationInterface, QueryRunner } from 'typeorm';
import { backfillStatements, CL_TABLES, ClCounterVersion, counterTriggers, createCounterTables, dropCounterTriggers } from '../modules/closed-loop/closed-loop-counters';

const V1: ClCounterVersion = { bins: false, agents: false };

/**
 * Maintained closed-loop counters (see src/modules/closed-loop/closed-loop-counters.ts): a ledger
 * of each item's contribution and, per UTC hour and day of the response, department, survey and
 * score category, item counts keyed by due and close day, distinct followed-up responses and
 * whole-minute histograms of time to first action and to close. Filled from the stored items,
 * then kept exact by statement-level triggers on action_items and responses.
 */
export class ClosedLoopCounters1764000900000 implements MigrationInterface {
  name = 'ClosedLoopCounters1764000900000';

  public async up(q: QueryRunner): Promise<void> {
    for (const sql of createCounterTables()) await q.query(sql);
    // As this migration made them (without the binned histograms, which migration 1764001430000 adds).
    for (const sql of backfillStatements(V1)) await q.query(sql);
    for (const sql of counterTriggers(V1)) await q.query(sql);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const sql of dropCounterTriggers) await q.query(sql);
    for (const t of CL_TABLES) await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
