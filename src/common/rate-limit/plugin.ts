import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../../context';
import type { AppConfig } from '../config';
import { rateLimited } from '../errors';
import { operationCost, pointsFor, rowsWritten } from './charge';
import type { RateLimitDecision, RateLimiter } from './limiter';
import { countRefusal } from './stats';

/** The budget of the request's key: its own (api_keys.rate_limit) or its role's default. */
export const budgetOf = (viewer: RequestContext['viewer'], perRole: AppConfig['rateLimit']['perRole']) => viewer.rateLimit ?? perRole[viewer.role];

/**
 * The headers every answer to a request with an API key carries (IETF draft "RateLimit header
 * fields for HTTP"): the budget, what is left of it, the seconds until it is whole again, the policy
 * (budget and window), and Retry-After on a refusal.
 */
export function rateLimitHeaders(d: RateLimitDecision): [string, string][] {
  const reset = Math.ceil(d.resetMs / 1000);
  const headers: [string, string][] = [
    ['ratelimit-limit', String(d.limit)],
    ['ratelimit-remaining', String(d.remaining)],
    ['ratelimit-reset', String(reset)],
    ['ratelimit-policy', `${d.limit};w=${d.windowSeconds}`],
  ];
  if (!d.allowed) headers.push(['retry-after', String(Math.max(1, reset))]);
  return headers;
}

/**
 * Spends each request's points (its query cost, plus its rows for bulk writes; see charge.ts) from
 * its API key's budget once the operation is known, before anything runs, and refuses it with
 * RATE_LIMITED (HTTP 429) when too few are left. Requests without a key (in-process operations:
 * tests, seeding, the CLI) are not limited; requests refused before their operation is known
 * (unparsable, invalid) spend one point.
 */
export function rateLimitPlugin(limiter: RateLimiter, config: AppConfig['rateLimit']): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      const keyId = contextValue.viewer.keyId;
      if (!keyId) return;
      const budget = budgetOf(contextValue.viewer, config.perRole);
      let decision: RateLimitDecision | null = null;
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return; // Apollo has answered already (no such operation)
          const points = pointsFor(operationCost(schema, document, operation), rowsWritten(document, operation, request.variables), budget);
          decision = await limiter.consume(keyId, budget, points);
          if (decision.allowed) return;
          countRefusal();
          throw rateLimited({ ...decision, retryAfterSeconds: Math.max(1, Math.ceil(decision.resetMs / 1000)) });
        },
        async willSendResponse({ response }) {
          decision ??= await limiter.consume(keyId, budget, 1);
          for (const [name, value] of rateLimitHeaders(decision)) response.http.headers.set(name, value);
        },
      };
    },
  };
}
