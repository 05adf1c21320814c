import { DomainError } from '../../common/errors';
import { KpiMetric } from './kpi-target.entity';
import { countedUntil, measuredUntil, periodProgress, resolveAsOf, validatePeriod, validateTargetValue } from './kpi-target.rules';

const d = (iso: string) => new Date(iso);

describe('validateTargetValue', () => {
  it.each([
    [KpiMetric.NPS, -100],
    [KpiMetric.NPS, 100],
    [KpiMetric.PROMOTER_SHARE, 0],
    [KpiMetric.DETRACTOR_SHARE, 100],
    [KpiMetric.FOLLOW_UP_RATE, 55.5],
    [KpiMetric.CLOSED_WITHIN_SLA_RATE, 0],
    [KpiMetric.RESPONSE_COUNT, 0],
    [KpiMetric.RESPONSE_COUNT, 1e9],
  ])('accepts %s %d', (metric, target) => {
    expect(() => validateTargetValue(metric, target)).not.toThrow();
  });

  it.each([
    [KpiMetric.NPS, -100.01],
    [KpiMetric.NPS, 101],
    [KpiMetric.PROMOTER_SHARE, -1],
    [KpiMetric.DETRACTOR_SHARE, 100.5],
    [KpiMetric.FOLLOW_UP_RATE, 120],
    [KpiMetric.CLOSED_WITHIN_SLA_RATE, -0.1],
    [KpiMetric.RESPONSE_COUNT, -1],
    [KpiMetric.NPS, Number.NaN],
    [KpiMetric.RESPONSE_COUNT, Number.POSITIVE_INFINITY],
  ])('refuses %s %d with BAD_USER_INPUT on target', (metric, target) => {
    try {
      validateTargetValue(metric, target);
      throw new Error('accepted');
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).code).toBe('BAD_USER_INPUT');
      expect((err as DomainError).field).toBe('target');
    }
  });
});

describe('validatePeriod', () => {
  it('needs start < end', () => {
    expect(() => validatePeriod(d('2026-01-01Z'), d('2026-01-02Z'))).not.toThrow();
    expect(() => validatePeriod(d('2026-01-01Z'), d('2026-01-01Z'))).toThrow(/after periodStart/);
    expect(() => validatePeriod(d('2026-01-02Z'), d('2026-01-01Z'))).toThrow(/after periodStart/);
    expect(() => validatePeriod(new Date(NaN), d('2026-01-01Z'))).toThrow(/periodStart is not a valid/);
  });
});

describe('periodProgress and measuredUntil', () => {
  const start = d('2026-01-01T00:00:00Z');
  const end = d('2026-01-11T00:00:00Z');

  it('is the elapsed fraction, clamped to 0..1', () => {
    expect(periodProgress(start, end, d('2025-12-01T00:00:00Z'))).toBe(0);
    expect(periodProgress(start, end, start)).toBe(0);
    expect(periodProgress(start, end, d('2026-01-03T12:00:00Z'))).toBe(0.25);
    expect(periodProgress(start, end, end)).toBe(1);
    expect(periodProgress(start, end, d('2027-01-01T00:00:00Z'))).toBe(1);
  });

  it('measures up to now, held within the period', () => {
    expect(measuredUntil(start, end, d('2025-12-01T00:00:00Z'))).toEqual(start);
    expect(measuredUntil(start, end, d('2026-01-05T00:00:00Z'))).toEqual(d('2026-01-05T00:00:00Z'));
    expect(measuredUntil(start, end, d('2027-01-01T00:00:00Z'))).toEqual(end);
  });
});

describe('resolveAsOf', () => {
  const now = d('2026-03-10T00:00:00Z');

  it('absent is live (null); a past instant is kept', () => {
    expect(resolveAsOf(undefined, now)).toBeNull();
    expect(resolveAsOf(null, now)).toBeNull();
    expect(resolveAsOf(d('2026-02-01T00:00:00Z'), now)).toEqual(d('2026-02-01T00:00:00Z'));
    expect(resolveAsOf(now, now)).toEqual(now);
  });

  it('up to 5 minutes ahead (clock skew) is read as now; further is BAD_USER_INPUT naming the field', () => {
    expect(resolveAsOf(d('2026-03-10T00:05:00Z'), now)).toEqual(now);
    for (const late of [d('2026-03-10T00:05:00.001Z'), d('2027-01-01T00:00:00Z')]) {
      try {
        resolveAsOf(late, now, 'asOf');
        throw new Error('accepted');
      } catch (err) {
        expect(err).toBeInstanceOf(DomainError);
        expect((err as DomainError).code).toBe('BAD_USER_INPUT');
        expect((err as DomainError).field).toBe('asOf');
      }
    }
    expect(() => resolveAsOf(new Date(Number.NaN), now)).toThrow(/valid date-time/);
  });
});

describe('countedUntil', () => {
  const start = d('2026-01-01T00:00:00Z');
  const end = d('2026-04-01T00:00:00Z');

  it('live: the period end; as of an instant: that instant held within the period', () => {
    expect(countedUntil(start, end, null)).toEqual(end);
    expect(countedUntil(start, end, d('2026-02-01T00:00:00Z'))).toEqual(d('2026-02-01T00:00:00Z'));
    expect(countedUntil(start, end, d('2025-12-01T00:00:00Z'))).toEqual(start);
    expect(countedUntil(start, end, d('2026-06-01T00:00:00Z'))).toEqual(end);
  });
});
