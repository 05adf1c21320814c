import { Redis } from 'ioredis';
import type { Logger } from '../../common/logging';
import { fromSortableLsn, sortableLsn } from './lsn';

/**
 * Read your writes: the WAL position of each API key's last write (pg_current_wal_lsn() after its
 * request's mutation committed). Reads by that key go to the primary until a replica has replayed
 * past it. Positions only move forward, and are forgotten after `ttlMs` (by then every healthy
 * replica has long passed them).
 *
 * With REDIS_URL every instance records into and reads from the same Redis, so a write through one
 * instance holds for reads through any other. This instance also keeps them in memory, which is
 * what it answers with when Redis fails (warned about; reads may then see a replica behind a write
 * made through another instance, until Redis is back). Without Redis, only memory: the response
 * header X-Read-After-LSN carries the position to the client, which sends it back (router plugin).
 */
export interface WritePositions {
  record(keyId: string, lsn: bigint): Promise<void>;
  /** The key's last recorded position, or null. */
  get(keyId: string): Promise<bigint | null>;
  readonly shared: boolean;
  /** Waits (at most 2 s) for the first connection to Redis, so the first requests already share positions. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_TTL_MS = 10 * 60_000;
/** Entries kept in memory at most; the oldest go first. */
const MEMORY_MAX = 100_000;

class MemoryPositions {
  private readonly map = new Map<string, { lsn: bigint; until: number }>();
  constructor(private readonly ttlMs: number) {}

  record(keyId: string, lsn: bigint): void {
    const had = this.map.get(keyId);
    const now = Date.now();
    const keep = had && had.until > now && had.lsn > lsn ? had.lsn : lsn;
    this.map.delete(keyId); // re-insert: insertion order is age order
    this.map.set(keyId, { lsn: keep, until: now + this.ttlMs });
    if (this.map.size > MEMORY_MAX) this.map.delete(this.map.keys().next().value as string);
  }

  get(keyId: string): bigint | null {
    const e = this.map.get(keyId);
    if (!e) return null;
    if (e.until <= Date.now()) {
      this.map.delete(keyId);
      return null;
    }
    return e.lsn;
  }
}

/** Sets the key to the larger of the stored and the given position (both 16 hex digits), with the TTL. */
const RECORD_MAX = `local cur = redis.call('GET', KEYS[1])
if (not cur) or cur < ARGV[1] then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) else redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1`;

export function createWritePositions(opts: { redisUrl: string | null; prefix?: string; ttlMs?: number; logger: Logger }): WritePositions {
  const ttlMs = opts.ttlMs ?? DEFAULT_TTL_MS;
  const memory = new MemoryPositions(ttlMs);
  if (!opts.redisUrl) {
    return {
      shared: false,
      async record(keyId, lsn) {
        memory.record(keyId, lsn);
      },
      async get(keyId) {
        return memory.get(keyId);
      },
      async ready() {},
      async close() {},
    };
  }
  const prefix = opts.prefix ?? 'nps-api:write-lsn';
  const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2_000, enableOfflineQueue: false, lazyConnect: false });
  let lastWarn = 0;
  const warn = (err: unknown) => {
    if (Date.now() - lastWarn < 60_000) return;
    lastWarn = Date.now();
    opts.logger.warn({ err }, 'read-your-writes: Redis unavailable; positions of this instance only');
  };
  redis.on('error', warn);
  return {
    shared: true,
    async record(keyId, lsn) {
      memory.record(keyId, lsn);
      try {
        await redis.eval(RECORD_MAX, 1, `${prefix}:${keyId}`, sortableLsn(lsn), String(ttlMs));
      } catch (err) {
        warn(err);
      }
    },
    async get(keyId) {
      const local = memory.get(keyId);
      try {
        const v = await redis.get(`${prefix}:${keyId}`);
        const shared = v ? fromSortableLsn(v) : null;
        if (shared === null) return local;
        return local !== null && local > shared ? local : shared;
      } catch (err) {
        warn(err);
        return local;
      }
    },
    async ready() {
      if (redis.status === 'ready') return;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          redis.off('ready', done);
          resolve();
        };
        const timer = setTimeout(done, 2_000);
        redis.once('ready', done);
      });
    },
    async close() {
      redis.disconnect();
    },
  };
}
