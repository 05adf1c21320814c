import { DEFAULT_LOW_SAMPLE_THRESHOLD, scoreFromCounts } from './score';

const counts = (promoters: number, passives: number, detractors: number) => ({ promoters, passives, detractors });

describe('scoreFromCounts: hand-checked values', () => {
  it("brief's example: n=200, P=100, D=40", () => {
    // n' = 203, p' - d' = 60/203, centre = 6000/203 = 29.5567
    // p' + d' = 141.5/203 ; V' = 141.5/203 - 3600/41209 = (28724.5 - 3600)/41209 = 25124.5/41209 = 0.609685
    // SE' = 100*sqrt(0.609685/203) = 100*sqrt(0.00300337) = 5.48030 ; margin = 1.96*5.48030 = 10.74140
    const f = scoreFromCounts(counts(100, 60, 40));
    expect(f.responses).toBe(200);
    expect(f.nps).toBe(30);
    expect(f.promoterShare).toBe(50);
    expect(f.passiveShare).toBe(30);
    expect(f.detractorShare).toBe(20);
    expect(f.band).toBe('GOOD');
    expect(f.adjustedNps).toBeCloseTo(29.5567, 4);
    expect(f.standardError).toBeCloseTo(5.4803, 4);
    expect(f.marginOfError).toBeCloseTo(10.7414, 4);
    expect(f.confidenceLow).toBeCloseTo(29.5567 - 10.7414, 3);
    expect(f.confidenceHigh).toBeCloseTo(29.5567 + 10.7414, 3);
    expect(f.lowSample).toBe(false);
  });

  it('small sample: n=10, P=5, passives 3, D=2', () => {
    // NPS = 100*3/10 = 30. n' = 13, p' - d' = 3/13, centre = 23.0769
    // V' = 8.5/13 - 9/169 = (110.5 - 9)/169 = 101.5/169 = 0.600592
    // SE' = 100*sqrt(101.5/2197) = 100*sqrt(0.0461994) = 21.4940 ; margin = 42.1283
    // interval = 23.0769 -/+ 42.1283 = [-19.0514, 65.2052]
    const f = scoreFromCounts(counts(5, 3, 2));
    expect(f.nps).toBe(30);
    expect(f.adjustedNps).toBeCloseTo(23.0769, 4);
    expect(f.standardError).toBeCloseTo(21.494, 3);
    expect(f.marginOfError).toBeCloseTo(42.1283, 3);
    expect(f.confidenceLow).toBeCloseTo(-19.0514, 3);
    expect(f.confidenceHigh).toBeCloseTo(65.2052, 3);
    expect(f.lowSample).toBe(true);
  });

  it('n = 1, one promoter: exact fractions', () => {
    // n' = 4, p' = 1.75/4 = 0.4375, d' = 0.75/4 = 0.1875, centre = 25
    // V' = 0.625 - 0.0625 = 0.5625 ; SE' = 100*sqrt(0.5625/4) = 100*0.375 = 37.5 ; margin = 73.5
    const f = scoreFromCounts(counts(1, 0, 0));
    expect(f.nps).toBe(100);
    expect(f.band).toBe('EXCELLENT');
    expect(f.adjustedNps).toBeCloseTo(25, 10);
    expect(f.standardError).toBeCloseTo(37.5, 10);
    expect(f.marginOfError).toBeCloseTo(73.5, 10);
    expect(f.confidenceLow).toBeCloseTo(-48.5, 10);
    expect(f.confidenceHigh).toBeCloseTo(98.5, 10);
    expect(f.lowSample).toBe(true);
  });

  it('all detractors: NPS -100 and the interval is clamped at -100', () => {
    // n = 50: n' = 53, p' - d' = -50/53, centre = -94.3396
    // V' = 51.5/53 - 2500/2809 = (2729.5 - 2500)/2809 = 229.5/2809 ; SE' = 100*sqrt(229.5/148877) = 3.92625
    // margin = 7.69544 ; low = -102.035 -> clamped to -100 ; high = -86.6442
    const f = scoreFromCounts(counts(0, 0, 50));
    expect(f.nps).toBe(-100);
    expect(f.band).toBe('NEEDS_IMPROVEMENT');
    expect(f.detractorShare).toBe(100);
    expect(f.adjustedNps).toBeCloseTo(-94.3396, 4);
    expect(f.marginOfError).toBeCloseTo(7.69544, 4);
    expect(f.confidenceLow).toBe(-100);
    expect(f.confidenceHigh).toBeCloseTo(-86.6442, 3);
  });

  it('all promoters: NPS 100, EXCELLENT, interval within 100', () => {
    const f = scoreFromCounts(counts(40, 0, 0));
    expect(f.nps).toBe(100);
    expect(f.promoterShare).toBe(100);
    expect(f.band).toBe('EXCELLENT');
    expect(f.confidenceHigh).toBe(100); // centre 4000/43 = 93.02, margin 9.44: 102.5 clamped to 100
    expect(f.adjustedNps!).toBeLessThan(100);
  });

  it('passives count in the total only', () => {
    const f = scoreFromCounts(counts(3, 94, 3));
    expect(f.nps).toBe(0);
    expect(f.band).toBe('GOOD');
  });
});

describe('scoreFromCounts: n = 0', () => {
  it('reports null figures, never 0, and flags low sample', () => {
    const f = scoreFromCounts(counts(0, 0, 0));
    expect(f).toEqual({
      responses: 0,
      promoters: 0,
      passives: 0,
      detractors: 0,
      nps: null,
      promoterShare: null,
      passiveShare: null,
      detractorShare: null,
      band: null,
      adjustedNps: null,
      standardError: null,
      marginOfError: null,
      confidenceLow: null,
      confidenceHigh: null,
      lowSample: true,
    });
  });
});

describe('scoreFromCounts: low sample flag', () => {
  it('defaults to 30', () => {
    expect(DEFAULT_LOW_SAMPLE_THRESHOLD).toBe(30);
  });
  it('29 responses is low, 30 is not', () => {
    expect(scoreFromCounts(counts(10, 10, 9)).lowSample).toBe(true);
    expect(scoreFromCounts(counts(10, 10, 10)).lowSample).toBe(false);
  });
  it('honours a custom threshold', () => {
    expect(scoreFromCounts(counts(10, 10, 10), { lowSampleThreshold: 31 }).lowSample).toBe(true);
    expect(scoreFromCounts(counts(2, 2, 1), { lowSampleThreshold: 5 }).lowSample).toBe(false);
    expect(scoreFromCounts(counts(2, 2, 0), { lowSampleThreshold: 5 }).lowSample).toBe(true);
    expect(scoreFromCounts(counts(0, 0, 0), { lowSampleThreshold: 0 }).lowSample).toBe(false);
  });
  it('rejects a bad threshold', () => {
    expect(() => scoreFromCounts(counts(1, 1, 1), { lowSampleThreshold: -1 })).toThrow(RangeError);
    expect(() => scoreFromCounts(counts(1, 1, 1), { lowSampleThreshold: NaN })).toThrow(RangeError);
  });
});

describe('scoreFromCounts: invalid counts', () => {
  it.each([counts(-1, 0, 0), counts(0, 1.5, 0), counts(0, 0, NaN)])('rejects %p', (c) => {
    expect(() => scoreFromCounts(c)).toThrow(RangeError);
  });
});
