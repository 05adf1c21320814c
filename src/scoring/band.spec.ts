import { bandOf } from './band';

describe('bandOf', () => {
  it.each([
    [-100, 'NEEDS_IMPROVEMENT'],
    [-0.0001, 'NEEDS_IMPROVEMENT'],
    [0, 'GOOD'],
    [-0, 'GOOD'],
    [30, 'GOOD'],
    [30.0001, 'GREAT'],
    [70, 'GREAT'],
    [70.0001, 'EXCELLENT'],
    [100, 'EXCELLENT'],
  ] as const)('%p is %s', (nps, band) => {
    expect(bandOf(nps)).toBe(band);
  });

  it.each([NaN, -100.0001, 100.0001, Infinity])('rejects %p with a RangeError', (nps) => {
    expect(() => bandOf(nps)).toThrow(RangeError);
  });
});
