import { defaultTolerance, evaluateKpi, LOWER_IS_BETTER } from './kpi';
import type { KpiMetric } from './kpi';

describe('LOWER_IS_BETTER', () => {
  it('holds just DETRACTOR_SHARE', () => {
    expect([...LOWER_IS_BETTER]).toEqual(['DETRACTOR_SHARE']);
  });
});

describe('defaultTolerance', () => {
  it.each([
    ['NPS', 40, 5],
    ['PROMOTER_SHARE', 60, 5],
    ['DETRACTOR_SHARE', 10, 5],
    ['FOLLOW_UP_RATE', 90, 5],
    ['CLOSED_WITHIN_SLA_RATE', 95, 5],
    ['RESPONSE_COUNT', 500, 50],
    ['RESPONSE_COUNT', 0, 0],
  ] as const)('%s with target %p is %p', (metric, target, expected) => {
    expect(defaultTolerance(metric, target)).toBe(expected);
  });
});

describe('evaluateKpi', () => {
  it.each([
    // metric, target, actual, gap, status (default tolerance)
    ['NPS', 40, 45, 5, 'ON_TRACK'],
    ['NPS', 40, 40, 0, 'ON_TRACK'],
    ['NPS', 40, 35, -5, 'AT_RISK'],
    ['NPS', 40, 34, -6, 'OFF_TRACK'],
    ['NPS', -10, -20, -10, 'OFF_TRACK'],
    ['PROMOTER_SHARE', 60, 57, -3, 'AT_RISK'],
    ['PROMOTER_SHARE', 60, 50, -10, 'OFF_TRACK'],
    ['DETRACTOR_SHARE', 10, 8, 2, 'ON_TRACK'],
    ['DETRACTOR_SHARE', 10, 13, -3, 'AT_RISK'],
    ['DETRACTOR_SHARE', 10, 20, -10, 'OFF_TRACK'],
    ['RESPONSE_COUNT', 500, 520, 20, 'ON_TRACK'],
    ['RESPONSE_COUNT', 500, 450, -50, 'AT_RISK'],
    ['RESPONSE_COUNT', 500, 449, -51, 'OFF_TRACK'],
    ['FOLLOW_UP_RATE', 90, 96, 6, 'ON_TRACK'],
    ['FOLLOW_UP_RATE', 90, 86, -4, 'AT_RISK'],
    ['FOLLOW_UP_RATE', 90, 80, -10, 'OFF_TRACK'],
    ['CLOSED_WITHIN_SLA_RATE', 95, 95, 0, 'ON_TRACK'],
    ['CLOSED_WITHIN_SLA_RATE', 95, 91, -4, 'AT_RISK'],
    ['CLOSED_WITHIN_SLA_RATE', 95, 70, -25, 'OFF_TRACK'],
  ] as const)('%s target %p actual %p -> gap %p, %s', (metric, target, actual, gap, status) => {
    const result = evaluateKpi({ metric, target, actual });
    expect(result).toEqual({ actual, gap, status });
    expect(Object.is(result.gap, -0)).toBe(false);
  });

  it('judges a running RESPONSE_COUNT on pace: target and tolerance pro-rated by progress; gap to the full target', () => {
    // 811 of 960 two thirds into the period: pace 640, ahead.
    expect(evaluateKpi({ metric: 'RESPONSE_COUNT', target: 960, actual: 811, progress: 2 / 3 })).toEqual({ actual: 811, gap: -149, status: 'ON_TRACK' });
    // Half-way, target 500: pace 250, tolerance 50 * 0.5 = 25.
    expect(evaluateKpi({ metric: 'RESPONSE_COUNT', target: 500, actual: 230, progress: 0.5 }).status).toBe('AT_RISK');
    expect(evaluateKpi({ metric: 'RESPONSE_COUNT', target: 500, actual: 224, progress: 0.5 }).status).toBe('OFF_TRACK');
    expect(evaluateKpi({ metric: 'RESPONSE_COUNT', target: 500, actual: 0, progress: 0 }).status).toBe('ON_TRACK');
    // A finished period (progress 1) is judged against the full target.
    expect(evaluateKpi({ metric: 'RESPONSE_COUNT', target: 960, actual: 811, progress: 1 }).status).toBe('OFF_TRACK');
    // Rates and scores are not cumulative: progress does not change them.
    expect(evaluateKpi({ metric: 'NPS', target: 40, actual: 30, progress: 0.1 })).toEqual(evaluateKpi({ metric: 'NPS', target: 40, actual: 30 }));
    expect(() => evaluateKpi({ metric: 'NPS', target: 40, actual: 30, progress: 1.5 })).toThrow(RangeError);
  });

  it('flips the sign for DETRACTOR_SHARE only', () => {
    expect(evaluateKpi({ metric: 'DETRACTOR_SHARE', target: 10, actual: 15 }).gap).toBe(-5);
    expect(evaluateKpi({ metric: 'PROMOTER_SHARE', target: 10, actual: 15 }).gap).toBe(5);
  });

  it('uses an explicit tolerance', () => {
    expect(evaluateKpi({ metric: 'NPS', target: 40, actual: 32, tolerance: 10 }).status).toBe('AT_RISK');
    expect(evaluateKpi({ metric: 'NPS', target: 40, actual: 38, tolerance: 1 }).status).toBe('OFF_TRACK');
    expect(evaluateKpi({ metric: 'NPS', target: 40, actual: 39, tolerance: 0 }).status).toBe('OFF_TRACK');
    expect(evaluateKpi({ metric: 'NPS', target: 40, actual: 34, tolerance: null }).status).toBe('OFF_TRACK');
  });

  it('is AT_RISK when the target is within the sampling error even beyond tolerance', () => {
    // gap -8: beyond the default 5 points, but the margin of error is 10.7
    expect(evaluateKpi({ metric: 'NPS', target: 40, actual: 32, marginOfError: 10.7 }).status).toBe('AT_RISK');
    expect(evaluateKpi({ metric: 'NPS', target: 40, actual: 29, marginOfError: 10.7 }).status).toBe('OFF_TRACK');
    // a small margin does not shrink the tolerance
    expect(evaluateKpi({ metric: 'NPS', target: 40, actual: 36, marginOfError: 1 }).status).toBe('AT_RISK');
    expect(evaluateKpi({ metric: 'NPS', target: 40, actual: 34, marginOfError: null }).status).toBe('OFF_TRACK');
    expect(
      evaluateKpi({ metric: 'DETRACTOR_SHARE', target: 10, actual: 17, marginOfError: 8 }).status,
    ).toBe('AT_RISK');
  });

  it.each(['NPS', 'PROMOTER_SHARE', 'DETRACTOR_SHARE', 'RESPONSE_COUNT', 'FOLLOW_UP_RATE', 'CLOSED_WITHIN_SLA_RATE'] as KpiMetric[])(
    '%s with no actual is NO_DATA',
    (metric) => {
      expect(evaluateKpi({ metric, target: 10, actual: null, marginOfError: 3 })).toEqual({
        actual: null,
        gap: null,
        status: 'NO_DATA',
      });
    },
  );

  it('rejects bad numbers', () => {
    expect(() => evaluateKpi({ metric: 'NPS', target: 40, actual: NaN })).toThrow(RangeError);
    expect(() => evaluateKpi({ metric: 'NPS', target: NaN, actual: 1 })).toThrow(RangeError);
    expect(() => evaluateKpi({ metric: 'NPS', target: 40, actual: 1, tolerance: -1 })).toThrow(RangeError);
    expect(() => evaluateKpi({ metric: 'NPS', target: 40, actual: 1, marginOfError: -1 })).toThrow(RangeError);
  });
});
