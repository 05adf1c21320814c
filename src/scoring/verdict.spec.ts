import fc from 'fast-check';
import { compareScores } from './compare';
import { compareWithVerdict, verdictOf } from './verdict';

const counts = (promoters: number, passives: number, detractors: number) => ({ promoters, passives, detractors });
// The hand-checked pairs of compare.spec.ts: previous n=200, P=100, D=40 (NPS 30).
const previous = counts(100, 60, 40);

describe('verdictOf / compareWithVerdict', () => {
  it('a significant rise: NPS 30 -> 60, z = 4.0984 (compare.spec.ts)', () => {
    const r = compareWithVerdict(previous, counts(140, 40, 20));
    expect(r.zScore).toBeCloseTo(4.0984, 3);
    expect(r.verdict).toBe('SIGNIFICANT_UP');
  });

  it('a significant fall: the same pair the other way, z = -4.0984', () => {
    expect(compareWithVerdict(counts(140, 40, 20), previous).verdict).toBe('SIGNIFICANT_DOWN');
  });

  it('no significant change: NPS 30 -> 33, z = 0.3827', () => {
    expect(compareWithVerdict(previous, counts(104, 58, 38)).verdict).toBe('NO_SIGNIFICANT_CHANGE');
  });

  it('z = 1.959983, just under the brief\'s 1.96 (p = 0.049998): no significant change, as compareScores says', () => {
    const r = compareWithVerdict(previous, counts(105, 2, 36));
    expect(r.significant).toBe(false);
    expect(r.verdict).toBe('NO_SIGNIFICANT_CHANGE');
  });

  it('the confidence level is passed through: z = 2.2792 is significant at 95%, not at 99%', () => {
    expect(compareWithVerdict(previous, counts(125, 45, 30)).verdict).toBe('SIGNIFICANT_UP');
    expect(compareWithVerdict(previous, counts(125, 45, 30), { confidence: 0.99 }).verdict).toBe('NO_SIGNIFICANT_CHANGE');
  });

  it.each([
    [counts(0, 0, 0), previous],
    [previous, counts(0, 0, 0)],
    [counts(0, 0, 0), counts(0, 0, 0)],
  ])('either side without responses: NOT_COMPARABLE', (a, b) => {
    expect(compareWithVerdict(a, b)).toEqual({ delta: null, zScore: null, pValue: null, significant: false, verdict: 'NOT_COMPARABLE' });
  });

  it('direction follows z, not the plain delta, when they disagree (one promoter vs 100,000 responses at 99.9)', () => {
    // previous n=1, P=1: n'=4, p'=1.75/4, d'=0.75/4, centre 25, V' = 0.625 - 0.0625 = 0.5625, SE' = 100*sqrt(0.5625/4) = 37.5
    // current n=100000, P=99950, D=50: centre = 100*99900/100003 = 99.8970
    //   V' = 100001.5/100003 - (99900/100003)^2 = 0.9999850 - 0.9979411 = 0.0020439, SE' = 100*sqrt(0.0020439/100003) = 0.014296
    // z = (99.8970 - 25)/sqrt(37.5^2 + 0.014296^2) = 74.8970/37.5000 = 1.99725 >= 1.96; delta = 99.9 - 100 = -0.1
    const r = compareWithVerdict(counts(1, 0, 0), counts(99950, 0, 50));
    expect(r.delta).toBeCloseTo(-0.1, 9);
    expect(r.zScore).toBeCloseTo(1.99725, 4);
    expect(r.verdict).toBe('SIGNIFICANT_UP');
  });

  it('property: agrees with compareScores.significant, direction is the sign of z', () => {
    const c = fc.integer({ min: 0, max: 300 });
    const countsArb = fc.record({ promoters: c, passives: c, detractors: c });
    fc.assert(
      fc.property(countsArb, countsArb, (a, b) => {
        const change = compareScores(a, b);
        const verdict = verdictOf(change);
        expect(verdict === 'SIGNIFICANT_UP' || verdict === 'SIGNIFICANT_DOWN').toBe(change.significant);
        expect(verdict === 'NOT_COMPARABLE').toBe(change.zScore === null);
        if (verdict === 'SIGNIFICANT_UP') expect(change.zScore!).toBeGreaterThan(0);
        if (verdict === 'SIGNIFICANT_DOWN') expect(change.zScore!).toBeLessThan(0);
      }),
      { numRuns: 500 },
    );
  });
});
