import type { RequestContext } from '../../context';

const caches = new WeakMap<RequestContext, Map<string, unknown>>();

/**
 * Per-request memo for things that depend on the caller (viewer scope, clock) and so cannot live
 * in the ctx-free loader factory (src/loaders.ts): created on first use, dropped with the request.
 */
export function perRequest<T>(ctx: RequestContext, key: string, make: () => T): T {
  let cache = caches.get(ctx);
  if (!cache) caches.set(ctx, (cache = new Map()));
  if (!cache.has(key)) cache.set(key, make());
  return cache.get(key) as T;
}
