import { wilsonInterval } from './wilson';

describe('wilsonInterval', () => {
  it('20 of 100, checked by hand', () => {
    // p = 0.2, z^2/n = 3.8416/100 = 0.038416, denominator 1.038416
    // centre = (0.2 + 0.019208) / 1.038416 = 0.211100
    // half = 1.96/1.038416 * sqrt(0.0016 + 0.00009604) = 1.887490 * 0.0411830 = 0.0777326
    // -> [13.3367, 28.8833] percent (the textbook figure for 20/100 is 13.3%-28.9%)
    const r = wilsonInterval(20, 100);
    expect(r.rate).toBe(20);
    expect(r.low).toBeCloseTo(13.3367, 3);
    expect(r.high).toBeCloseTo(28.8833, 3);
  });

  it('0 of 10: the interval is not zero-width (upper 27.75%)', () => {
    // p = 0, z^2/n = 0.38416: centre = (0 + 0.19208)/1.38416 = 0.138770 ;
    // half = 1.96/1.38416 * sqrt(3.8416/400) = 1.416022 * 0.0980 = 0.138770 -> [0, 27.754] percent
    const r = wilsonInterval(0, 10);
    expect(r.rate).toBe(0);
    expect(r.low).toBeCloseTo(0, 10);
    expect(r.high).toBeCloseTo(27.754, 2);
  });

  it('10 of 10 mirrors 0 of 10', () => {
    const r = wilsonInterval(10, 10);
    expect(r.high).toBeCloseTo(100, 10);
    expect(r.low).toBeCloseTo(100 - 27.754, 2);
  });

  it('no trials: every figure null', () => {
    expect(wilsonInterval(0, 0)).toEqual({ part: 0, whole: 0, rate: null, low: null, high: null });
  });

  it('refuses impossible counts', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 2)).toThrow(RangeError);
  });
});
