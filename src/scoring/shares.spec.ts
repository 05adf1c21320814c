import { compareShares } from './shares';

describe('compareShares: hand-checked', () => {
  it('10 of 100 then 25 of 100: up 15 points, significant', () => {
    // pooled p = 35/200 = 0.175; SE = sqrt(0.175 x 0.825 x (1/100 + 1/100)) = sqrt(0.0028875) = 0.0537355
    // z = 0.15 / 0.0537355 = 2.79145; p = 2 x (1 - Phi(2.79145)) = 0.005247
    const r = compareShares({ part: 10, whole: 100 }, { part: 25, whole: 100 });
    expect(r.previous).toBe(10);
    expect(r.current).toBe(25);
    expect(r.delta).toBe(15);
    expect(r.zScore).toBeCloseTo(2.79145, 4);
    expect(r.pValue).toBeCloseTo(0.005247, 5);
    expect(r).toMatchObject({ significant: true, verdict: 'SIGNIFICANT_UP' });
  });

  it('3 of 20 then 2 of 20: down 5 points, not significant', () => {
    // pooled p = 5/40 = 0.125; SE = sqrt(0.125 x 0.875 x 0.1) = 0.104583; z = -0.05 / 0.104583 = -0.47809
    const r = compareShares({ part: 3, whole: 20 }, { part: 2, whole: 20 });
    expect(r.delta).toBeCloseTo(-5, 12);
    expect(r.zScore).toBeCloseTo(-0.47809, 4);
    expect(r).toMatchObject({ significant: false, verdict: 'NO_SIGNIFICANT_CHANGE' });
  });

  it('an empty period is NOT_COMPARABLE; 0% against 0% is no change (z 0, p 1)', () => {
    expect(compareShares({ part: 0, whole: 0 }, { part: 3, whole: 9 })).toEqual({
      previous: null,
      current: 100 / 3,
      delta: null,
      zScore: null,
      pValue: null,
      significant: false,
      verdict: 'NOT_COMPARABLE',
    });
    expect(compareShares({ part: 0, whole: 5 }, { part: 0, whole: 8 })).toMatchObject({ delta: 0, zScore: 0, pValue: 1, verdict: 'NO_SIGNIFICANT_CHANGE' });
  });

  it('refuses a part above its whole', () => {
    expect(() => compareShares({ part: 3, whole: 2 }, { part: 0, whole: 1 })).toThrow(RangeError);
  });
});
