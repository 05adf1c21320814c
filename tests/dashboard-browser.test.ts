import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { seedDemo } from '../seeds';
import { projectRoot } from '../src/common/paths';
import { Role } from '../src/modules/auth/viewer';
import { createApiKey, createTestApp, HttpClient, listenHttp, TestApp } from './support/test-app';

/**
 * The reference dashboard (/dashboard) in headless Chromium (Debian's `chromium`, driven by
 * playwright-core; one browser for the file, a fresh context per case so sessionStorage starts
 * empty): on the demo as ADMIN (leadership view) and MANAGER (its subtree only), on an empty
 * database (empty states, no error), and with a wrong key (a clear message). Every figure checked
 * is compared with the same field asked of the API over HTTP with the same key and period.
 *
 * Without Chromium the file skips with a notice, except in CI (CI=true), where it fails.
 * WRITE_DASHBOARD_SCREENSHOT=1 also writes docs/dashboard.png and docs/dashboard-team.png.
 */

// The browser's globals, used only inside page.evaluate callbacks (which run in the page): the
// project's tsconfig has no DOM library, and adding it would type the server's code with it too.
declare const document: any;
declare const window: any;
declare const sessionStorage: any;
type HTMLElement = any;

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
const inCi = process.env.CI === 'true';
const writeScreenshots = process.env.WRITE_DASHBOARD_SCREENSHOT === '1';
const CX_SUBTREE = ['CX', 'CX-SUP', 'CX-SUP-EMEA', 'CX-SUP-AMER', 'CX-SUP-APAC', 'CX-ONB'];

jest.setTimeout(120_000);

if (!haveChromium && !inCi) {
  // Visible in jest's output, next to the skipped tests.
  console.warn(`tests/dashboard-browser.test.ts SKIPPED: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH). In CI it fails instead.`);
}

(haveChromium || !inCi ? describe.skip : describe)('the dashboard browser test in CI', () => {
  it('finds Chromium', () => {
    throw new Error(`CI=true and no Chromium at ${CHROMIUM}: .ci/run installs it (apt-get install -y chromium)`);
  });
});

(haveChromium ? describe : describe.skip)(`the dashboard in headless Chromium${haveChromium ? '' : ' (SKIPPED: Chromium not installed)'}`, () => {
  let browser: Browser;
  let demo: TestApp;
  let empty: TestApp;
  let demoHttp: HttpClient;
  let emptyHttp: HttpClient;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    const [b, d, e] = await Promise.all([
      chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }),
      createTestApp(),
      createTestApp(),
    ]);
    browser = b;
    demo = d;
    empty = e;
    await seedDemo(demo.deps.ds); // anchored today, as npm start loads it: the page's default period has data
    keys.admin = await createApiKey(demo, { role: Role.ADMIN, name: 'demo-admin' });
    keys.manager = await createApiKey(demo, { role: Role.MANAGER, name: 'demo-manager-CX', departmentCode: 'CX' });
    keys.integration = await createApiKey(demo, { role: Role.INTEGRATION });
    keys.emptyAdmin = await createApiKey(empty, { role: Role.ADMIN });
    demoHttp = await listenHttp(demo);
    emptyHttp = await listenHttp(empty);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([demo?.close(), empty?.close()]);
  });

  const origin = (http: HttpClient) => http.url.replace(/\/graphql$/, '');

  interface Visit {
    context: BrowserContext;
    page: Page;
    /** Console errors, page errors and CSP violations seen so far. */
    problems: string[];
    /** POSTs to /graphql seen so far. */
    apiCalls: string[];
  }

  /** A fresh browser context (empty sessionStorage) on /dashboard. */
  async function open(http: HttpClient): Promise<Visit> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const visit: Visit = { context, page, problems: [], apiCalls: [] };
    page.on('console', (m) => m.type() === 'error' && visit.problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => visit.problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => r.url().endsWith('/graphql') && visit.apiCalls.push(r.method()));
    const res = await page.goto(`${origin(http)}/dashboard`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toMatch(/script-src 'self';/);
    return visit;
  }

  /** Types the key, submits, and waits until the page says it is ready or failed. */
  async function signIn(v: Visit, key: string): Promise<string> {
    await v.page.fill('#api-key', key);
    await v.page.click('#key-form button[type=submit]');
    return settled(v.page);
  }

  async function settled(page: Page): Promise<string> {
    await page.waitForFunction(() => ['ready', 'error'].includes(document.body.dataset.state ?? ''));
    return page.evaluate(() => document.body.dataset.state!);
  }

  const text = (page: Page, sel: string) => page.textContent(sel).then((t) => (t ?? '').trim());
  const fmt1 = (v: number) => new Intl.NumberFormat('en', { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(v);
  const int = (v: number) => new Intl.NumberFormat('en').format(v);

  /** The period the page asked for (it writes it on #view). */
  const periodOf = (page: Page) => page.evaluate(() => ({ from: document.getElementById('view')!.dataset.from!, to: document.getElementById('view')!.dataset.to! }));

  /** The visible empty-state notes, by section id. */
  const emptySections = (page: Page) =>
    page.evaluate(() => [...document.querySelectorAll('.empty')].filter((e) => !(e as HTMLElement).hidden && (e as HTMLElement).offsetParent !== null).map((e) => e.closest('section')!.id));

  it('as ADMIN: the leadership view, its figures equal to the API answer, charts drawn, one request per view', async () => {
    const v = await open(demoHttp);
    expect(await v.page.isVisible('#sign-in')).toBe(true);
    expect(await signIn(v, keys.admin)).toBe('ready');
    expect(await v.page.evaluate(() => document.body.dataset.view)).toBe('leadership');
    expect(v.apiCalls).toEqual(['POST', 'POST']); // sign-in (viewer), then the view

    const { from, to } = await periodOf(v.page);
    const api = await demoHttp.post(
      `query($f: DateTimeISO!, $t: DateTimeISO!) {
         npsComparison(filter: { from: $f, to: $t }) { current { nps responses } }
         departmentScores(levels: 4, filter: { from: $f, to: $t }) { department { code } score { nps } }
         closedLoop(filter: { from: $f, to: $t }) { detractors }
         npsTrend(interval: MONTH, filter: { to: $t }) { periodStart }
       }`,
      { f: from, t: to },
      { key: keys.admin },
    );
    expect(api.body.errors).toBeUndefined();
    const a = api.body.data;
    expect(a.npsComparison.current.responses).toBeGreaterThan(1000);
    // The headline figure: the API's number itself, and the same number rounded on screen.
    expect(Number(await v.page.getAttribute('#score-nps', 'data-value'))).toBe(a.npsComparison.current.nps);
    expect(await text(v.page, '#score-nps')).toBe(fmt1(a.npsComparison.current.nps));
    expect(await text(v.page, '#score-detail')).toContain(`${int(a.npsComparison.current.responses)} responses`);
    expect(await text(v.page, '#closed-loop dd[data-field="detractors"]')).toBe(int(a.closedLoop.detractors));
    // The whole tree, in the API's order, each with its score.
    const rows = await v.page.$$eval('#tree tbody tr', (trs) => trs.map((tr) => ({ code: (tr as HTMLElement).dataset.code, nps: tr.children[1].textContent })));
    expect(rows).toEqual(a.departmentScores.map((r: any) => ({ code: r.department.code, nps: fmt1(r.score.nps) })));
    // Charts drawn by Chart.js, the trend with one point per monthly bucket and its band.
    const charts = await v.page.evaluate(() => {
      const C = (window as any).Chart;
      const get = (id: string) => C.getChart(id);
      return {
        trend: get('trend-chart')?.data.datasets.map((d: any) => d.data.length),
        targets: get('targets-chart')?.data.datasets[0].data.reduce((s: number, n: number) => s + n, 0),
        drivers: get('drivers-chart')?.data.labels.length,
      };
    });
    expect(charts.trend).toEqual([a.npsTrend.length, a.npsTrend.length, a.npsTrend.length]);
    expect(charts.targets).toBe(await v.page.$$eval('#targets tbody tr', (trs) => trs.length));
    expect(charts.targets).toBeGreaterThan(0);
    expect(charts.drivers).toBeGreaterThan(0);
    expect(await v.page.$$eval('#movers tbody tr', (trs) => trs.length)).toBeGreaterThan(0);
    expect(await emptySections(v.page)).toEqual([]);
    expect(await v.page.isVisible('#partial')).toBe(false);
    expect(await v.page.isVisible('#agents')).toBe(false); // team only

    // A reload keeps the key (sessionStorage) and asks one request for the view.
    v.apiCalls.length = 0;
    await v.page.reload();
    expect(await settled(v.page)).toBe('ready');
    expect(v.apiCalls).toEqual(['POST']);
    if (writeScreenshots) await v.page.screenshot({ path: path.join(projectRoot(), 'docs', 'dashboard.png'), fullPage: true });
    expect(v.problems).toEqual([]); // no script error, no CSP violation, no failed load
    await v.context.close();
  });

  it('as MANAGER: the team view of its subtree only, with the subtree figures of the API', async () => {
    const v = await open(demoHttp);
    expect(await signIn(v, keys.manager)).toBe('ready');
    expect(await v.page.evaluate(() => document.body.dataset.view)).toBe('team');
    expect(await text(v.page, '#title')).toContain('Customer Experience');

    const codes = await v.page.$$eval('#tree tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.code));
    expect([...codes].sort()).toEqual([...CX_SUBTREE].sort());
    const { from, to } = await periodOf(v.page);
    const q = `query($f: DateTimeISO!, $t: DateTimeISO!, $d: [String!]) { npsComparison(filter: { from: $f, to: $t, departmentCodes: $d }) { current { nps responses } } }`;
    const cx = await demoHttp.post(q, { f: from, t: to, d: ['CX'] }, { key: keys.admin });
    const company = await demoHttp.post(q, { f: from, t: to, d: null }, { key: keys.admin });
    const shown = Number(await v.page.getAttribute('#score-nps', 'data-value'));
    expect(shown).toBe(cx.body.data.npsComparison.current.nps);
    expect(shown).not.toBe(company.body.data.npsComparison.current.nps);
    expect(await text(v.page, '#score-detail')).toContain(`${int(cx.body.data.npsComparison.current.responses)} responses`);
    // The team-only panels, filled; no department outside the subtree anywhere on the page.
    expect(await v.page.isVisible('#agents')).toBe(true);
    expect(await v.page.$$eval('#agents tbody tr', (trs) => trs.length)).toBeGreaterThan(0);
    expect(await v.page.$$eval('#overdue tbody tr', (trs) => trs.length)).toBeGreaterThan(0);
    const body = await text(v.page, 'main');
    for (const other of ['Operations', 'Sales & Accounts', 'Ordering App']) expect(body).not.toContain(other);
    expect(await emptySections(v.page)).toEqual([]);
    if (writeScreenshots) await v.page.screenshot({ path: path.join(projectRoot(), 'docs', 'dashboard-team.png'), fullPage: true });
    expect(v.problems).toEqual([]);
    await v.context.close();
  });

  it('on an empty database: empty states in every panel, no error', async () => {
    const v = await open(emptyHttp);
    expect(await signIn(v, keys.emptyAdmin)).toBe('ready');
    expect(await v.page.isVisible('#message')).toBe(false);
    expect(await v.page.isVisible('#partial')).toBe(false); // the API answered without errors
    expect(await text(v.page, '#score-nps')).toBe('No responses in this period');
    expect(await v.page.getAttribute('#score-nps', 'data-value')).toBe('');
    expect((await emptySections(v.page)).sort()).toEqual(['closed-loop', 'drivers', 'movers', 'targets', 'tree', 'trend']);
    const charts = await v.page.evaluate(() => ['trend-chart', 'targets-chart', 'drivers-chart'].map((id) => !!(window as any).Chart.getChart(id)));
    expect(charts).toEqual([false, false, false]);
    expect(v.problems).toEqual([]);
    await v.context.close();
  });

  it('with a wrong key: a clear message, back to the key form, nothing kept; an INTEGRATION key is told why', async () => {
    const v = await open(demoHttp);
    expect(await signIn(v, 'nps_this-key-does-not-exist')).toBe('error');
    expect(await v.page.isVisible('#message')).toBe(true);
    expect(await text(v.page, '#message')).toMatch(/API key was not accepted/);
    expect(await v.page.isVisible('#sign-in')).toBe(true);
    expect(await v.page.isVisible('#view')).toBe(false);
    expect(await v.page.evaluate(() => sessionStorage.length)).toBe(0);

    // A key kept from earlier and revoked since: the view's request is refused, same message.
    await v.page.evaluate((key) => {
      sessionStorage.setItem('nps-dashboard.key', key);
      sessionStorage.setItem('nps-dashboard.viewer', JSON.stringify({ name: 'gone', role: 'ADMIN', department: null }));
    }, 'nps_revoked-since');
    await v.page.reload();
    expect(await settled(v.page)).toBe('error');
    expect(await text(v.page, '#message')).toMatch(/API key was not accepted/);
    expect(await v.page.evaluate(() => sessionStorage.length)).toBe(0);

    expect(await signIn(v, keys.integration)).toBe('error');
    expect(await text(v.page, '#message')).toMatch(/INTEGRATION key.*may not read reports/);
    // The only console errors: the browser's own notes of the 401 answers.
    expect(v.problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    await v.context.close();
  });
});
