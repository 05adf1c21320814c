/**
 * Process-wide counters of the rate limits, read through rateLimitStats() (for metrics and tests).
 * Counters only grow; read them twice and subtract to see what happened in between.
 */
const counters = {
  /** Requests refused with RATE_LIMITED (HTTP 429). */
  refused: 0,
  /** Requests counted in this instance's memory because Redis did not answer (served: fail open). */
  redisFallbacks: 0,
};
let redis: 'not configured' | 'up' | 'down' = 'not configured';

export interface RateLimitStats {
  refused: number;
  redisFallbacks: number;
  /** The Redis that budgets are shared through: 'not configured' without REDIS_URL. */
  redis: 'not configured' | 'up' | 'down';
}

export function rateLimitStats(): RateLimitStats {
  return { ...counters, redis };
}

export const countRefusal = () => void counters.refused++;
export const countRedisFallback = () => void counters.redisFallbacks++;
export const setRedisState = (state: RateLimitStats['redis']) => void (redis = state);
