/** One hypothesis of a family: its id and p-value; null when it could not be tested (left out of the family). */
export interface PValueTest<Id> {
  id: Id;
  pValue: number | null;
}

export interface FdrResult<Id> {
  id: Id;
  pValue: number | null;
  /** 1 for the smallest p-value; ties keep input order. Null when pValue is null. */
  rank: number | null;
  /** Benjamini-Hochberg adjusted p-value (the "q-value" R's p.adjust(method = "BH") gives). Null when pValue is null. */
  adjustedPValue: number | null;
  /** Rejected at the false discovery rate q: adjustedPValue <= q. */
  discovery: boolean;
}

export interface FdrFigures<Id> {
  q: number;
  /** m: how many p-values were tested (nulls excluded). */
  tests: number;
  discoveries: number;
  /** In input order. */
  results: FdrResult<Id>[];
}

export const DEFAULT_FDR_Q = 0.05;

/**
 * Benjamini-Hochberg (1995) control of the false discovery rate over a family of m tests, for
 * screens that test many groups at once (every department, segment or theme): at 95% each, 1 in 20
 * true non-changes would come out "significant" by chance; BH bounds the expected share of false
 * ones among those reported at q (for independent or positively dependent tests).
 *
 * Step-up: sort p ascending, p(1) <= ... <= p(m); k = the largest i with p(i) <= i q / m; reject
 * the k smallest (even those above their own threshold i q / m). Adjusted p-values:
 * adj(i) = min over j >= i of min(1, m p(j) / j), non-decreasing in rank; then i is rejected exactly
 * when adj(i) <= q (adj(i) <= q iff some j >= i has p(j) <= j q / m iff i <= k), which is how
 * `discovery` is decided, so the two can never disagree in floating point. Each term is computed
 * as p(j) * (m / j), which cannot round below p(j), so adj >= p holds exactly too.
 *
 * Null p-values (a group with no responses on one side) are not tests: they are left out of m and
 * get rank, adjusted p null and discovery false. Throws RangeError on a p-value outside [0, 1]
 * or q outside (0, 1).
 */
export function benjaminiHochberg<Id>(tests: readonly PValueTest<Id>[], options?: { q?: number }): FdrFigures<Id> {
  const q = options?.q ?? DEFAULT_FDR_Q;
  if (!(q > 0 && q < 1)) throw new RangeError(`q must be strictly between 0 and 1, got ${q}`);
  for (const t of tests) {
    if (t.pValue !== null && !(t.pValue >= 0 && t.pValue <= 1)) {
      throw new RangeError(`p-values must lie in [0, 1], got ${t.pValue} for ${String(t.id)}`);
    }
  }
  const order = tests
    .map((t, index) => ({ index, p: t.pValue }))
    .filter((t): t is { index: number; p: number } => t.p !== null)
    .sort((a, b) => a.p - b.p || a.index - b.index);
  const m = order.length;
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let i = m - 1; i >= 0; i--) {
    // p * (m / j) rather than m * p / j: m / j >= 1 rounds to >= 1, so the product never rounds below p.
    running = Math.min(running, order[i].p * (m / (i + 1)));
    adjusted[i] = running;
  }
  const results: FdrResult<Id>[] = tests.map((t) => ({ id: t.id, pValue: t.pValue, rank: null, adjustedPValue: null, discovery: false }));
  order.forEach((t, i) => {
    results[t.index] = { ...results[t.index], rank: i + 1, adjustedPValue: adjusted[i], discovery: adjusted[i] <= q };
  });
  return { q, tests: m, discoveries: results.filter((r) => r.discovery).length, results };
}
