/** Retry policy of webhook deliveries. */
export interface BackoffPolicy {
  /** Delay after the first failed attempt, in ms. */
  baseMs: number;
  /** Upper bound of any delay, in ms. */
  maxMs: number;
  /** When true, each delay is drawn uniformly from [delay/2, delay] so retries of many deliveries spread out. */
  jitter: boolean;
}

/** Delay before the next attempt after `failedAttempts` failures (1, 2, ...): base * 2^(n-1), capped. */
export function backoffDelayMs(policy: BackoffPolicy, failedAttempts: number, random: () => number = Math.random): number {
  const exp = Math.min(Math.max(failedAttempts - 1, 0), 40);
  const delay = Math.min(policy.maxMs, policy.baseMs * 2 ** exp);
  return policy.jitter ? Math.round(delay / 2 + (random() * delay) / 2) : delay;
}
