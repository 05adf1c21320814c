import type { NpsCounts } from '../../../scoring';
import { earlierBound, FilterPlan, laterBound } from '../filter/filter-plan';

type Row = Record<string, unknown>;

/** NpsCounts from a row of summed counts (bigint sums arrive as strings); a missing row is zero. */
export function countsOf(row: Row | undefined, prefix = ''): NpsCounts {
  const r = row ?? {};
  return {
    promoters: Number(r[`${prefix}promoters`] ?? 0),
    passives: Number(r[`${prefix}passives`] ?? 0),
    detractors: Number(r[`${prefix}detractors`] ?? 0),
  };
}


/** [lo, hi) narrowed to the filter's own time bounds (a segment's, or the request's). */
export function clip(filter: FilterPlan, lo: Date | null, hi: Date | null): { lo: Date | null; hi: Date | null } {
  return { lo: laterBound(lo ?? undefined, filter.from) ?? null, hi: earlierBound(hi ?? undefined, filter.to) ?? null };
}
