import type { ApolloServerPlugin } from '@apollo/server';
import { readFrom, RequestContext } from '../../context';
import { formatLsn, isLsn, parseLsn } from './lsn';
import type { ReadRouter } from './read-router';

/**
 * The header that carries a write's WAL position: set on the answer to every mutation, and read
 * from requests. A client without a shared store behind the instances (no REDIS_URL) sends back
 * the largest value it got, and its reads never see a replica that has not replayed it.
 */
export const READ_AFTER_HEADER = 'x-read-after-lsn';

/**
 * Routes each GraphQL request for the read router:
 * - a query reads from a replica (round robin) that has replayed past the position its key last
 *   wrote (shared positions, REDIS_URL) and the one the client sent (X-Read-After-LSN), or from
 *   the primary when none has;
 * - a mutation runs on the primary; once it is done (its transactions committed), the primary's
 *   pg_current_wal_lsn() is recorded for its key and returned in X-Read-After-LSN.
 */
export function readRoutingPlugin(router: ReadRouter): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ request }) {
      const sent = request.http?.headers.get(READ_AFTER_HEADER)?.trim();
      const clientLsn = sent && isLsn(sent) ? parseLsn(sent) : null;
      let mutation = false;
      return {
        async didResolveOperation({ operation, contextValue }) {
          mutation = operation?.operation === 'mutation';
          if (operation?.operation !== 'query') return;
          const keyId = contextValue.viewer.keyId;
          const stored = keyId ? await router.positions.get(keyId) : null;
          const after = stored !== null && (clientLsn === null || stored > clientLsn) ? stored : clientLsn;
          const target = await router.pick(after);
          if (target) readFrom(contextValue, target);
        },
        async willSendResponse({ contextValue, response }) {
          if (!mutation) return;
          try {
            const lsn = await router.recordWrite(contextValue.viewer.keyId);
            response.http.headers.set(READ_AFTER_HEADER, formatLsn(lsn));
          } catch (err) {
            contextValue.logger.warn({ err }, 'read-your-writes: could not record the write position');
          }
        },
      };
    },
  };
}
