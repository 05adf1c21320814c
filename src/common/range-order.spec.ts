import { DomainError } from './errors';
import { assertRangeOrder, rangeOrderError } from './range-order';

const refusal = (fn: () => void) => {
  try {
    fn();
    return null;
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    return { code: err.code, message: err.message, field: err.field, details: err.details };
  }
};

const D = (iso: string) => new Date(iso);

describe('assertRangeOrder', () => {
  it('refuses an end before or equal to its start with one shape, naming the end field', () => {
    for (const [start, end] of [
      [D('2025-02-01T00:00:00Z'), D('2025-01-01T00:00:00Z')],
      [D('2025-01-01T00:00:00Z'), D('2025-01-01T00:00:00Z')],
    ]) {
      expect(refusal(() => assertRangeOrder({ field: 'filter.from', value: start }, { field: 'filter.to', value: end }))).toEqual({
        code: 'BAD_USER_INPUT',
        message: 'filter.to must be after filter.from',
        field: 'filter.to',
        details: { startField: 'filter.from' },
      });
    }
  });

  it('says when the end defaulted to now, in the same shape', () => {
    const err = refusal(() => assertRangeOrder({ field: 'filter.from', value: D('2026-01-01T00:00:00Z') }, { field: 'filter.to', value: D('2025-01-01T00:00:00Z'), endDefault: 'now' }));
    expect(err).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'filter.to must be after filter.from (filter.to defaults to now)',
      field: 'filter.to',
      details: { startField: 'filter.from', endDefault: 'now' },
    });
  });

  it('passes a range in order, or one with a bound missing', () => {
    expect(refusal(() => assertRangeOrder({ field: 'a', value: 1 }, { field: 'b', value: 2 }))).toBeNull();
    expect(refusal(() => assertRangeOrder({ field: 'a', value: null }, { field: 'b', value: 2 }))).toBeNull();
    expect(refusal(() => assertRangeOrder({ field: 'a', value: D('2025-01-01T00:00:00Z') }, { field: 'b', value: undefined }))).toBeNull();
  });

  it('lets inclusive (min/max) bounds be equal, and refuses a max below its min', () => {
    expect(refusal(() => assertRangeOrder({ field: 'filter.minScore', value: 5 }, { field: 'filter.maxScore', value: 5 }, { inclusive: true }))).toBeNull();
    expect(refusal(() => assertRangeOrder({ field: 'filter.minScore', value: 6 }, { field: 'filter.maxScore', value: 5 }, { inclusive: true }))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'filter.maxScore must not be below filter.minScore',
      field: 'filter.maxScore',
      details: { startField: 'filter.minScore' },
    });
  });

  it('is the error rangeOrderError builds', () => {
    expect(rangeOrderError('periodEnd', 'periodStart').message).toBe('periodEnd must be after periodStart');
  });
});
