import fc from 'fast-check';
import { benjaminiHochberg } from './fdr';

describe('benjaminiHochberg: hand-worked example', () => {
  // m = 6, q = 0.05; thresholds i q / m = 0.00833, 0.01667, 0.025, 0.03333, 0.04167, 0.05
  //  rank id   p      p <= i q/m ?      m p / i                   adjusted = min over j >= i
  //   1   A  0.004   yes (0.00833)    6*0.004/1 = 0.024            0.024
  //   2   B  0.010   yes (0.01667)    6*0.010/2 = 0.030            0.030
  //   3   C  0.028   no  (0.025)      6*0.028/3 = 0.056            min(0.056, 0.0492) = 0.0492
  //   4   D  0.039   no  (0.03333)    6*0.039/4 = 0.0585           min(0.0585, 0.0492) = 0.0492
  //   5   E  0.041   yes (0.04167)    6*0.041/5 = 0.0492           0.0492
  //   6   F  0.200   no  (0.05)       6*0.200/6 = 0.200            0.200
  // k = 5 (the largest rank under its threshold): A..E are discoveries, C and D included though each
  // is above its own threshold (step-up). Bonferroni (p <= q/m = 0.00833) would keep only A.
  const tests = [
    { id: 'D', pValue: 0.039 },
    { id: 'A', pValue: 0.004 },
    { id: 'F', pValue: 0.2 },
    { id: 'C', pValue: 0.028 },
    { id: 'E', pValue: 0.041 },
    { id: 'B', pValue: 0.01 },
  ];

  it('ranks, adjusted p-values and discoveries, in input order', () => {
    const r = benjaminiHochberg(tests);
    expect(r.q).toBe(0.05);
    expect(r.tests).toBe(6);
    expect(r.discoveries).toBe(5);
    const byId = Object.fromEntries(r.results.map((x) => [x.id, x]));
    expect(r.results.map((x) => x.id)).toEqual(['D', 'A', 'F', 'C', 'E', 'B']);
    expect(['A', 'B', 'C', 'D', 'E', 'F'].map((id) => byId[id].rank)).toEqual([1, 2, 3, 4, 5, 6]);
    const expected: Record<string, number> = { A: 0.024, B: 0.03, C: 0.0492, D: 0.0492, E: 0.0492, F: 0.2 };
    for (const [id, adj] of Object.entries(expected)) expect(byId[id].adjustedPValue).toBeCloseTo(adj, 12);
    expect(['A', 'B', 'C', 'D', 'E', 'F'].map((id) => byId[id].discovery)).toEqual([true, true, true, true, true, false]);
  });

  it('a stricter q = 0.01 keeps none (smallest adjusted p is 0.024)', () => {
    const r = benjaminiHochberg(tests, { q: 0.01 });
    expect(r.discoveries).toBe(0);
    expect(r.results.every((x) => !x.discovery)).toBe(true);
  });

  it('q = 0.03: A (0.024) and B (0.030) only', () => {
    const r = benjaminiHochberg(tests, { q: 0.03 });
    expect(r.results.filter((x) => x.discovery).map((x) => x.id).sort()).toEqual(['A', 'B']);
  });

  it('ties get the same adjusted p-value, ranks by input order', () => {
    // m = 3, all 0.01: m p / i = 0.03, 0.015, 0.01 -> adjusted 0.01 for all
    const r = benjaminiHochberg([
      { id: 1, pValue: 0.01 },
      { id: 2, pValue: 0.01 },
      { id: 3, pValue: 0.01 },
    ]);
    expect(r.results.map((x) => x.rank)).toEqual([1, 2, 3]);
    for (const x of r.results) expect(x.adjustedPValue).toBeCloseTo(0.01, 15);
  });

  it('adjusted p-values are capped at 1', () => {
    // m = 2: 2*0.5/1 = 1.0, 2*0.9/2 = 0.9 -> adjusted 0.9, 0.9
    const r = benjaminiHochberg([
      { id: 'x', pValue: 0.5 },
      { id: 'y', pValue: 0.9 },
    ]);
    expect(r.results.map((x) => x.adjustedPValue)).toEqual([0.9, 0.9]);
    expect(benjaminiHochberg([{ id: 'z', pValue: 1 }]).results[0].adjustedPValue).toBe(1);
  });

  it('null p-values are not tests: left out of m, no rank, no discovery', () => {
    // m = 1: adjusted = 1 * 0.04 / 1 = 0.04 (with the null counted, m = 2 would make it 0.08)
    const r = benjaminiHochberg([
      { id: 'a', pValue: 0.04 },
      { id: 'b', pValue: null },
    ]);
    expect(r.tests).toBe(1);
    expect(r.results).toEqual([
      { id: 'a', pValue: 0.04, rank: 1, adjustedPValue: 0.04, discovery: true },
      { id: 'b', pValue: null, rank: null, adjustedPValue: null, discovery: false },
    ]);
  });

  it('empty family', () => {
    expect(benjaminiHochberg([])).toEqual({ q: 0.05, tests: 0, discoveries: 0, results: [] });
  });

  it.each([-0.1, 1.1, NaN])('rejects p-value %p', (p) => {
    expect(() => benjaminiHochberg([{ id: 1, pValue: p }])).toThrow(RangeError);
  });

  it.each([0, 1, -1, NaN])('rejects q %p', (q) => {
    expect(() => benjaminiHochberg([{ id: 1, pValue: 0.5 }], { q })).toThrow(RangeError);
  });
});

describe('benjaminiHochberg: properties', () => {
  const pArb = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1, 0.05, 0.01), fc.double({ min: 0, max: 0.01, noNaN: true }));
  const familyArb = fc.array(fc.option(pArb, { nil: null, freq: 8 }), { maxLength: 40 });
  const qArb = fc.constantFrom(0.01, 0.05, 0.1, 0.2);
  const runs = { numRuns: 500 };

  it('adjusted p >= p, <= 1, non-decreasing in rank; discoveries are exactly adjusted p <= q', () => {
    fc.assert(
      fc.property(familyArb, qArb, (ps, q) => {
        const r = benjaminiHochberg(ps.map((pValue, id) => ({ id, pValue })), { q });
        const tested = r.results.filter((x) => x.pValue !== null).sort((a, b) => a.rank! - b.rank!);
        expect(r.tests).toBe(tested.length);
        for (let i = 0; i < tested.length; i++) {
          const x = tested[i];
          expect(x.rank).toBe(i + 1);
          expect(x.adjustedPValue!).toBeGreaterThanOrEqual(x.pValue!);
          expect(x.adjustedPValue!).toBeLessThanOrEqual(1);
          if (i > 0) {
            expect(x.pValue!).toBeGreaterThanOrEqual(tested[i - 1].pValue!);
            expect(x.adjustedPValue!).toBeGreaterThanOrEqual(tested[i - 1].adjustedPValue!);
          }
          expect(x.discovery).toBe(x.adjustedPValue! <= q);
        }
        expect(r.discoveries).toBe(r.results.filter((x) => x.discovery).length);
        for (const x of r.results.filter((y) => y.pValue === null)) expect(x).toMatchObject({ rank: null, adjustedPValue: null, discovery: false });
      }),
      runs,
    );
  });

  it('agrees with the step-up rule: the discoveries are the k smallest, k the largest rank with p(k) * m / k <= q', () => {
    fc.assert(
      fc.property(familyArb, qArb, (ps, q) => {
        const r = benjaminiHochberg(ps.map((pValue, id) => ({ id, pValue })), { q });
        const tested = r.results.filter((x) => x.pValue !== null).sort((a, b) => a.rank! - b.rank!);
        const m = tested.length;
        let k = 0;
        tested.forEach((x, i) => {
          if (x.pValue! * (m / (i + 1)) <= q) k = i + 1;
        });
        expect(tested.map((x) => x.discovery)).toEqual(tested.map((_, i) => i < k));
      }),
      runs,
    );
  });

  it('does not depend on input order, and finds at least what Bonferroni finds (m p <= q)', () => {
    fc.assert(
      fc.property(familyArb, qArb, fc.integer(), (ps, q, seed) => {
        const family = ps.map((pValue, id) => ({ id, pValue }));
        const shuffled = [...family].sort((a, b) => ((a.id * 7919 + seed) % 97) - ((b.id * 7919 + seed) % 97) || a.id - b.id);
        const a = benjaminiHochberg(family, { q });
        const b = benjaminiHochberg(shuffled, { q });
        const byId = new Map(b.results.map((x) => [x.id, x]));
        for (const x of a.results) {
          expect(byId.get(x.id)!.adjustedPValue).toBe(x.adjustedPValue);
          expect(byId.get(x.id)!.discovery).toBe(x.discovery);
          if (x.pValue !== null && a.tests * x.pValue <= q) expect(x.discovery).toBe(true);
        }
      }),
      runs,
    );
  });
});
