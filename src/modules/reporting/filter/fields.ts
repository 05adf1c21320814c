import type { Dim } from '../facts/rollup-defs';
import type { NormalizedFilter } from './normalize-filter';

/**
 * The one table of filter conditions: for each field of a normalized filter, the SQL it adds and
 * what it reads. `reads` names the rollup dimension the condition needs (the same column name on
 * responses and on every rollup that holds it, so one SQL serves both), or 'raw' when only the
 * response rows can answer it (the customer's spend and tenure, verbatims, single scores, agents).
 * `from`/`to` (time bounds) and `categories` (a choice of counts) are planned by the fact planner.
 * The condition is built over an alias `a` with the field's value already bound as parameter `v`.
 */
export interface FilterField {
  reads: Dim | 'raw';
  sql: (a: string, v: string) => string;
}

/**
 * Within the subtrees of the departments bound as `v` (uuid[]): department_subtree() (migration
 * 1764000800000) in a scalar subquery, evaluated once per statement. A recursive CTE written into
 * every condition made PostgreSQL spend longer planning a KPI list's many scopes than running them.
 */
export const inSubtrees = (a: string, v: string) => `${a}.department_id = ANY((SELECT department_subtree(${v}::uuid[]))::uuid[])`;

type ConditionField = Exclude<keyof NormalizedFilter, 'from' | 'to' | 'categories'>;

const customer = (condition: string) => (a: string, v: string) =>
  `EXISTS (SELECT 1 FROM customers c WHERE c.id = ${a}.customer_id AND ${condition.replace(/\$a/g, () => a).replace(/\$v/g, () => v)})`;

export const FILTER_FIELDS: Record<ConditionField, FilterField> = {
  departmentIds: { reads: 'department_id', sql: (a, v) => inSubtrees(a, v) },
  surveyIds: { reads: 'survey_id', sql: (a, v) => `${a}.survey_id = ANY(${v}::uuid[])` },
  surveyKind: { reads: 'survey_id', sql: (a, v) => `${a}.survey_id IN (SELECT id FROM surveys WHERE kind = ${v})` },
  channels: { reads: 'channel', sql: (a, v) => `${a}.channel = ANY(${v}::text[])` },
  touchpoints: { reads: 'touchpoint', sql: (a, v) => `${a}.touchpoint = ANY(${v}::text[])` },
  // The customer's attributes as they were when the response was stored (copied onto it).
  regions: { reads: 'region', sql: (a, v) => `${a}.region = ANY(${v}::text[])` },
  plans: { reads: 'plan', sql: (a, v) => `${a}.plan = ANY(${v}::text[])` },
  signupChannels: { reads: 'signup_channel', sql: (a, v) => `${a}.signup_channel = ANY(${v}::text[])` },
  products: { reads: 'product', sql: (a, v) => `${a}.product = ANY(${v}::text[])` },
  agentIds: { reads: 'agent_id', sql: (a, v) => `${a}.agent_id = ANY(${v}::uuid[])` },
  hasComment: { reads: 'raw', sql: (a, v) => `(coalesce(btrim(${a}.comment), '') <> '') = ${v}::boolean` },
  minScore: { reads: 'raw', sql: (a, v) => `${a}.score >= ${v}::int` },
  maxScore: { reads: 'raw', sql: (a, v) => `${a}.score <= ${v}::int` },
  spendMin: { reads: 'raw', sql: customer('c.spend >= $v::numeric') },
  spendMax: { reads: 'raw', sql: customer('c.spend < $v::numeric') },
  tenureMinDays: { reads: 'raw', sql: customer('$a.responded_at - c.customer_since >= make_interval(days => $v::int)') },
  tenureMaxDays: { reads: 'raw', sql: customer('$a.responded_at - c.customer_since < make_interval(days => $v::int)') },
};
