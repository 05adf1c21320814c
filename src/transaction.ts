import type { EntityManager } from 'typeorm';
import type { RequestContext } from './context';
import { createLoaders } from './loaders';

/** Whether ctx's statements already run in an open transaction. */
export const inTransaction = (ctx: RequestContext): boolean => ctx.em.queryRunner?.isTransactionActive === true;

/**
 * Runs `fn` in a database transaction and hands it a context whose manager (ctx.em), reporting
 * runner (ctx.reports) and loaders are the transaction's: every service and helper fn calls with
 * that context runs inside the transaction, sees its uncommitted rows and, on the one-connection
 * embedded database, uses the connection the transaction holds instead of waiting for it.
 *
 * Name fn's parameter `ctx`, shadowing the outer one, so that nothing inside can reach the context
 * outside the transaction: `transaction(ctx, async (ctx) => ...)`.
 *
 * Nested calls join the open transaction (no savepoint): an error anywhere inside rolls back all of
 * it. On a request reading from a replica the transaction is the primary's: everything in a
 * transaction runs there. Caches of the outer context (loaders, perRequest entries) are the caller's to drop after the
 * commit (forgetDerived / afterCommit), as before.
 */
export function transaction<T>(ctx: RequestContext, fn: (ctx: RequestContext) => Promise<T>): Promise<T> {
  if (inTransaction(ctx)) return fn(ctx);
  // A request reading from a replica (ctx.readsFrom) still opens its transactions on the primary.
  const em = ctx.readsFrom ? ctx.services.deps.ds.manager : ctx.em;
  return em.transaction((em) => fn({ ...withManager(ctx, em), readsFrom: undefined }));
}

/**
 * The same request with its statements on `em`: an open transaction's manager held by a caller
 * outside the request path (a test's or a tool's QueryRunner). Reports and loaders follow it.
 */
export function withManager(ctx: RequestContext, em: EntityManager): RequestContext {
  return { ...ctx, em, reports: em, loaders: createLoaders(em) };
}
