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
export type Dim = 'department_id' | 'survey_id' | 'channel' | 'touchpoint' | 'region' | 'plan' | 'product' | 'signup_channel' | 'agent_id' | 'theme_id';

export type Grain = 'hour' | 'day';

export interface RollupDef {
  table: string;
  grain: Grain;
  dims: readonly Dim[];
  /** Smaller answers first when several rollups cover a question (about how many rows a day holds). */
  rank: number;
  /**
   * The rows counted: `responses` (default), or `response_themes`, one row per response and theme it
   * mentions (with copies of the response's time, score, department and survey; migration
   * 1764001400000). Such a rollup counts a response once per theme, so it answers only questions
   * grouped by theme (it holds theme_id, which nothing else needs).
   */
  source?: 'response_themes';
}

export const ROLLUPS: readonly RollupDef[] = [
  { table: 'nps_rollup_hour', grain: 'hour', dims: ['department_id', 'survey_id'], rank: 0 },
  { table: 'nps_rollup_day', grain: 'day', dims: ['department_id', 'survey_id'], rank: 1 },
  { table: 'nps_rollup_day_channel', grain: 'day', dims: ['department_id', 'survey_id', 'channel', 'touchpoint'], rank: 2 },
  { table: 'nps_rollup_day_customer', grain: 'day', dims: ['department_id', 'survey_id', 'region', 'plan'], rank: 3 },
  { table: 'nps_rollup_day_product', grain: 'day', dims: ['department_id', 'survey_id', 'product', 'signup_channel'], rank: 3 },
  // Agents' own scores and KPI targets (one segment per frontline agent): an agent works in one team.
  { table: 'nps_rollup_day_agent', grain: 'day', dims: ['department_id', 'survey_id', 'agent_id'], rank: 2 },
  // Drivers: responses mentioning each theme (a response counts under every theme it mentions).
  { table: 'nps_rollup_day_theme', grain: 'day', dims: ['department_id', 'survey_id', 'theme_id'], rank: 2, source: 'response_themes' },
];

/**
 * How the raw rows (`responses r`) answer a grouping by a dimension that is not a column of
 * responses: the join that brings it in and the grouped column. A response mentioning two themes
 * is counted under each.
 */
export const RAW_DIMS: Partial<Record<Dim, { join: (r: string) => string; column: string }>> = {
  theme_id: { join: (r) => `JOIN response_themes rt ON rt.response_id = ${r}.id`, column: 'rt.theme_id' },
};

/** The smallest rollup of a grain holding every dimension in `need`, or undefined. */
export function rollupFor(grain: Grain, need: ReadonlySet<Dim>): RollupDef | undefined {
  const perTheme = need.has('theme_id');
  return ROLLUPS.filter((r) => r.grain === grain && (r.source === 'response_themes') === perTheme && [...need].every((d) => r.dims.includes(d))).sort(
    (a, b) => a.rank - b.rank,
  )[0];
}
