import fc from 'fast-check';
import { compareToBenchmark } from './benchmark';
import { scoreFromCounts } from './score';
import type { NpsCounts } from './types';

const counts = (promoters: number, passives: number, detractors: number) => ({ promoters, passives, detractors });
// Throughout: n = 100, P = 50, passives 30, D = 20 -> plain NPS 30.
// n' = 103, p' = 50.75/103 = 0.492718, d' = 20.75/103 = 0.201456
// centre = 100 * 30/103 = 29.126214
// V' = p' + d' - (p' - d')^2 = 71.5/103 - (30/103)^2 = 0.694175 - 0.084834 = 0.609341
// SE' = 100 * sqrt(0.609341/103) = 100 * sqrt(0.00591593) = 7.691510
// 95% interval: 29.126214 -/+ 1.96 * 7.691510 = 29.126214 -/+ 15.075360 = [14.050854, 44.201574]
const hundred = counts(50, 30, 20);

describe('compareToBenchmark: hand-checked values', () => {
  it('a benchmark of 20 is inside the interval: not significant', () => {
    // gap = 30 - 20 = 10 ; z = (29.126214 - 20)/7.691510 = 9.126214/7.691510 = 1.186531
    // p = 2 * (1 - Phi(1.186531)) = 2 * (1 - 0.882294) = 0.235413
    const r = compareToBenchmark(hundred, 20);
    expect(r.gap).toBe(10);
    expect(r.zScore).toBeCloseTo(1.186531, 5);
    expect(r.pValue).toBeCloseTo(0.235413, 5);
    expect(r.significant).toBe(false);
    expect(r.outcome).toBe('NOT_SIGNIFICANT');
  });

  it('a benchmark of 10 is below the interval: significantly above it', () => {
    // gap = 20 ; z = 19.126214/7.691510 = 2.486665 ; p = 2 * (1 - Phi(2.486665)) = 2 * 0.006447 = 0.012895
    const r = compareToBenchmark(hundred, 10);
    expect(r.gap).toBe(20);
    expect(r.zScore).toBeCloseTo(2.486665, 5);
    expect(r.pValue).toBeCloseTo(0.012895, 5);
    expect(r.significant).toBe(true);
    expect(r.outcome).toBe('SIGNIFICANTLY_ABOVE');
  });

  it('a benchmark of 40 is inside the interval: a gap of -10 is not significant', () => {
    // z = (29.126214 - 40)/7.691510 = -10.873786/7.691510 = -1.413739 ; p = 2 * Phi(-1.413739) = 0.157439
    const r = compareToBenchmark(hundred, 40);
    expect(r.gap).toBe(-10);
    expect(r.zScore).toBeCloseTo(-1.413739, 5);
    expect(r.pValue).toBeCloseTo(0.157439, 5);
    expect(r.outcome).toBe('NOT_SIGNIFICANT');
  });

  it('a benchmark of 50 is above the interval: significantly below it', () => {
    // z = (29.126214 - 50)/7.691510 = -20.873786/7.691510 = -2.713874 ; p = 2 * Phi(-2.713874) = 0.006650
    const r = compareToBenchmark(hundred, 50);
    expect(r.gap).toBe(-20);
    expect(r.zScore).toBeCloseTo(-2.713874, 5);
    expect(r.pValue).toBeCloseTo(0.00665, 5);
    expect(r.significant).toBe(true);
    expect(r.outcome).toBe('SIGNIFICANTLY_BELOW');
  });

  it("the brief's example (n=200, P=100, D=40) against 40: z just short of 1.96", () => {
    // centre 6000/203 = 29.556650, SE' 5.480304 (score.spec.ts) ; z = (29.556650 - 40)/5.480304 = -1.905615
    // p = 2 * Phi(-1.905615) = 0.056700: a gap of -10 that the data cannot tell from chance at 95%
    const r = compareToBenchmark(counts(100, 60, 40), 40);
    expect(r.gap).toBe(-10);
    expect(r.zScore).toBeCloseTo(-1.905615, 5);
    expect(r.pValue).toBeCloseTo(0.0567, 5);
    expect(r.significant).toBe(false);
    // at 90% (critical z 1.644854) it is
    expect(compareToBenchmark(counts(100, 60, 40), 40, { confidence: 0.9 }).outcome).toBe('SIGNIFICANTLY_BELOW');
  });

  it('n = 0: no gap, no test, NO_DATA', () => {
    expect(compareToBenchmark(counts(0, 0, 0), 30)).toEqual({ gap: null, zScore: null, pValue: null, significant: false, outcome: 'NO_DATA' });
  });

  it.each([NaN, Infinity, -100.5, 100.5])('rejects a value of %p', (value) => {
    expect(() => compareToBenchmark(hundred, value)).toThrow(RangeError);
  });

  it('rejects invalid counts and a bad confidence level', () => {
    expect(() => compareToBenchmark(counts(-1, 0, 0), 0)).toThrow(RangeError);
    expect(() => compareToBenchmark(hundred, 0, { confidence: 1 })).toThrow(RangeError);
  });
});

describe('compareToBenchmark: properties', () => {
  const countArb = fc.integer({ min: 0, max: 3000 });
  const nonEmpty: fc.Arbitrary<NpsCounts> = fc
    .record({ promoters: countArb, passives: countArb, detractors: countArb })
    .filter((c) => c.promoters + c.passives + c.detractors > 0);
  const valueArb = fc.double({ min: -100, max: 100, noNaN: true });

  it('is significant exactly when the value lies outside the unclamped 95% interval of the score', () => {
    fc.assert(
      fc.property(nonEmpty, valueArb, (c, value) => {
        const s = scoreFromCounts(c);
        const r = compareToBenchmark(c, value);
        const distance = Math.abs(s.adjustedNps! - value);
        // away from the boundary (floating point), both views agree
        fc.pre(Math.abs(distance - s.marginOfError!) > 1e-9);
        expect(r.significant).toBe(distance > s.marginOfError!);
      }),
      { numRuns: 1000 },
    );
  });

  it('a significant result points the same way as the gap people read', () => {
    fc.assert(
      fc.property(nonEmpty, valueArb, (c, value) => {
        const r = compareToBenchmark(c, value);
        if (r.outcome === 'SIGNIFICANTLY_ABOVE') expect(r.gap!).toBeGreaterThan(0);
        if (r.outcome === 'SIGNIFICANTLY_BELOW') expect(r.gap!).toBeLessThan(0);
      }),
      { numRuns: 2000 },
    );
  });
});
