/** Median of finite numbers; null when empty; mean of the two middle values for even length. Does not mutate input. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`median needs finite numbers, got ${v}`);
  }
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** 100 * numerator / denominator as a percent 0..100; null when denominator is 0. Requires 0 <= numerator <= denominator. */
export function rate(numerator: number, denominator: number): number | null {
  if (!Number.isFinite(numerator) || !Number.isFinite(denominator) || numerator < 0 || numerator > denominator) {
    throw new RangeError(`rate needs finite 0 <= numerator <= denominator, got ${numerator}/${denominator}`);
  }
  return denominator === 0 ? null : (100 * numerator) / denominator;
}
