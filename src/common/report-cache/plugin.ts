import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../../context';
import { isCacheableOperation } from './cacheable';
import { ReportCache } from './report-cache';

/** The response header saying how the report cache answered: hit, miss or bypass. */
export const CACHE_HEADER = 'x-report-cache';

/**
 * Answers repeated report queries from the ReportCache. Only queries whose root fields are all
 * marked cacheable, asked with an API key (answers are kept per key, so no viewer ever sees
 * another's scope). A request with `Cache-Control: no-cache` is computed afresh (and kept).
 */
export function reportCachePlugin(cache: ReportCache): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      let settle: ((data: Record<string, unknown> | null) => void) | null = null;
      let state: 'hit' | 'miss' | 'bypass' | null = null;
      return {
        async responseForOperation(rc) {
          const keyId = rc.contextValue.viewer.keyId;
          if (!keyId || !rc.queryHash || !isCacheableOperation(rc.schema, rc.document, rc.operation)) return null;
          const ticket = cache.ticket(keyId, rc.queryHash, rc.operationName, rc.request.variables);
          if (!ticket) return null;
          const bypass = /\bno-cache\b/i.test(rc.request.http?.headers.get('cache-control') ?? '');
          const step = cache.begin(ticket, bypass);
          const kept = 'kept' in step ? step.kept : 'pending' in step ? await step.pending : null;
          if (kept) {
            state = 'hit';
            rc.response.http.headers.set('age', String(Math.floor((ticket.at - kept.at) / 1000)));
            return { http: rc.response.http, body: { kind: 'single', singleResult: { data: kept.data } } };
          }
          state = bypass ? 'bypass' : 'miss';
          // A waiter whose leader's answer was not valid for it computes, and keeps, its own.
          settle = 'settle' in step ? step.settle : cache.compute(ticket);
          return null;
        },
        async willSendResponse({ response }) {
          if (!state) return;
          response.http.headers.set(CACHE_HEADER, state);
          if (!settle) return;
          const result = response.body.kind === 'single' ? response.body.singleResult : null;
          settle(result && !result.errors?.length && result.data ? (result.data as Record<string, unknown>) : null);
          settle = null;
        },
      };
    },
  };
}
