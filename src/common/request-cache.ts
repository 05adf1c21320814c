import type { RequestContext } from '../context';

const caches = new WeakMap<RequestContext, Map<string, unknown>>();

/**
 * Per-request memo for things that depend on the caller (viewer scope, clock) and so cannot live
 * in the ctx-free loader factory (src/loaders.ts): created on first use, dropped with the request.
 * Everything kept here is derived from many rows (scores, KPI measurements, a scope's subtree,
 * targets by owner), so every write of the request drops it all: see forgetDerived.
 */
export function perRequest<T>(ctx: RequestContext, key: string, make: () => T): T {
  let cache = caches.get(ctx);
  if (!cache) caches.set(ctx, (cache = new Map()));
  if (!cache.has(key)) cache.set(key, make());
  return cache.get(key) as T;
}

/** Drops one entry, only if it is still `value` (a failed read must not drop a newer one). */
export function forgetPerRequest(ctx: RequestContext, key: string, value: unknown): void {
  const cache = caches.get(ctx);
  if (cache && cache.get(key) === value) cache.delete(key);
}

/**
 * Called by every service that writes, right after its transaction commits: the request's derived
 * caches (perRequest entries) are dropped, so a later field or mutation of the same request
 * (mutations run in order) reads what the write left, never the figures from before it.
 * The entity/group loaders (ctx.loaders) are cleared by the writing service itself, key by key.
 */
export function forgetDerived(ctx: RequestContext): void {
  caches.delete(ctx);
}

/** For `transaction(...).then(afterCommit(ctx))`: forgetDerived once the transaction has committed, passing its result on. */
export const afterCommit =
  (ctx: RequestContext) =>
  <T>(result: T): T => {
    forgetDerived(ctx);
    return result;
  };

/**
 * `ctx` counting only responses given before `instant` (RequestContext.respondedBefore; undefined:
 * no such bound): ctx itself when it already does, else one context derived per request and
 * instant, so every section and field counted as of one instant shares its per-request caches and
 * never mixes them with the request's live figures.
 */
export function respondedBeforeContext(ctx: RequestContext, instant: Date | undefined): RequestContext {
  if (ctx.respondedBefore?.getTime() === instant?.getTime()) return ctx;
  return perRequest(ctx, `as-of:${instant?.toISOString() ?? 'live'}`, () => ({ ...ctx, respondedBefore: instant }));
}
