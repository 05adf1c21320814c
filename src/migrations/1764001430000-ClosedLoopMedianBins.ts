import { MigrationInterface, QueryRunner } from 'typeorm';
import { counterFunctions, createBinTables, dropBinTables } from '../modules/closed-loop/closed-loop-counters';

/**
 * Binned histograms for the closed-loop medians (src/modules/closed-loop/closed-loop-counters.ts):
 * cl_bins_day and cl_bins_month count the whole minutes to first action and to close in coarse
 * bins per UTC day and month of the response, department, survey and category, filled from the
 * ledger; the trigger functions now maintain them too; an index of cl_minutes_day by kind and bin
 * lets a median read the minutes of the bins holding its middle positions only.
 */
export class ClosedLoopMedianBins1764001430000 implements MigrationInterface {
  name = 'ClosedLoopMedianBins1764001430000';

  public async up(q: QueryRunner): Promise<void> {
    for (const sql of createBinTables()) await q.query(sql);
    for (const sql of counterFunctions({ bins: true, agents: false })) await q.query(sql);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const sql of counterFunctions({ bins: false, agents: false })) await q.query(sql);
    for (const sql of dropBinTables) await q.query(sql);
  }
}
