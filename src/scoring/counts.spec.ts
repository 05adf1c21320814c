import { countsOf, sumCounts } from './counts';

describe('countsOf', () => {
  it('counts categories of raw scores', () => {
    expect(countsOf([0, 6, 7, 8, 9, 10, 10, 3])).toEqual({ promoters: 3, passives: 2, detractors: 3 });
  });
  it('is all zeros for no scores', () => {
    expect(countsOf([])).toEqual({ promoters: 0, passives: 0, detractors: 0 });
  });
  it('rejects an invalid score', () => {
    expect(() => countsOf([9, 11])).toThrow(RangeError);
  });
});

describe('sumCounts', () => {
  it('sums field by field', () => {
    expect(
      sumCounts([
        { promoters: 1, passives: 2, detractors: 3 },
        { promoters: 10, passives: 20, detractors: 30 },
        { promoters: 100, passives: 0, detractors: 7 },
      ]),
    ).toEqual({ promoters: 111, passives: 22, detractors: 40 });
  });
  it('is all zeros for no groups', () => {
    expect(sumCounts([])).toEqual({ promoters: 0, passives: 0, detractors: 0 });
  });
  it('does not mutate its input', () => {
    const groups = [{ promoters: 1, passives: 1, detractors: 1 }];
    sumCounts(groups);
    expect(groups).toEqual([{ promoters: 1, passives: 1, detractors: 1 }]);
  });
  it.each([-1, 1.5, NaN])('rejects a count of %p', (bad) => {
    expect(() => sumCounts([{ promoters: bad, passives: 0, detractors: 0 }])).toThrow(RangeError);
  });
});
