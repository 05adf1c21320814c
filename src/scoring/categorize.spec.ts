import { categorize } from './categorize';

describe('categorize', () => {
  it.each([
    [0, 'DETRACTOR'],
    [6, 'DETRACTOR'],
    [7, 'PASSIVE'],
    [8, 'PASSIVE'],
    [9, 'PROMOTER'],
    [10, 'PROMOTER'],
  ] as const)('%d is %s', (score, category) => {
    expect(categorize(score)).toBe(category);
  });

  it('covers every score 0..10 with the brief categories', () => {
    const got = Array.from({ length: 11 }, (_, s) => categorize(s));
    expect(got).toEqual([...Array(7).fill('DETRACTOR'), 'PASSIVE', 'PASSIVE', 'PROMOTER', 'PROMOTER']);
  });

  it.each([-1, 11, 6.5, NaN, Infinity, -Infinity])('rejects %p with a RangeError', (score) => {
    expect(() => categorize(score)).toThrow(RangeError);
  });
});
