import { MigrationInterface, QueryRunner } from 'typeorm';
import { counterFunctions, createAgentTables, dropAgentTables } from '../modules/closed-loop/closed-loop-counters';

/**
 * Closed-loop counters by agent (src/modules/closed-loop/closed-loop-counters.ts): cl_ledger gains
 * the agent of each item's response (backfilled), cl_items_day_agent and cl_followed_day_agent
 * count items and followed-up responses per UTC day, department, survey, agent and category
 * (filled from the ledger), and the trigger functions now maintain them, an agent change of a
 * response moving its items. KPI rate contributors by agent read them instead of the raw rows.
 * Each agent table, and the NPS rollup by agent (whose split gives the detractors), gets an index
 * leading with the department: a split asks for one team over a period. The ledger's due-day index
 * becomes (due_day, resp_at).
 */
export class ClosedLoopAgentCounters1764002500000 implements MigrationInterface {
  name = 'ClosedLoopAgentCounters1764002500000';

  public async up(q: QueryRunner): Promise<void> {
    for (const sql of createAgentTables()) await q.query(sql);
    for (const sql of counterFunctions({ bins: true, agents: true })) await q.query(sql);
    await q.query('CREATE INDEX nps_rollup_day_agent_department_idx ON nps_rollup_day_agent (department_id, bucket_start)');
    // The items due today are read from the ledger for a range of response times: (due_day, resp_at)
    // finds them directly, where the planner ANDed a bitmap of every item of the range (226k at 1M
    // for closedLoop over all time, 93 ms) with the due day's.
    await q.query('CREATE INDEX cl_ledger_due_day_resp_at_idx ON cl_ledger (due_day, resp_at)');
    await q.query('DROP INDEX cl_ledger_due_day_idx');
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX cl_ledger_due_day_idx ON cl_ledger (due_day)');
    await q.query('DROP INDEX IF EXISTS cl_ledger_due_day_resp_at_idx');
    await q.query('DROP INDEX IF EXISTS nps_rollup_day_agent_department_idx');
    for (const sql of counterFunctions({ bins: true, agents: false })) await q.query(sql);
    for (const sql of dropAgentTables) await q.query(sql);
  }
}
