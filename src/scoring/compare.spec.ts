import { compareScores } from './compare';

const counts = (promoters: number, passives: number, detractors: number) => ({ promoters, passives, detractors });
// Previous period throughout: n=200, P=100, D=40 -> NPS 30, centre 6000/203 = 29.5567, SE' 5.48030 (see score.spec.ts).
const previous = counts(100, 60, 40);

describe('compareScores', () => {
  it('a known significant change', () => {
    // current n=200, P=140, D=20 -> NPS 60, delta 30.
    // centre 12000/203 = 59.1133 ; V' = 161.5/203 - 14400/41209 = (32784.5 - 14400)/41209 = 0.446128
    // SE' = 100*sqrt(0.446128/203) = 4.68794
    // z = (59.1133 - 29.5567)/sqrt(5.48030^2 + 4.68794^2) = 29.5567/sqrt(30.0337 + 21.9768) = 29.5567/7.21184 = 4.0984
    // p = 2*(1 - Phi(4.0984)) = 4.16e-5
    const r = compareScores(previous, counts(140, 40, 20));
    expect(r.delta).toBe(30);
    expect(r.zScore).toBeCloseTo(4.0984, 3);
    expect(r.pValue! / 4.161e-5).toBeCloseTo(1, 2);
    expect(r.significant).toBe(true);
  });

  it('a known non-significant change', () => {
    // current n=200, P=104, D=38 -> NPS 33, delta 3.
    // centre 6600/203 = 32.5123 ; V' = 143.5/203 - 4356/41209 = (29130.5 - 4356)/41209 = 0.601191
    // SE' = 100*sqrt(0.601191/203) = 5.44200
    // z = 2.95567/sqrt(30.0337 + 29.6154) = 2.95567/7.72329 = 0.38270 ; p = 2*(1 - 0.649030) = 0.70195
    const r = compareScores(previous, counts(104, 58, 38));
    expect(r.delta).toBe(3);
    expect(r.zScore).toBeCloseTo(0.3827, 4);
    expect(r.pValue).toBeCloseTo(0.70195, 4);
    expect(r.significant).toBe(false);
  });

  it('identical periods: z = 0, p = 1', () => {
    const r = compareScores(previous, counts(100, 60, 40));
    expect(r.delta).toBe(0);
    expect(r.zScore).toBe(0);
    expect(r.pValue).toBe(1);
    expect(r.significant).toBe(false);
  });

  it('a stricter confidence level can turn a significant change into a non-significant one', () => {
    // current n=200, P=125, D=30: z = 2.279, between 1.96 (95%) and 2.5758 (99%), above 1.6449 (90%)
    const current = counts(125, 45, 30);
    const at95 = compareScores(previous, current);
    const at99 = compareScores(previous, current, { confidence: 0.99 });
    expect(at95.zScore).toBeCloseTo(2.2792, 3);
    expect(at95.significant).toBe(true);
    expect(at99.significant).toBe(false);
    expect(at99.pValue).toBe(at95.pValue);
    expect(compareScores(previous, current, { confidence: 0.9 }).significant).toBe(true);
  });

  it("uses the brief's 1.96 exactly at the default 95% level (not 1.959964)", () => {
    // current n=143, P=105, D=36: z = 1.959983, p = 0.049998 (< 0.05) yet not significant by |z| >= 1.96
    const r = compareScores(previous, counts(105, 2, 36));
    expect(r.zScore!).toBeGreaterThan(1.959964);
    expect(r.zScore!).toBeLessThan(1.96);
    expect(r.pValue!).toBeLessThan(0.05);
    expect(r.significant).toBe(false);
    // the same z at an explicit non-default level just below 0.95 is significant
    expect(compareScores(previous, counts(105, 2, 36), { confidence: 0.9499 }).significant).toBe(true);
  });

  it.each([
    [counts(0, 0, 0), previous],
    [previous, counts(0, 0, 0)],
    [counts(0, 0, 0), counts(0, 0, 0)],
  ])('n = 0 on either side gives nulls', (a, b) => {
    expect(compareScores(a, b)).toEqual({ delta: null, zScore: null, pValue: null, significant: false });
  });

  it('is antisymmetric: swapping periods flips delta and z, keeps p', () => {
    const current = counts(140, 40, 20);
    const forward = compareScores(previous, current);
    const backward = compareScores(current, previous);
    expect(backward.delta).toBe(-forward.delta!);
    expect(backward.zScore).toBe(-forward.zScore!);
    expect(backward.pValue).toBe(forward.pValue);
    expect(backward.significant).toBe(forward.significant);
  });

  it.each([0, 1, 1.5, NaN])('rejects confidence %p', (confidence) => {
    expect(() => compareScores(previous, previous, { confidence })).toThrow(RangeError);
  });
});
