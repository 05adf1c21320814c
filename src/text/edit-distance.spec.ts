import fc from 'fast-check';
import { deletionNeighbours, oneEdit, withinOneEdit } from './edit-distance';

/** Optimal string alignment distance, the slow way. */
function osaDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 7 });

describe('edit distance', () => {
  it.each([
    ['delivary', 'delivery', 'substitution'],
    ['websit', 'website', 'insertion'],
    ['billling', 'billing', 'deletion'],
    ['webiste', 'website', 'transposition'],
    ['delivery', 'delivery', null],
    ['delvry', 'delivery', null],
  ])('oneEdit(%s, %s) is %s', (a, b, expected) => {
    expect(oneEdit(a, b)).toBe(expected);
  });

  it('withinOneEdit agrees with the optimal string alignment distance', () => {
    fc.assert(fc.property(word, word, (a, b) => expect(withinOneEdit(a, b)).toBe(osaDistance(a, b) <= 1)), { numRuns: 2000 });
  });

  it('words one edit apart share a deletion neighbour (so the typo index finds them)', () => {
    fc.assert(
      fc.property(word, word, (a, b) => {
        fc.pre(withinOneEdit(a, b));
        const mine = new Set(deletionNeighbours(a));
        expect(deletionNeighbours(b).some((n) => mine.has(n))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
