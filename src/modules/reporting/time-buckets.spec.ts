import { DomainError } from '../../common/errors';
import { TrendInterval } from './reporting.types';
import { assertBucketCount, MAX_TREND_BUCKETS, resolveTimeZone } from './time-buckets';

describe('resolveTimeZone', () => {
  it('defaults to UTC and canonicalises IANA names', () => {
    expect(resolveTimeZone(undefined)).toBe('UTC');
    expect(resolveTimeZone(null)).toBe('UTC');
    expect(resolveTimeZone('europe/paris')).toBe('Europe/Paris');
    expect(resolveTimeZone('Etc/GMT+5')).toBe('Etc/GMT+5');
  });

  it('refuses offsets, POSIX strings and unknown names as BAD_USER_INPUT on timeZone', () => {
    for (const zone of ['+02:00', 'UTC+2', 'GMT-3', 'Mars/Base', '', 'Europe/Paris;', 'x'.repeat(80)]) {
      let err: unknown;
      try {
        resolveTimeZone(zone);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).code).toBe('BAD_USER_INPUT');
      expect((err as DomainError).field).toBe('timeZone');
    }
  });
});

describe('assertBucketCount', () => {
  const day = 86_400_000;
  const from = new Date('2020-01-01T00:00:00Z');
  it('lets ranges through that may fit and refuses those that certainly do not', () => {
    expect(() => assertBucketCount(from, new Date(from.getTime() + MAX_TREND_BUCKETS * day), TrendInterval.DAY)).not.toThrow();
    expect(() => assertBucketCount(from, new Date(from.getTime() + 2 * MAX_TREND_BUCKETS * day), TrendInterval.DAY)).toThrow(/1000/);
    expect(() => assertBucketCount(from, new Date(from.getTime() + 2 * MAX_TREND_BUCKETS * day), TrendInterval.WEEK)).not.toThrow();
  });
});
