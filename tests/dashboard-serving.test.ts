import fs from 'node:fs';
import { loadConfig } from '../src/common/config';
import { createLogger } from '../src/common/logging';
import { chartJsFile, DASHBOARD_CSP } from '../src/dashboard/router';
import { App, createApp } from '../src/server';
import { createTestApp, TestApp } from './support/test-app';

/**
 * How the server serves the reference dashboard (the page itself is tested in a browser by
 * tests/dashboard-browser.test.ts): its files with a strict Content-Security-Policy, Chart.js from
 * the installed package, nothing else under /dashboard, and none of it in production unless
 * DASHBOARD=1.
 */

let t: TestApp;
const extra: App[] = [];

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  for (const a of extra) await a.stop();
  await t?.close();
});

async function serve(env: Record<string, string>): Promise<string> {
  const app = await createApp({ ...t.deps, config: loadConfig({ LOG_LEVEL: 'silent', ...env }), logger: createLogger('silent') });
  extra.push(app);
  return `http://127.0.0.1:${await app.listen(0, '127.0.0.1')}`;
}

describe('the dashboard files', () => {
  let base: string;
  beforeAll(async () => {
    base = `http://127.0.0.1:${await t.app.listen(0, '127.0.0.1')}`;
  });

  it('serves the page, its script and style sheet and Chart.js, each with the strict CSP', async () => {
    for (const [p, type] of [
      ['/dashboard', 'text/html'],
      ['/dashboard/', 'text/html'],
      ['/dashboard/dashboard.js', 'text/javascript'],
      ['/dashboard/dashboard.css', 'text/css'],
      ['/dashboard/vendor/chart.umd.min.js', 'text/javascript'],
    ]) {
      const res = await fetch(base + p);
      expect({ p, status: res.status }).toEqual({ p, status: 200 });
      expect(res.headers.get('content-type')).toContain(type);
      expect(res.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      await res.arrayBuffer();
    }
    expect(DASHBOARD_CSP).toMatch(/script-src 'self';/);
    expect(DASHBOARD_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
  });

  it('serves Chart.js byte for byte from the installed chart.js package', async () => {
    const res = await fetch(`${base}/dashboard/vendor/chart.umd.min.js`);
    expect(Buffer.from(await res.arrayBuffer()).equals(fs.readFileSync(chartJsFile()))).toBe(true);
    expect(chartJsFile()).toMatch(/node_modules[\\/]chart\.js[\\/]dist[\\/]chart\.umd\.min\.js$/);
  });

  it('has no inline script or style, and loads only its own files', async () => {
    const html = await (await fetch(`${base}/dashboard`)).text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i); // every script has a src
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    const refs = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(refs.sort()).toEqual(['/dashboard/dashboard.css', '/dashboard/dashboard.js', '/dashboard/vendor/chart.umd.min.js', 'data:,'].sort());
  });

  it('answers 404 for anything else under /dashboard, never a file outside it', async () => {
    for (const p of ['/dashboard/nope.js', '/dashboard/../package.json', '/dashboard/%2e%2e/package.json', '/dashboard/vendor/chart.umd.js']) {
      const res = await fetch(base + p);
      expect({ p, status: res.status }).toEqual({ p, status: 404 });
      expect(await res.text()).not.toContain('"dependencies"');
    }
  });
});

describe('DASHBOARD', () => {
  it('is off in production, on there with DASHBOARD=1; /graphql is there either way', async () => {
    const off = await serve({ NODE_ENV: 'production' });
    expect((await fetch(`${off}/dashboard`)).status).toBe(404);
    expect((await fetch(`${off}/dashboard/vendor/chart.umd.min.js`)).status).toBe(404);
    const on = await serve({ NODE_ENV: 'production', DASHBOARD: '1' });
    expect((await fetch(`${on}/dashboard`)).status).toBe(200);
    for (const base of [off, on]) {
      const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ viewer { role } }"}' });
      expect(res.status).toBe(401);
    }
  });
});
