import { unitStartsBetween } from './calendar-buckets';

const at = (iso: string) => new Date(iso).getTime();
const iso = (list: number[]) => list.map((t) => new Date(t).toISOString());

describe('unitStartsBetween', () => {
  it('days in UTC: the midnights strictly inside the range', () => {
    expect(iso(unitStartsBetween(at('2026-01-01T00:00:00Z'), at('2026-01-04T00:00:00Z'), 'day', 'UTC', 100))).toEqual([
      '2026-01-02T00:00:00.000Z',
      '2026-01-03T00:00:00.000Z',
    ]);
    // A range off the day edges: the one midnight inside it.
    expect(iso(unitStartsBetween(at('2026-01-01T12:00:00Z'), at('2026-01-02T12:00:00Z'), 'day', 'UTC', 100))).toEqual(['2026-01-02T00:00:00.000Z']);
  });

  it('ISO weeks start on Monday (1 January 2026 is a Thursday)', () => {
    expect(iso(unitStartsBetween(at('2026-01-01T00:00:00Z'), at('2026-01-20T00:00:00Z'), 'week', 'UTC', 100))).toEqual([
      '2026-01-05T00:00:00.000Z',
      '2026-01-12T00:00:00.000Z',
      '2026-01-19T00:00:00.000Z',
    ]);
  });

  it('months at local midnight across a DST change (Paris: +01:00 in March, +02:00 in April)', () => {
    // [1 March, 1 May) in Paris: one edge, 1 April 00:00 +02:00.
    expect(iso(unitStartsBetween(at('2026-02-28T23:00:00Z'), at('2026-04-30T22:00:00Z'), 'month', 'Europe/Paris', 100))).toEqual(['2026-03-31T22:00:00.000Z']);
  });

  it('quarters start in January, April, July and October', () => {
    expect(iso(unitStartsBetween(at('2026-02-15T00:00:00Z'), at('2026-12-31T00:00:00Z'), 'quarter', 'UTC', 100))).toEqual([
      '2026-04-01T00:00:00.000Z',
      '2026-07-01T00:00:00.000Z',
      '2026-10-01T00:00:00.000Z',
    ]);
  });

  it('none inside one unit; refuses more than the limit', () => {
    expect(unitStartsBetween(at('2026-01-01T00:00:00Z'), at('2026-02-01T00:00:00Z'), 'month', 'UTC', 100)).toEqual([]);
    expect(unitStartsBetween(at('2026-01-01T00:00:00Z'), at('2026-01-05T00:00:00Z'), 'day', 'UTC', 3)).toHaveLength(3);
    expect(() => unitStartsBetween(at('2026-01-01T00:00:00Z'), at('2026-01-06T00:00:00Z'), 'day', 'UTC', 3)).toThrow(RangeError);
  });
});
