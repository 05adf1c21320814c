import { createLogger } from '../logging';
import { createRateLimiter } from './limiter';
import { budgetOf, rateLimitHeaders } from './plugin';
import { Role } from '../../modules/auth/viewer';

const logger = createLogger('silent');
const memoryLimiter = (windowSeconds = 60) => createRateLimiter({ windowSeconds, redisUrl: null, prefix: 'spec', logger });

describe('createRateLimiter (in memory)', () => {
  it("spends each key's points from its own budget until too few are left", async () => {
    const l = memoryLimiter();
    expect(await l.consume('k1', 100, 40)).toMatchObject({ allowed: true, limit: 100, remaining: 60, points: 40, windowSeconds: 60 });
    expect(await l.consume('k1', 100, 60)).toMatchObject({ allowed: true, remaining: 0 });
    expect(await l.consume('k1', 100, 1)).toMatchObject({ allowed: false, remaining: 0, points: 1 });
    expect(await l.consume('k2', 100, 100)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('spends nothing on a refusal: a cheaper request that fits still runs', async () => {
    const l = memoryLimiter();
    await l.consume('k', 100, 70);
    expect(await l.consume('k', 100, 50)).toMatchObject({ allowed: false, remaining: 30 });
    expect(await l.consume('k', 100, 30)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('says when the window ends, and gives the whole budget back then', async () => {
    const l = memoryLimiter(1);
    const first = await l.consume('k', 10, 10);
    expect(first.resetMs).toBeGreaterThan(0);
    expect(first.resetMs).toBeLessThanOrEqual(1000);
    expect((await l.consume('k', 10, 1)).allowed).toBe(false);
    await new Promise((r) => setTimeout(r, first.resetMs + 50));
    expect(await l.consume('k', 10, 10)).toMatchObject({ allowed: true, remaining: 0 });
  });
});

describe('rateLimitHeaders', () => {
  it('gives limit, remaining, reset (whole seconds up) and policy; Retry-After only on a refusal', () => {
    const d = { allowed: true, limit: 60_000, remaining: 59_995, resetMs: 59_001, points: 5, windowSeconds: 60 };
    expect(Object.fromEntries(rateLimitHeaders(d))).toEqual({
      'ratelimit-limit': '60000',
      'ratelimit-remaining': '59995',
      'ratelimit-reset': '60',
      'ratelimit-policy': '60000;w=60',
    });
    expect(Object.fromEntries(rateLimitHeaders({ ...d, allowed: false, remaining: 3, resetMs: 12_300 }))).toMatchObject({ 'retry-after': '13', 'ratelimit-reset': '13' });
    expect(Object.fromEntries(rateLimitHeaders({ ...d, allowed: false, resetMs: 0 }))['retry-after']).toBe('1');
  });
});

describe('budgetOf', () => {
  const perRole = { ADMIN: 4, EXECUTIVE: 3, MANAGER: 2, INTEGRATION: 1 };
  it("takes the key's own budget, else its role's", () => {
    expect(budgetOf({ keyId: 'k', name: 'n', role: Role.MANAGER, departmentId: 'd' }, perRole)).toBe(2);
    expect(budgetOf({ keyId: 'k', name: 'n', role: Role.MANAGER, departmentId: 'd', rateLimit: null }, perRole)).toBe(2);
    expect(budgetOf({ keyId: 'k', name: 'n', role: Role.INTEGRATION, departmentId: null, rateLimit: 5_000 }, perRole)).toBe(5_000);
  });
});
