import { randomBytes } from 'node:crypto';
import { createLogger } from '../../common/logging';
import { createWritePositions } from './write-positions';

const logger = createLogger('silent');

describe('write positions (read your writes)', () => {
  it('in memory: per key, only forward, forgotten after the TTL', async () => {
    const p = createWritePositions({ redisUrl: null, ttlMs: 200, logger });
    expect(p.shared).toBe(false);
    expect(await p.get('k1')).toBeNull();
    await p.record('k1', 100n);
    await p.record('k1', 50n); // an older write finishing later does not move it back
    await p.record('k2', 7n);
    expect(await p.get('k1')).toBe(100n);
    expect(await p.get('k2')).toBe(7n);
    await new Promise((r) => setTimeout(r, 250));
    expect(await p.get('k1')).toBeNull();
    await p.close();
  });

  // Redis runs at 127.0.0.1:6379 on every development machine and CI run (STACK-NOTES).
  it('in Redis: a position recorded by one instance is read by another, only forward', async () => {
    const prefix = `test:write-lsn:${randomBytes(4).toString('hex')}`;
    const a = createWritePositions({ redisUrl: 'redis://127.0.0.1:6379', prefix, logger });
    const b = createWritePositions({ redisUrl: 'redis://127.0.0.1:6379', prefix, logger });
    const c = createWritePositions({ redisUrl: 'redis://127.0.0.1:6379', prefix, logger });
    await Promise.all([a.ready(), b.ready(), c.ready()]);
    try {
      expect(await b.get('key')).toBeNull();
      await a.record('key', (0x16n << 32n) | 0xb374d848n);
      expect(await b.get('key')).toBe((0x16n << 32n) | 0xb374d848n);
      await b.record('key', 0x9n << 32n); // older: Redis keeps the newer one
      expect(await c.get('key')).toBe((0x16n << 32n) | 0xb374d848n);
    } finally {
      await a.close();
      await b.close();
      await c.close();
    }
  });
});
