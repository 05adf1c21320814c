import { differenceInDifferences } from './did';

const counts = (promoters: number, passives: number, detractors: number) => ({ promoters, passives, detractors });
// Adjusted-Wald figures, checked by hand in compare.spec.ts / score.spec.ts:
// (100, 60, 40): n 200, NPS 30, centre 29.5567, SE' 5.48030
// (140, 40, 20): n 200, NPS 60, centre 59.1133, SE' 4.68794
// (104, 58, 38): n 200, NPS 33, centre 32.5123, SE' 5.44200
const base = counts(100, 60, 40);
const better = counts(140, 40, 20);
const slightly = counts(104, 58, 38);

describe('differenceInDifferences', () => {
  it('an effect beyond what happened elsewhere, checked by hand', () => {
    // plain: (60 - 30) - (33 - 30) = 27
    // adjusted: (59.1133 - 29.5567) - (32.5123 - 29.5567) = 29.5567 - 2.9557 = 26.6010
    // SE = sqrt(5.48030^2 + 4.68794^2 + 5.48030^2 + 5.44200^2) = sqrt(30.0337 + 21.9768 + 30.0337 + 29.6154) = sqrt(111.6596) = 10.5669
    // z = 26.6010 / 10.5669 = 2.5174 ; p = 2 * (1 - Phi(2.5174)) = 0.011823
    const r = differenceInDifferences({ scopeBefore: base, scopeAfter: better, outsideBefore: base, outsideAfter: slightly });
    expect(r.estimate).toBeCloseTo(27, 10);
    expect(r.adjustedEstimate).toBeCloseTo(26.601, 3);
    expect(r.standardError).toBeCloseTo(10.5669, 3);
    expect(r.zScore).toBeCloseTo(2.5174, 3);
    expect(r.pValue).toBeCloseTo(0.011823, 4);
    expect(r.significant).toBe(true);
    expect(r.verdict).toBe('SIGNIFICANT_UP');
    expect(r.scopeChange.verdict).toBe('SIGNIFICANT_UP');
    expect(r.outsideChange.verdict).toBe('NO_SIGNIFICANT_CHANGE');
    expect(r.lowSample).toBe(false);
  });

  it('a swing that moved everyone is no effect: the scope rose significantly, and so did the rest', () => {
    const r = differenceInDifferences({ scopeBefore: base, scopeAfter: better, outsideBefore: base, outsideAfter: better });
    expect(r.scopeChange.significant).toBe(true);
    expect(r.estimate).toBe(0);
    expect(r.zScore).toBe(0);
    expect(r.pValue).toBe(1);
    expect(r.verdict).toBe('NO_SIGNIFICANT_CHANGE');
  });

  it('the sign follows the scope: the rest improved, the scope did not -> significantly down', () => {
    const r = differenceInDifferences({ scopeBefore: base, scopeAfter: slightly, outsideBefore: base, outsideAfter: better });
    expect(r.estimate).toBeCloseTo(-27, 10);
    expect(r.zScore).toBeCloseTo(-2.5174, 3);
    expect(r.verdict).toBe('SIGNIFICANT_DOWN');
  });

  it('a large plain difference on small groups is flagged low-sample and not significant', () => {
    // (5, 3, 2): centre 23.0769, SE' 21.4940 ; (8, 1, 1): centre 53.8462, SE' 19.9567
    // plain: (70 - 30) - (60 - 30) = 10 ; adjusted: (53.8462 - 23.0769) - (59.1133 - 29.5567) = 1.2126
    // SE = sqrt(21.4940^2 + 19.9567^2 + 5.48030^2 + 4.68794^2) = sqrt(462.00 + 398.27 + 30.03 + 21.98) = 30.204 ; z = 0.0401
    const r = differenceInDifferences({ scopeBefore: counts(5, 3, 2), scopeAfter: counts(8, 1, 1), outsideBefore: base, outsideAfter: better });
    expect(r.estimate).toBeCloseTo(10, 10);
    expect(r.adjustedEstimate).toBeCloseTo(1.2126, 3);
    expect(r.standardError).toBeCloseTo(30.204, 2);
    expect(r.zScore).toBeCloseTo(0.0401, 3);
    expect(r.significant).toBe(false);
    expect(r.lowSample).toBe(true);
  });

  it('an empty group: not comparable, every figure null', () => {
    const r = differenceInDifferences({ scopeBefore: counts(0, 0, 0), scopeAfter: better, outsideBefore: base, outsideAfter: better });
    expect(r).toMatchObject({ estimate: null, adjustedEstimate: null, standardError: null, zScore: null, pValue: null, significant: false, verdict: 'NOT_COMPARABLE', lowSample: true });
  });
});
