/**
 * The rollup lattice: exact, additive counts of responses per time bucket and per a few
 * dimensions, maintained by triggers on `responses` (migration 1764000800000) and chosen by the
 * fact planner (plan.ts). Every rollup holds department and survey (department subtrees, survey
 * kinds and the MANAGER scope resolve to them); the day rollups add one family of dimensions each,
 * so no table multiplies every dimension by every other. Hours exist so that time zones and bounds
 * off a day edge still read counts, not rows; what no rollup covers comes from the raw rows.
 *
 * This file is the live definition the planner and the rebuild command read. The migration keeps
 * its own frozen copy: change both, with a new migration, when the lattice changes.
 */
export type Dim = 'department_id' | 'survey_id' | 'channel' | 'touchpoint' | 'region' | 'plan' | 'product' | 'signup_channel' | 'agent_id';

export type Grain = 'hour' | 'day';

export interface RollupDef {
  table: string;
  grain: Grain;
  dims: readonly Dim[];
  /** Smaller answers first when several rollups cover a question (about how many rows a day holds). */
  rank: number;
}

export const ROLLUPS: readonly RollupDef[] = [
  { table: 'nps_rollup_hour', grain: 'hour', dims: ['department_id', 'survey_id'], rank: 0 },
  { table: 'nps_rollup_day', grain: 'day', dims: ['department_id', 'survey_id'], rank: 1 },
  { table: 'nps_rollup_day_channel', grain: 'day', dims: ['department_id', 'survey_id', 'channel', 'touchpoint'], rank: 2 },
  { table: 'nps_rollup_day_customer', grain: 'day', dims: ['department_id', 'survey_id', 'region', 'plan'], rank: 3 },
  { table: 'nps_rollup_day_product', grain: 'day', dims: ['department_id', 'survey_id', 'product', 'signup_channel'], rank: 3 },
  // Agents' own scores and KPI targets (one segment per frontline agent): an agent works in one team.
  { table: 'nps_rollup_day_agent', grain: 'day', dims: ['department_id', 'survey_id', 'agent_id'], rank: 2 },
];

/** The smallest rollup of a grain holding every dimension in `need`, or undefined. */
export function rollupFor(grain: Grain, need: ReadonlySet<Dim>): RollupDef | undefined {
  return ROLLUPS.filter((r) => r.grain === grain && [...need].every((d) => r.dims.includes(d))).sort((a, b) => a.rank - b.rank)[0];
}
