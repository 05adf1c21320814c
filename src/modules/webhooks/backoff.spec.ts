import { backoffDelayMs } from './backoff';

describe('webhook backoff', () => {
  const policy = { baseMs: 1000, maxMs: 10_000, jitter: false };

  it('doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 50].map((n) => backoffDelayMs(policy, n))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  });

  it('with jitter stays between half and the full delay', () => {
    const j = { ...policy, jitter: true };
    expect(backoffDelayMs(j, 3, () => 0)).toBe(2000);
    expect(backoffDelayMs(j, 3, () => 1)).toBe(4000);
    for (let i = 0; i < 50; i++) {
      const d = backoffDelayMs(j, 2);
      expect(d).toBeGreaterThanOrEqual(1000);
      expect(d).toBeLessThanOrEqual(2000);
    }
  });
});
