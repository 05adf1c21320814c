/** What ranking reads of a department's row. */
interface Ranked {
  score: { nps: number | null; responses: number };
}

/**
 * Best NPS first; rows without responses (NPS null) last; equal NPS: more responses first; then
 * the order given (the tree order of departmentScores: the sort is stable). A new array.
 */
export function rankByNps<T extends Ranked>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => {
    const x = a.score.nps;
    const y = b.score.nps;
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return y - x || b.score.responses - a.score.responses;
  });
}
