import type { FilterPlan } from '../filter/filter-plan';
import { NpsCategory } from '../nps-category';
import { rollupFor } from './rollup-defs';

const COLUMN: Record<NpsCategory, string> = { PROMOTER: 'promoters', PASSIVE: 'passives', DETRACTOR: 'detractors' };

/**
 * A scalar subquery: when the first response matching the filter was given (null if none). The day
 * rollup finds the first UTC day holding a match, so the raw rows are read from that day on only
 * (an index range, stopped at the first match) instead of from the beginning of time.
 */
export function firstResponseSql(plan: FilterPlan, rawOnly = false): string {
  const exact = `SELECT min(r.responded_at) FROM responses r WHERE ${plan.rawWhere('r')}`;
  const day = !rawOnly && !plan.rawOnly.length ? rollupFor('day', plan.dims) : undefined;
  if (!day) return exact;
  const counted = (plan.categories ? [...plan.categories] : Object.values(NpsCategory)).map((c) => `t.${COLUMN[c]}`);
  if (!counted.length) return exact;
  return `${exact} AND r.responded_at >= (SELECT min(t.bucket_start) FROM ${day.table} t WHERE ${plan.where('t')} AND ${counted.join(' + ')} > 0)`;
}
