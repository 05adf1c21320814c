import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '../logging';
import { countRedisFallback, setRedisState } from './stats';

/** What the limiter decided for one request. */
export interface RateLimitDecision {
  allowed: boolean;
  /** The key's budget: points per window. */
  limit: number;
  /** Points left in the current window after this request (a refused request spends none). */
  remaining: number;
  /** Milliseconds until the window ends and the whole budget is back. */
  resetMs: number;
  /** Points this request spent, or would have spent when refused. */
  points: number;
  windowSeconds: number;
}

export interface RateLimiter {
  /** Spends `points` of the key's `budget` when they are left; else refuses and spends nothing. */
  consume(keyId: string, budget: number, points: number): Promise<RateLimitDecision>;
  /** Waits (boundedly) for the first connection to Redis, so the first requests already share it. */
  ready(): Promise<void>;
  /** Closes the Redis connection (no reconnection afterwards); nothing is left to keep the process alive. */
  close(): Promise<void>;
}

export interface RateLimiterOptions {
  windowSeconds: number;
  /** REDIS_URL: budgets shared by every instance; null: counted in this process's memory. */
  redisUrl: string | null;
  /** Prefix of the Redis keys (one per API key: `<prefix>:<key id>`, expiring with its window). */
  prefix: string;
  logger: Logger;
  /** At most one warning about Redis per this many ms (default 60 s); failures in between are summed. */
  warnEveryMs?: number;
}

/**
 * The stores count points (atomic increments; in Redis one Lua script per request) in windows that
 * start with a key's first request and last windowSeconds: rate-limiter-flexible's fixed window.
 * Budgets differ per key, so the stores are built with no ceiling of their own and the decision
 * (spent ≤ budget) is taken here; a refused request's points are given back at once.
 */
const NO_CEILING = Number.MAX_SAFE_INTEGER;

export function createRateLimiter(opts: RateLimiterOptions): RateLimiter {
  const { windowSeconds, logger } = opts;
  const memory = new RateLimiterMemory({ keyPrefix: opts.prefix, points: NO_CEILING, duration: windowSeconds });
  const warn = throttledWarning(logger, opts.warnEveryMs ?? 60_000);
  let client: Redis | null = null;
  let redis: RateLimiterRedis | null = null;
  let connecting: Promise<void> = Promise.resolve();

  if (opts.redisUrl) {
    client = new Redis(opts.redisUrl, {
      lazyConnect: true, // connected below, so that a failure is caught and logged, never thrown
      enableOfflineQueue: false, // while disconnected, a command fails at once (the request is counted in memory)
      maxRetriesPerRequest: 0,
      connectTimeout: 2_000,
      commandTimeout: 1_000, // a Redis that hangs must not hold requests
      // On close, how long ioredis waits for the socket to end before destroying it. Its timer is
      // also armed when the socket is long gone (Redis down) and then runs out in full: keep it short.
      disconnectTimeout: 200,
      // Reconnects for as long as the server runs (Redis coming back shares budgets again), at most every 5 s.
      retryStrategy: (times) => Math.min(100 * 2 ** times, 5_000),
    });
    client.on('error', (err: Error) => warn(`Redis for rate limits: ${err.message}`));
    client.on('ready', () => {
      if (warn.failing()) logger.info('Redis for rate limits is back: budgets are shared again');
      warn.recovered();
      setRedisState('up');
    });
    client.on('close', () => setRedisState('down'));
    setRedisState('down');
    redis = new RateLimiterRedis({
      storeClient: client,
      keyPrefix: opts.prefix,
      points: NO_CEILING,
      duration: windowSeconds,
      rejectIfRedisNotReady: true,
    });
    connecting = client.connect().catch(() => undefined); // the 'error' listener has warned
  }

  /** Spends in Redis when configured and answering, else in memory (fail open: the request is served). */
  async function spend(key: string, points: number): Promise<{ res: RateLimiterRes; store: RateLimiterRedis | RateLimiterMemory }> {
    if (redis) {
      try {
        return { res: await redis.consume(key, points), store: redis };
      } catch (err) {
        countRedisFallback();
        warn(`Redis for rate limits did not answer (${err instanceof Error ? err.message : String(err)}): counting in this instance's memory until it does`);
      }
    }
    return { res: await memory.consume(key, points), store: memory };
  }

  return {
    async consume(keyId, budget, points) {
      const { res, store } = await spend(keyId, points);
      const allowed = res.consumedPoints <= budget;
      if (!allowed) await store.reward(keyId, points).catch(() => undefined);
      const spent = allowed ? res.consumedPoints : res.consumedPoints - points;
      return {
        allowed,
        limit: budget,
        remaining: Math.max(0, budget - spent),
        resetMs: Math.max(0, res.msBeforeNext),
        points,
        windowSeconds,
      };
    },
    async ready() {
      await connecting;
    },
    async close() {
      if (!client) return;
      client.disconnect();
      await connecting;
    },
  };
}

/**
 * A warning at most every `everyMs`: the first at once, later ones summed into the next
 * ("and N more"), so a Redis that is down, or comes and goes, logs a line a minute at most, not
 * one per request or per reconnection.
 */
function throttledWarning(logger: Logger, everyMs: number) {
  let lastAt = -Infinity;
  let suppressed = 0;
  let failing = false;
  const warn = (message: string) => {
    failing = true;
    const now = Date.now();
    if (now - lastAt < everyMs) {
      suppressed++;
      return;
    }
    logger.warn({ suppressed }, `${message}${suppressed ? ` (and ${suppressed} more Redis failures since the last warning)` : ''}`);
    lastAt = now;
    suppressed = 0;
  };
  return Object.assign(warn, {
    /** Whether Redis failed since it last became ready. */
    failing: () => failing,
    recovered: () => void (failing = false),
  });
}
