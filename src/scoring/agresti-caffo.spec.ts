import { compareSharesAdjusted } from './agresti-caffo';
import { compareShares } from './shares';

describe('compareSharesAdjusted (Agresti-Caffo two-proportion test): hand-checked', () => {
  it('10 of 100 -> 20 of 100: z = 10 sqrt(102 / 2702) = 1.9429, p = 0.0520, not significant at 95%', () => {
    // p~1 = 11/102, p~2 = 21/102; SE^2 = (11*91 + 21*81) / 102^3 = 2702 / 102^3;
    // z = (10/102) / sqrt(2702 / 102^3) = 10 sqrt(102 / 2702) = 1.942931...
    // Phi(1.94) = 0.97381, Phi(1.95) = 0.97441 (tables): Phi(1.9429) = 0.97398, p = 2 (1 - 0.97398) = 0.0520.
    const r = compareSharesAdjusted({ part: 10, whole: 100 }, { part: 20, whole: 100 });
    expect(r.previous).toBe(10);
    expect(r.current).toBe(20);
    expect(r.delta).toBe(10);
    expect(r.previousAdjusted).toBeCloseTo((100 * 11) / 102, 12);
    expect(r.currentAdjusted).toBeCloseTo((100 * 21) / 102, 12);
    expect(r.zScore).toBeCloseTo(1.942931, 6);
    expect(r.pValue).toBeCloseTo(0.052, 3);
    expect(r.significant).toBe(false);
    expect(r.verdict).toBe('NO_SIGNIFICANT_CHANGE');
    // The plain pooled test calls the same data significant: pooled 0.15, SE = sqrt(0.15 * 0.85 * 0.02) = 0.050498, z = 1.9803.
    const plain = compareShares({ part: 10, whole: 100 }, { part: 20, whole: 100 });
    expect(plain.zScore).toBeCloseTo(1.98030, 4);
    expect(plain.significant).toBe(true);
  });

  it('0 of 10 -> 10 of 10: the plain SE would be 0; adjusted z = (10/12) / sqrt(22/1728) = 7.3855, significant up', () => {
    // p~1 = 1/12, p~2 = 11/12; SE^2 = 2 * (1/12)(11/12)/12 = 22/1728.
    const r = compareSharesAdjusted({ part: 0, whole: 10 }, { part: 10, whole: 10 });
    expect(r.zScore).toBeCloseTo(10 / 12 / Math.sqrt(22 / 1728), 12);
    expect(r.zScore).toBeCloseTo(7.3855, 4);
    expect(r.verdict).toBe('SIGNIFICANT_UP');
  });

  it('a fall: 30 of 60 -> 10 of 60 is SIGNIFICANT_DOWN (z = -4.0366)', () => {
    // p~1 = 31/62 = 0.5, p~2 = 11/62; SE^2 = (0.25 + (11*51)/62^2) / 62 = (0.25 + 0.145942) / 62 = 0.0063862; SE = 0.079914;
    // z = (11/62 - 0.5) / 0.079914 = -0.322581 / 0.079914 = -4.0366.
    const r = compareSharesAdjusted({ part: 30, whole: 60 }, { part: 10, whole: 60 });
    expect(r.zScore).toBeCloseTo(-4.0366, 3);
    expect(r.verdict).toBe('SIGNIFICANT_DOWN');
    expect(r.delta).toBeCloseTo(-33.3333, 3);
  });

  it('equal counts: z 0, p 1; 0 of n on both sides too', () => {
    expect(compareSharesAdjusted({ part: 5, whole: 50 }, { part: 5, whole: 50 })).toMatchObject({ zScore: 0, pValue: 1, verdict: 'NO_SIGNIFICANT_CHANGE' });
    expect(compareSharesAdjusted({ part: 0, whole: 20 }, { part: 0, whole: 20 })).toMatchObject({ zScore: 0, pValue: 1 });
  });

  it('an empty side is NOT_COMPARABLE; invalid counts throw', () => {
    expect(compareSharesAdjusted({ part: 0, whole: 0 }, { part: 3, whole: 9 })).toMatchObject({ previous: null, current: 100 / 3, zScore: null, pValue: null, verdict: 'NOT_COMPARABLE' });
    expect(() => compareSharesAdjusted({ part: 4, whole: 3 }, { part: 1, whole: 1 })).toThrow(RangeError);
    expect(() => compareSharesAdjusted({ part: 1.5, whole: 3 }, { part: 1, whole: 1 })).toThrow(RangeError);
  });
});
