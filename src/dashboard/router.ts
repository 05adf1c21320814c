import path from 'node:path';
import express from 'express';
import { projectRoot } from '../common/paths';

/**
 * The reference dashboard (README, "Reference dashboard"): static files only, public/dashboard/
 * (an HTML page, its script and its style sheet) and Chart.js's UMD build read from its npm
 * package, so nothing comes from a CDN. The page calls the public GraphQL API at /graphql with the
 * API key a person types in; the server gives it nothing else.
 */

/**
 * Every dashboard answer's Content-Security-Policy: scripts, styles and API calls from this origin
 * only; no inline script or style, no eval, no plugin, no frame, no form posted elsewhere.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Where the dashboard serves Chart.js (the file of the installed chart.js package). */
export const CHART_JS_PATH = '/dashboard/vendor/chart.umd.min.js';

/** chart.js's UMD build inside node_modules (its package exports only the ESM/CJS entries: resolve one, then its folder). */
export function chartJsFile(): string {
  return path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js');
}

const FILES: Record<string, { file: () => string; type: string }> = {
  '/': { file: () => path.join(projectRoot(), 'public', 'dashboard', 'index.html'), type: 'text/html; charset=utf-8' },
  '/dashboard.js': { file: () => path.join(projectRoot(), 'public', 'dashboard', 'dashboard.js'), type: 'text/javascript; charset=utf-8' },
  '/dashboard.css': { file: () => path.join(projectRoot(), 'public', 'dashboard', 'dashboard.css'), type: 'text/css; charset=utf-8' },
  '/vendor/chart.umd.min.js': { file: chartJsFile, type: 'text/javascript; charset=utf-8' },
};

/** The router mounted at /dashboard: GET (and HEAD) of the files above; anything else under /dashboard is 404. */
export function dashboardRouter(): express.Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    next();
  });
  for (const [route, { file, type }] of Object.entries(FILES)) {
    router.get(route, (_req, res, next) => {
      // no-cache: revalidated with its ETag on every load, so a new version shows at once.
      res.sendFile(file(), { headers: { 'Content-Type': type, 'Cache-Control': 'no-cache' }, dotfiles: 'deny' }, (err) => err && next(err));
    });
  }
  router.use((_req, res) => {
    res.status(404).type('text/plain').send('Not found');
  });
  return router;
}
