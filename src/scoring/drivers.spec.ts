import fc from 'fast-check';
import { driverImpact } from './drivers';
import type { NpsCounts } from './types';

const c = (promoters: number, passives: number, detractors: number) => ({ promoters, passives, detractors });
// All responses throughout: P100 A60 D40, n 200, NPS 30 (the brief's example).
const all = c(100, 60, 40);

describe('driverImpact: hand-checked', () => {
  it('a complaint theme: waiting times', () => {
    // mentioning P5 A10 D25 (n 40): NPS 100*(5-25)/40 = -50
    // not mentioning P95 A50 D15 (n 160): NPS 100*80/160 = 50
    // impact = 50 - 30 = +20 (NPS would rise 20 points without it) = 0.2 x (50 - (-50))
    // shares: 40/200 = 20% of responses; 5/100 = 5% of promoters, 10/60 = 16.667% of passives, 25/40 = 62.5% of detractors
    // test: not mentioning n' 163, centre 100*80/163 = 49.0798, V' = 111.5/163 - (80/163)^2 = 0.684049 - 0.240883 = 0.443166,
    //         SE' = 100*sqrt(0.443166/163) = 5.21422
    //       mentioning n' 43, centre 100*(-20)/43 = -46.5116, V' = 31.5/43 - (20/43)^2 = 0.732558 - 0.216333 = 0.516225,
    //         SE' = 100*sqrt(0.516225/43) = 10.9568
    //       z = (-46.5116 - 49.0798)/sqrt(27.1881 + 120.0515) = -95.5914/12.13423 = -7.8779 -> p ~ 3e-15
    const r = driverImpact({ mentioning: c(5, 10, 25), all });
    expect(r).toMatchObject({ responses: 200, mentions: 40, mentionShare: 20, promoterMentionShare: 5, detractorMentionShare: 62.5 });
    expect(r.passiveMentionShare).toBeCloseTo(16.666667, 6);
    expect(r.npsAll).toBe(30);
    expect(r.npsMentioning).toBe(-50);
    expect(r.npsNotMentioning).toBe(50);
    expect(r.impact).toBe(20);
    expect(r.difference).toBe(-100);
    expect(r.zScore).toBeCloseTo(-7.8779, 3);
    expect(r.pValue!).toBeLessThan(1e-14);
    expect(r.significant).toBe(true);
    expect(r.verdict).toBe('SIGNIFICANT_DOWN');
  });

  it('a praise theme: friendly staff (negative impact: the NPS would fall without it)', () => {
    // mentioning P60 A5 D5 (n 70): NPS 100*55/70 = 78.5714; not mentioning P40 A55 D35 (n 130): 100*5/130 = 3.8462
    // impact = 3.8462 - 30 = -26.1538 = 0.35 x (3.8462 - 78.5714) = 0.35 x (-74.7253)
    const r = driverImpact({ mentioning: c(60, 5, 5), all });
    expect(r.npsMentioning).toBeCloseTo(78.571429, 6);
    expect(r.npsNotMentioning).toBeCloseTo(3.846154, 6);
    expect(r.impact).toBeCloseTo(-26.153846, 6);
    expect(r.promoterMentionShare).toBe(60);
    expect(r.verdict).toBe('SIGNIFICANT_UP');
  });

  it('a theme mentioned as often by every category moves nothing', () => {
    // 10% of each category: P10 A6 D4 (NPS 30); the rest P90 A54 D36 (NPS 30); impact 0, difference 0.
    // z is not exactly 0: the test compares adjusted-Wald centres, which pull the small group harder towards 0:
    //   mentioning n' 23: centre 100*6/23 = 26.0870, V' = 15.5/23 - (6/23)^2 = 0.605860, SE' = 100*sqrt(0.605860/23) = 16.2301
    //   the rest n' 183: centre 100*54/183 = 29.5082, V' = 127.5/183 - (54/183)^2 = 0.609648, SE' = 5.77184
    //   z = -3.4212/sqrt(263.416 + 33.314) = -3.4212/17.2259 = -0.19861
    const r = driverImpact({ mentioning: c(10, 6, 4), all });
    expect(r.impact).toBeCloseTo(0, 12);
    expect(r.difference).toBeCloseTo(0, 12);
    expect(r.zScore).toBeCloseTo(-0.19861, 4);
    expect(r.verdict).toBe('NO_SIGNIFICANT_CHANGE');
  });

  it('nobody mentions it: impact 0, no test', () => {
    const r = driverImpact({ mentioning: c(0, 0, 0), all });
    expect(r).toMatchObject({ mentions: 0, mentionShare: 0, npsMentioning: null, npsNotMentioning: 30, impact: 0, zScore: null, verdict: 'NOT_COMPARABLE' });
  });

  it('everybody mentions it: the NPS without them is undefined, so is the impact', () => {
    const r = driverImpact({ mentioning: all, all });
    expect(r).toMatchObject({ mentionShare: 100, npsNotMentioning: null, impact: null, verdict: 'NOT_COMPARABLE' });
  });

  it('no responses at all', () => {
    const r = driverImpact({ mentioning: c(0, 0, 0), all: c(0, 0, 0) });
    expect(r).toMatchObject({ mentionShare: null, detractorMentionShare: null, npsAll: null, impact: null, verdict: 'NOT_COMPARABLE' });
  });

  it('rejects mentions above the totals', () => {
    expect(() => driverImpact({ mentioning: c(0, 0, 41), all })).toThrow(RangeError);
  });
});

describe('driverImpact: properties', () => {
  const n = fc.integer({ min: 0, max: 3000 });
  const pairArb = fc
    .tuple(fc.record({ promoters: n, passives: n, detractors: n }), fc.record({ promoters: n, passives: n, detractors: n }))
    .map(([m, rest]): { mentioning: NpsCounts; all: NpsCounts } => ({
      mentioning: m,
      all: c(m.promoters + rest.promoters, m.passives + rest.passives, m.detractors + rest.detractors),
    }));

  it('impact = mention share x (NPS not mentioning - NPS mentioning) = -share x difference', () => {
    fc.assert(
      fc.property(pairArb, (input) => {
        const r = driverImpact(input);
        if (r.impact === null || r.npsMentioning === null) return;
        expect(r.impact).toBeCloseTo((r.mentionShare! / 100) * (r.npsNotMentioning! - r.npsMentioning), 8);
        expect(r.impact).toBeCloseTo(-(r.mentionShare! / 100) * r.difference!, 8);
      }),
      { numRuns: 500 },
    );
  });
});
