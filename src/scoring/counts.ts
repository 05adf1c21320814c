import { categorize } from './categorize';
import type { NpsCounts } from './types';

function assertCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}

/** Throws RangeError unless every count is a non-negative safe integer. */
export function assertValidCounts(counts: NpsCounts): void {
  assertCount('promoters', counts.promoters);
  assertCount('passives', counts.passives);
  assertCount('detractors', counts.detractors);
}

/** Number of responses: promoters + passives + detractors. */
export function totalOf(counts: NpsCounts): number {
  return counts.promoters + counts.passives + counts.detractors;
}

/** Field-wise sum; this is how rollups (departments, weeks, segments) are formed. Empty -> zeros. */
export function sumCounts(groups: readonly NpsCounts[]): NpsCounts {
  const sum: NpsCounts = { promoters: 0, passives: 0, detractors: 0 };
  for (const group of groups) {
    assertValidCounts(group);
    sum.promoters += group.promoters;
    sum.passives += group.passives;
    sum.detractors += group.detractors;
  }
  return sum;
}

/** Counts of raw 0..10 scores (convenience for tests and seeds); rejects invalid scores. */
export function countsOf(scores: readonly number[]): NpsCounts {
  const counts: NpsCounts = { promoters: 0, passives: 0, detractors: 0 };
  for (const score of scores) {
    const category = categorize(score);
    if (category === 'PROMOTER') counts.promoters += 1;
    else if (category === 'PASSIVE') counts.passives += 1;
    else counts.detractors += 1;
  }
  return counts;
}
