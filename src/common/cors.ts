import type express from 'express';
import { ErrorCode } from './errors';

/**
 * Cross-origin access for browsers (CORS). The API authenticates with `Authorization: Bearer`
 * keys, never cookies, so credentials are never allowed (no Access-Control-Allow-Credentials).
 *
 * - CORS_ORIGINS unset: no origin is allowed. Every preflight is refused (403) and no answer
 *   carries Access-Control-* headers, so a page of another origin cannot read anything.
 * - A list of exact origins (`https://dash.example.com,http://localhost:5173`): a preflight from
 *   one of them is answered 204 with the allowed methods and headers; an actual request from one
 *   gets Access-Control-Allow-Origin echoing it and the headers clients need exposed. Every answer
 *   says `Vary: Origin`, since it depends on the Origin.
 * - `*` alone: any origin (Access-Control-Allow-Origin: *). Safe only because no cookie is ever
 *   used; prefer the list.
 *
 * A request from an origin not allowed is still served (CORS is enforced by the browser, which
 * then hides the answer from the page): the server's own pages send an Origin too.
 * Apollo's CSRF prevention stays on beside this: a GET or a simple POST without a
 * preflight-forcing header (content-type: application/json, apollo-require-preflight) is refused.
 */
export interface CorsConfig {
  /** Allowed origins in their canonical form (URL.origin), or ['*'] for any; empty: none. */
  origins: readonly string[];
  /** Seconds a browser may cache a preflight answer (Access-Control-Max-Age). */
  maxAgeSeconds: number;
}

export const CORS_ALLOW_METHODS = ['GET', 'POST', 'OPTIONS'] as const;

/**
 * The request headers a page may send: the JSON body, the API key, the headers that satisfy
 * Apollo's CSRF prevention (apollo-require-preflight, x-apollo-operation-name) and a request id.
 */
export const CORS_ALLOW_HEADERS = ['content-type', 'authorization', 'apollo-require-preflight', 'x-apollo-operation-name', 'x-request-id'] as const;

/**
 * Answer headers a page may read besides the CORS-safelisted ones: the request id, Retry-After
 * (503 REPORT_TIMEOUT, 429) and the RateLimit-* headers of rate limiting, where they are sent.
 */
export const CORS_EXPOSE_HEADERS = ['x-request-id', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'ratelimit-policy'] as const;

/** `scheme://host[:port]` and nothing else: no path (not even a trailing /), query, fragment, user or wildcard. */
const ORIGIN_SHAPE = /^https?:\/\/[^/?#@*\s]+$/i;

/**
 * Parses CORS_ORIGINS (comma-separated; blanks around entries and empty entries ignored): the
 * canonical origins, or the problems, one per bad entry, each naming it.
 */
export function parseCorsOrigins(value: string | undefined): { origins: string[]; problems: string[] } {
  const entries = (value ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (entries.includes('*')) {
    return entries.length === 1
      ? { origins: ['*'], problems: [] }
      : { origins: [], problems: ['* (any origin) must be the only entry; list exact origins or * alone'] };
  }
  const origins: string[] = [];
  const problems: string[] = [];
  for (const entry of entries) {
    const origin = canonicalOrigin(entry);
    if (origin) {
      if (!origins.includes(origin)) origins.push(origin);
    } else {
      problems.push(`${JSON.stringify(entry)} is not an origin: write scheme://host[:port] (http or https), with no path, trailing slash, query or wildcard, e.g. https://dash.example.com`);
    }
  }
  return { origins, problems };
}

function canonicalOrigin(entry: string): string | null {
  if (!ORIGIN_SHAPE.test(entry)) return null;
  try {
    const origin = new URL(entry).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/**
 * The CORS middleware: answers preflights (OPTIONS with Origin and Access-Control-Request-Method)
 * itself, 204 for an allowed origin and 403 otherwise, and adds the CORS headers to every other
 * answer to an allowed origin. Mount it before the routes and body parsers.
 */
export function corsMiddleware(config: CorsConfig): express.RequestHandler {
  const any = config.origins.includes('*');
  const allowed = new Set(config.origins);
  const varies = !any && allowed.size > 0;
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (varies) res.vary('Origin');
    const ok = typeof origin === 'string' && (any || allowed.has(origin));
    if (ok) {
      res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin);
      res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS.join(', '));
    }
    const preflight = req.method === 'OPTIONS' && typeof origin === 'string' && req.headers['access-control-request-method'] !== undefined;
    if (!preflight) return next();
    if (!ok) {
      res.status(403).json({
        errors: [{ message: `Origin ${origin} is not allowed to call this API from a browser (CORS_ORIGINS)`, extensions: { code: ErrorCode.FORBIDDEN } }],
      });
      return;
    }
    res.removeHeader('Access-Control-Expose-Headers'); // for actual answers only
    res.setHeader('Access-Control-Allow-Methods', CORS_ALLOW_METHODS.join(', '));
    res.setHeader('Access-Control-Allow-Headers', CORS_ALLOW_HEADERS.join(', '));
    res.setHeader('Access-Control-Max-Age', String(config.maxAgeSeconds));
    res.status(204).end();
  };
}
