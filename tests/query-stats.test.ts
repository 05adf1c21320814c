import { Role } from '../src/modules/auth/viewer';
import { createApiKey, createTestApp, listenHttp, TestApp } from './support/test-app';

const QUERY = `{ npsSummary { responses nps } departments { code } }`;

describe('EXPOSE_QUERY_STATS', () => {
  let on: TestApp;
  let off: TestApp;
  beforeAll(async () => {
    on = await createTestApp({ EXPOSE_QUERY_STATS: '1' });
    off = await createTestApp();
  });
  afterAll(async () => {
    await on?.close();
    await off?.close();
  });

  it('on: every GraphQL response carries extensions.queryStats with the statements the request sent', async () => {
    const http = await listenHttp(on);
    const key = await createApiKey(on, { role: Role.ADMIN });
    const res = await http.post(QUERY, {}, { key });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    const stats = (res.body as any).extensions?.queryStats;
    expect(stats).toBeDefined();
    expect(stats.statements).toBeGreaterThan(0);
    expect(Array.isArray(stats.plans)).toBe(true);
    // Per request: a second request counts its own statements, not a running total.
    const again = (await http.post(QUERY, {}, { key })).body as any;
    expect(again.extensions.queryStats.statements).toBeGreaterThan(0);
    expect(again.extensions.queryStats.statements).toBeLessThanOrEqual(stats.statements);
  });

  it('off (the default): responses carry no queryStats', async () => {
    const http = await listenHttp(off);
    const key = await createApiKey(off, { role: Role.ADMIN });
    const res = await http.post(QUERY, {}, { key });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect((res.body as any).extensions?.queryStats).toBeUndefined();
  });
});
