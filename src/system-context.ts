import type { AppDeps, RequestContext } from './context';
import { createContext } from './context';
import type { Logger } from './common/logging';
import { Services } from './services';
import { SYSTEM_VIEWER, Viewer } from './modules/auth/viewer';

/**
 * A context for work that no request starts: background workers (webhook delivery and retention
 * purge), start-up (demo keys) and command-line tools. It acts as the server itself (SYSTEM_VIEWER
 * unless told otherwise) and runs its statements like a request's: on the data source's manager,
 * or inside transaction(ctx, fn) on the transaction's. Create one per unit of work (a poll, a
 * command), as a request does, so its caches do not outlive it.
 */
export function systemContext(
  from: AppDeps | Services,
  opts: { viewer?: Viewer; now?: () => Date; logger?: Logger } = {},
): RequestContext {
  const services = from instanceof Services ? from : new Services(from);
  return createContext(services, opts.viewer ?? SYSTEM_VIEWER, { now: opts.now, logger: opts.logger });
}
