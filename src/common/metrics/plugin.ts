import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { RequestHandler } from 'express';
import type { RequestContext } from '../../context';
import { currentScope, RequestScope } from '../request-scope';
import type { AppMetrics } from './app-metrics';
import { operationLabeller, OTHER } from './operation-label';

/** Notes the operation label and the outcome of each GraphQL request in its scope (read by metricsTimer). */
export function metricsPlugin(schema: GraphQLSchema): ApolloServerPlugin<RequestContext> {
  const label = operationLabeller(schema);
  return {
    async requestDidStart() {
      const scope = currentScope();
      if (!scope) return; // not over HTTP (executeOperation): nothing is timed
      return {
        async didResolveOperation({ operation }) {
          scope.operation = label(operation);
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          scope.outcome = !errors?.length ? 'success' : data ? 'partial' : 'error';
        },
      };
    },
  };
}

/** Times each request of the route it is mounted on, from its first byte to its answer sent. */
export function metricsTimer(metrics: AppMetrics): RequestHandler {
  return (_req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const scope = res.locals.scope as RequestScope | undefined;
      const outcome = scope?.outcome ?? (res.statusCode < 400 ? 'success' : 'error');
      metrics.observeRequest(scope?.operation ?? OTHER, outcome, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * GET /metrics in Prometheus's text format. With a token, only for `Authorization: Bearer <token>`
 * (compared in constant time); anything else gets 401 and learns nothing.
 */
export function metricsEndpoint(metrics: AppMetrics, token: string | null): RequestHandler {
  const expected = token ? digest(`Bearer ${token}`) : null;
  return async (req, res) => {
    if (expected && !timingSafeEqual(digest(req.header('authorization') ?? ''), expected)) {
      res.status(401).set('www-authenticate', 'Bearer realm="nps-api-metrics"').type('text/plain').send('metrics need their bearer token (METRICS_TOKEN)\n');
      return;
    }
    try {
      const body = await metrics.scrape();
      res.status(200).type(metrics.registry.contentType).set('cache-control', 'no-store').send(body);
    } catch {
      res.status(500).type('text/plain').send('metrics could not be collected\n');
    }
  };
}
