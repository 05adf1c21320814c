import fc from 'fast-check';
import { compareScores } from './compare';
import { sumCounts } from './counts';
import { scoreFromCounts } from './score';
import type { NpsCounts } from './types';

const countArb = fc.integer({ min: 0, max: 5000 });
const countsArb: fc.Arbitrary<NpsCounts> = fc.record({ promoters: countArb, passives: countArb, detractors: countArb });
const nonEmptyCountsArb = countsArb.filter((c) => c.promoters + c.passives + c.detractors > 0);
const runs = { numRuns: 500 };

describe('scoring properties', () => {
  it('NPS lies in -100..100 and equals promoter share minus detractor share', () => {
    fc.assert(
      fc.property(nonEmptyCountsArb, (c) => {
        const f = scoreFromCounts(c);
        expect(f.nps!).toBeGreaterThanOrEqual(-100);
        expect(f.nps!).toBeLessThanOrEqual(100);
        expect(f.nps!).toBeCloseTo(f.promoterShare! - f.detractorShare!, 9);
        expect(f.responses).toBe(c.promoters + c.passives + c.detractors);
      }),
      runs,
    );
  });

  it('shares sum to 100 when n > 0', () => {
    fc.assert(
      fc.property(nonEmptyCountsArb, (c) => {
        const f = scoreFromCounts(c);
        expect(f.promoterShare! + f.passiveShare! + f.detractorShare!).toBeCloseTo(100, 9);
      }),
      runs,
    );
  });

  it('the interval contains the adjusted centre, has width 2 x margin before clamping, and lies in [-100, 100]', () => {
    fc.assert(
      fc.property(nonEmptyCountsArb, (c) => {
        const f = scoreFromCounts(c);
        expect(f.marginOfError!).toBeGreaterThan(0);
        expect(f.marginOfError!).toBeCloseTo(1.96 * f.standardError!, 9);
        expect(f.confidenceLow!).toBeLessThanOrEqual(f.adjustedNps!);
        expect(f.confidenceHigh!).toBeGreaterThanOrEqual(f.adjustedNps!);
        expect(f.confidenceLow!).toBeGreaterThanOrEqual(-100);
        expect(f.confidenceHigh!).toBeLessThanOrEqual(100);
        expect(f.confidenceLow!).toBeCloseTo(Math.max(-100, f.adjustedNps! - f.marginOfError!), 9);
        expect(f.confidenceHigh!).toBeCloseTo(Math.min(100, f.adjustedNps! + f.marginOfError!), 9);
      }),
      runs,
    );
  });

  it('a rollup is scored from the summed counts', () => {
    fc.assert(
      fc.property(fc.array(countsArb, { minLength: 1, maxLength: 8 }), (groups) => {
        const P = groups.reduce((s, g) => s + g.promoters, 0);
        const A = groups.reduce((s, g) => s + g.passives, 0);
        const D = groups.reduce((s, g) => s + g.detractors, 0);
        const summed = sumCounts(groups);
        expect(summed).toEqual({ promoters: P, passives: A, detractors: D });
        const rollup = scoreFromCounts(summed);
        const n = P + A + D;
        expect(rollup.responses).toBe(n);
        if (n === 0) expect(rollup.nps).toBeNull();
        else expect(rollup.nps!).toBeCloseTo((100 * (P - D)) / n, 9);
      }),
      runs,
    );
  });

  it('a rollup is not the mean of group NPS values', () => {
    // A: 10 promoters (NPS 100); B: 90 detractors (NPS -100). Mean of NPS = 0; summed counts give -80.
    const groups = [
      { promoters: 10, passives: 0, detractors: 0 },
      { promoters: 0, passives: 0, detractors: 90 },
    ];
    expect(scoreFromCounts(sumCounts(groups)).nps).toBe(-80);
  });

  it('p-values lie in [0, 1] and agree with |z| >= 1.96', () => {
    fc.assert(
      fc.property(nonEmptyCountsArb, nonEmptyCountsArb, (a, b) => {
        const r = compareScores(a, b);
        expect(r.pValue!).toBeGreaterThanOrEqual(0);
        expect(r.pValue!).toBeLessThanOrEqual(1);
        expect(r.significant).toBe(Math.abs(r.zScore!) >= 1.96);
        expect(r.delta!).toBeCloseTo(scoreFromCounts(b).nps! - scoreFromCounts(a).nps!, 9);
      }),
      runs,
    );
  });
});
