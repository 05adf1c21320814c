import { normalCdf, normalQuantile } from './normal-cdf';

describe('normalCdf', () => {
  it.each([
    [0, 0.5],
    [1.96, 0.9750021048517795],
    [-3, 0.0013498980316301],
    [1, 0.8413447460685429],
    [-1, 0.15865525393145705],
    [0.5, 0.6914624612740131],
    [2.5, 0.9937903346742238],
    [5, 0.9999997133484281],
  ])('Phi(%p) = %p to 1e-9', (x, expected) => {
    expect(Math.abs(normalCdf(x) - expected)).toBeLessThan(1e-9);
  });

  it('is accurate in relative terms far in the lower tail', () => {
    // Phi(-8) = 6.22096057427178e-16, Phi(-20) = 2.75362411860623e-89
    expect(normalCdf(-8) / 6.22096057427178e-16).toBeCloseTo(1, 9);
    expect(normalCdf(-20) / 2.75362411860623e-89).toBeCloseTo(1, 9);
  });

  it('saturates at 0 and 1', () => {
    expect(normalCdf(-50)).toBe(0);
    expect(normalCdf(50)).toBe(1);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(NaN)).toBeNaN();
  });

  it('is symmetric and increasing across the branch boundaries', () => {
    let previous = -1;
    for (let x = -7; x <= 7; x += 0.01) {
      const value = normalCdf(x);
      expect(value).toBeGreaterThanOrEqual(previous);
      expect(Math.abs(value + normalCdf(-x) - 1)).toBeLessThan(1e-15);
      previous = value;
    }
  });
});

describe('normalQuantile', () => {
  it('inverts normalCdf', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 8);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(0.995)).toBeCloseTo(2.575829304, 8);
  });
  it.each([0, 1, -0.1, NaN])('rejects %p', (p) => {
    expect(() => normalQuantile(p)).toThrow(RangeError);
  });
});
