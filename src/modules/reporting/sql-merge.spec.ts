import { SqlParams } from '../../common/sql-params';
import { mergeInto } from './sql-merge';

describe('mergeInto', () => {
  it('renumbers placeholders after the target and appends the values', () => {
    const target = new SqlParams();
    const a = new SqlParams();
    const first = `x = ${a.p(1)} AND y = ANY(${a.p([2])})`;
    expect(mergeInto(target, first, a.values)).toBe('x = $1 AND y = ANY($2)');
    const b = new SqlParams();
    const second = `z BETWEEN ${b.p(3)} AND ${b.p(4)} OR w = $1`;
    expect(mergeInto(target, second, b.values)).toBe('z BETWEEN $3 AND $4 OR w = $3');
    expect(target.values).toEqual([1, [2], 3, 4]);
    const c = new SqlParams();
    const many = Array.from({ length: 12 }, (_, i) => c.p(i)).join(',');
    expect(mergeInto(target, many, c.values).split(',').slice(9)).toEqual(['$14', '$15', '$16']);
  });
});
