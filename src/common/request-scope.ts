import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

/**
 * What the server knows about the HTTP request being answered, reachable from any code it runs
 * (AsyncLocalStorage): its id, for every log line (src/common/logging.ts) and every error answer
 * (extensions.requestId), and, for the metrics, the operation and outcome once known.
 */
export interface RequestScope {
  requestId: string;
  /** The metrics' operation label (src/common/metrics/operation-label.ts), once the operation is resolved. */
  operation?: string;
  /** success: no errors; partial: data and errors; error: no data. Set when the GraphQL answer is sent. */
  outcome?: 'success' | 'partial' | 'error';
}

export const REQUEST_ID_HEADER = 'x-request-id';

/** An id a client may send: 1 to 128 printable characters without spaces or quotes (safe in logs and headers). */
const ACCEPTED_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** The client's x-request-id when acceptable, else a new UUID. */
export function requestIdFrom(header: string | undefined): string {
  return header && ACCEPTED_ID.test(header) ? header : randomUUID();
}

const storage = new AsyncLocalStorage<RequestScope>();

export const currentScope = (): RequestScope | undefined => storage.getStore();
export const currentRequestId = (): string | undefined => storage.getStore()?.requestId;

/** Runs fn with scope as the current request's (tests, and the middlewares below). */
export const runInScope = <T>(scope: RequestScope, fn: () => T): T => storage.run(scope, fn);

/**
 * First middleware of every request: takes the client's x-request-id (or makes one), answers it in
 * the x-request-id header, keeps it in res.locals.scope and runs the rest of the chain in its scope.
 */
export function requestIdMiddleware(): RequestHandler {
  return (req, res, next) => {
    const scope: RequestScope = { requestId: requestIdFrom(req.header(REQUEST_ID_HEADER)) };
    res.locals.scope = scope;
    res.setHeader(REQUEST_ID_HEADER, scope.requestId);
    storage.run(scope, () => next());
  };
}

/**
 * Enters the request's scope again: after the body parser, whose stream events run in the socket's
 * async context and so lose the one requestIdMiddleware entered.
 */
export function reenterScope(): RequestHandler {
  return (_req, res, next) => {
    const scope = res.locals.scope as RequestScope | undefined;
    if (!scope) return next();
    storage.run(scope, () => next());
  };
}
