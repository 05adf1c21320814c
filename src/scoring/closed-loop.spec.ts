import { median, rate } from './closed-loop';

describe('median', () => {
  it('is null for no values', () => {
    expect(median([])).toBeNull();
  });
  it('is the middle value for odd length, sorted numerically', () => {
    expect(median([5])).toBe(5);
    expect(median([10, 2, 9])).toBe(9); // a default (string) sort would give 2
    expect(median([-5, -50, 1])).toBe(-5);
  });
  it('is the mean of the two middle values for even length', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7, 1])).toBe(4);
    expect(median([10, 9, 2, 1])).toBe(5.5); // a default (string) sort would give (10 + 2)/2 = 6
  });
  it('does not mutate its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
  it('rejects non-finite values', () => {
    expect(() => median([1, NaN])).toThrow(RangeError);
  });
});

describe('rate', () => {
  it('is a percent', () => {
    expect(rate(1, 4)).toBe(25);
    expect(rate(3, 3)).toBe(100);
    expect(rate(0, 7)).toBe(0);
  });
  it('is null when the denominator is 0', () => {
    expect(rate(0, 0)).toBeNull();
  });
  it.each([
    [5, 4],
    [-1, 4],
    [1, NaN],
  ])('rejects %p / %p', (n, d) => {
    expect(() => rate(n, d)).toThrow(RangeError);
  });
});
