import { MigrationInterface, QueryRunner } from 'typeorm';
import { counterFunctions, createMonthItemsTable, dropMonthItemsTable } from '../modules/closed-loop/closed-loop-counters';

/**
 * cl_items_month (src/modules/closed-loop/closed-loop-counters.ts): action items per UTC month of
 * their response, department, survey and category in their current state (closed or not, with a
 * due date or not, the open ones' due day), filled from the ledger and maintained by the trigger
 * functions, rewritten here. The whole months of a closed-loop or KPI rate question read it
 * instead of summing cl_items_day, whose rows are also keyed by every due and close day (at 10M
 * responses 299,135 day rows against 974 month rows).
 */
export class ClosedLoopMonthItems1764002600000 implements MigrationInterface {
  name = 'ClosedLoopMonthItems1764002600000';

  public async up(q: QueryRunner): Promise<void> {
    for (const sql of createMonthItemsTable()) await q.query(sql);
    for (const sql of counterFunctions({ bins: true, agents: true, months: true })) await q.query(sql);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const sql of counterFunctions({ bins: true, agents: true })) await q.query(sql);
    for (const sql of dropMonthItemsTable) await q.query(sql);
  }
}
