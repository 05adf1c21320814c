import http from 'node:http';
import express from 'express';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { AppDeps, RequestContext } from './context';
import { createContext } from './context';
import { HTTP_LAYER_CODES, httpStatusForCodes, makeFormatError, REPORT_RETRY_AFTER_SECONDS } from './common/errors';
import { NoSubscriptions } from './common/no-subscriptions';
import { corsMiddleware } from './common/cors';
import { buildAppSchema } from './schema';
import { Services } from './services';
import { resolveViewer } from './modules/auth/authenticate';
import { ReportCache } from './common/report-cache/report-cache';
import { reportCachePlugin } from './common/report-cache/plugin';
import { countDriverStatements, currentQueryStats, QueryStats, withQueryStats } from './common/query-stats';
import { QUERY_COST_WEIGHTS } from './common/rate-limit/charge';
import { createRateLimiter, RateLimiter } from './common/rate-limit/limiter';
import { rateLimitPlugin } from './common/rate-limit/plugin';
import { dashboardRouter } from './dashboard/router';
import { readRoutingPlugin } from './db/replicas/plugin';
import { exportResponsesHandler } from './modules/export/export.routes';
import { rateLimitStats } from './common/rate-limit/stats';
import { currentRequestId, reenterScope, requestIdMiddleware, RequestScope } from './common/request-scope';
import type { AppMetrics } from './common/metrics/app-metrics';
import { metricsEndpoint, metricsPlugin, metricsTimer } from './common/metrics/plugin';
import { PoolStats, statsOf } from './db/report-runner';
import { webhookBacklog } from './modules/webhooks/backlog';
import { systemContext } from './system-context';

export interface App {
  apollo: ApolloServer<RequestContext>;
  /** The report cache, when on (AppDeps.changes given and REPORT_CACHE_TTL_MS > 0). */
  reportCache: ReportCache | null;
  services: Services;
  /** The rate limits per API key (src/common/rate-limit); null with RATE_LIMIT_ENABLED=false. */
  rateLimiter: RateLimiter | null;
  httpServer: http.Server;
  /** The Prometheus metrics; null when off (neither METRICS_PORT nor METRICS_TOKEN). */
  metrics: AppMetrics | null;
  /** The metrics listener's bound port once listen() ran (METRICS_PORT); else null. */
  metricsPort(): number | null;
  /** Listens (and the metrics listener, with METRICS_PORT); resolves with the API's bound port. */
  listen(port: number, host?: string): Promise<number>;
  /** Stops taking requests, waits for in-flight ones, closes the rate limits' Redis connection, then resolves. */
  stop(): Promise<void>;
}

function loggingPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, errors, response }) {
          // What Apollo's cache-control plugin answered for every response (no field has a cache
          // hint): it is disabled below because it wraps every resolved field (1,000 results of
          // submitResponses are thousands of fields).
          if (!response.http.headers.has('cache-control')) response.http.headers.set('cache-control', 'no-store');
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          contextValue.logger.info({ op: operationName ?? null, ms, errors: errors?.length ?? 0 }, 'graphql request');
        },
      };
    },
  };
}

/**
 * Sets the HTTP status that the error codes decide (httpStatusForCodes): 503 with Retry-After when
 * the only errors are REPORT_TIMEOUT. Errors thrown while resolving fields do not set a status
 * themselves, since one failing field must not decide the status of a response with others.
 */
function statusFromCodesPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const codes = (response.body.singleResult.errors ?? []).map((e) => e.extensions?.code as string | undefined);
          const status = httpStatusForCodes(codes);
          if (!status) return;
          response.http.status = status;
          if (status === 503) response.http.headers.set('retry-after', String(REPORT_RETRY_AFTER_SECONDS));
        },
      };
    },
  };
}

/** Adds the request's query stats (statements, plans) to the response's extensions. */
function queryStatsPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          const stats = currentQueryStats();
          if (!stats || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, queryStats: { statements: stats.statements, plans: [...stats.plans] } };
        },
      };
    },
  };
}

/** The database pools the metrics report: the DataSource's (pg) pool and, on PostgreSQL, the reporting pool. */
function poolSources(deps: AppDeps): () => Record<string, PoolStats | undefined> {
  const main = (deps.ds.driver as { master?: Parameters<typeof statsOf>[0] }).master;
  const reports = deps.reports as { poolStats?: () => PoolStats } | undefined;
  return () => ({ main: main ? statsOf(main) : undefined, reports: reports?.poolStats?.() });
}

/** Documents longer than this many tokens are refused before they are fully parsed. */
export const MAX_TOKENS = 5000;

/** Builds the Apollo server on an Express app; the caller decides whether to listen. */
export async function createApp(deps: AppDeps): Promise<App> {
  const { config, logger } = deps;
  const services = new Services(deps);
  const schema = await buildAppSchema();
  const app = express();
  app.disable('x-powered-by');
  // Before everything: every answer carries x-request-id, every log line of the request its id.
  app.use(requestIdMiddleware());
  // First: preflights are answered here, and every answer (errors of the body parser included)
  // carries the CORS headers for an allowed origin.
  app.use(corsMiddleware(config.cors));
  const httpServer = http.createServer(app);
  const armor = new ApolloArmor({
    maxDepth: { n: config.limits.depth },
    maxAliases: { n: config.limits.aliases },
    costLimit: { maxCost: config.limits.cost, ...QUERY_COST_WEIGHTS },
    maxDirectives: { n: 50 },
    // Off: its plugin parses in parsingDidStart and turns a syntax error into an HTTP 500.
    // graphql's own parser limit (parseOptions.maxTokens below) answers 400 GRAPHQL_PARSE_FAILED.
    maxTokens: { enabled: false },
  });
  const protection = armor.protect();
  const reportCache = deps.changes && config.reportCache.ttlMs > 0 ? new ReportCache(deps.changes, config.reportCache) : null;
  const rl = config.rateLimit;
  const redisConfigured = rl.enabled && !!rl.redisUrl;
  // Loaded only when on: without METRICS_* neither prom-client nor anything it loads is in the process.
  const metrics = config.metrics.enabled
    ? (require('./common/metrics/app-metrics') as typeof import('./common/metrics/app-metrics')).createAppMetrics({
        pools: poolSources(deps),
        webhookBacklog: () => webhookBacklog(systemContext(services)),
        redisConfigured,
        logger,
      })
    : null;
  const formatError = makeFormatError({
    exposeInternals: config.env === 'development' && process.env.EXPOSE_INTERNAL_ERRORS === 'true',
    onInternal: (err) => logger.error({ err }, 'internal error'),
  });
  const rateLimiter = rl.enabled ? createRateLimiter({ windowSeconds: rl.windowSeconds, redisUrl: rl.redisUrl, prefix: rl.redisPrefix, logger }) : null;
  const apollo = new ApolloServer<RequestContext>({
    ...protection,
    schema,
    introspection: config.introspection,
    parseOptions: { maxTokens: MAX_TOKENS },
    csrfPrevention: true,
    stopOnTerminationSignals: false, // main.ts owns SIGTERM: drain, then close the database
    includeStacktraceInErrorResponses: config.env === 'development',
    formatError: (formatted, error) => {
      const out = formatError(formatted, error);
      metrics?.countError(out.extensions?.code as string | undefined);
      // Every error of an HTTP answer carries the request's id (executeOperation, in-process, has none).
      const requestId = currentRequestId();
      return requestId ? { ...out, extensions: { ...out.extensions, requestId } } : out;
    },
    plugins: [
      ...protection.plugins,
      ApolloServerPluginDrainHttpServer({ httpServer }),
      loggingPlugin(),
      ...(metrics ? [metricsPlugin(schema)] : []),
      statusFromCodesPlugin(),
      ...(rateLimiter ? [rateLimitPlugin(rateLimiter, rl)] : []),
      ...(deps.router ? [readRoutingPlugin(deps.router)] : []),
      ...(reportCache ? [reportCachePlugin(reportCache)] : []),
      ApolloServerPluginCacheControlDisabled(),
      ...(config.exposeQueryStats ? [queryStatsPlugin()] : []),
      ...(config.introspection ? [] : [ApolloServerPluginLandingPageDisabled()]),
    ],
    validationRules: [...protection.validationRules, NoSubscriptions],
  });
  try {
    await apollo.start();
  } catch (e) {
    await rateLimiter?.close();
    throw e;
  }
  // Bounded (Redis's connect timeout): the first requests then already share the budgets.
  await rateLimiter?.ready();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Ready when the primary answers. Redis (REDIS_URL) is reported, not required: without it the rate
  // limits count in memory (fail open). Replicas are reported (health, replication lag), never failing
  // it: without them reads go to the primary.
  const redisState = () => (redisConfigured ? { redis: rateLimitStats().redis } : {});
  app.get('/readyz', async (_req, res) => {
    try {
      await deps.ds.query('SELECT 1');
    } catch {
      res.status(503).json({ status: 'unavailable', database: 'down', ...redisState() });
      return;
    }
    const replicas = deps.router ? await deps.router.status() : undefined;
    res.json({ status: 'ready', database: 'up', ...redisState(), ...(replicas ? { replicas, primaryReads: deps.router!.primaryReads } : {}) });
  });
  // The reference dashboard: static files that call /graphql like any other client (DASHBOARD).
  if (config.dashboard) app.use('/dashboard', dashboardRouter());
  // Streamed exports (src/modules/export): the same keys and roles as /graphql.
  app.get('/export/responses.csv', exportResponsesHandler(services, logger, 'csv'));
  app.get('/export/responses.jsonl', exportResponsesHandler(services, logger, 'jsonl'));
  // Metrics on the API's port only behind their token; with METRICS_PORT on a listener of their own.
  const metricsServer = metrics && config.metrics.port !== null ? http.createServer(express().disable('x-powered-by').get('/metrics', metricsEndpoint(metrics, config.metrics.token))) : null;
  if (metrics && !metricsServer) app.get('/metrics', metricsEndpoint(metrics, config.metrics.token));
  let metricsPort: number | null = null;
  if (config.exposeQueryStats) countDriverStatements();
  // With EXPOSE_QUERY_STATS, the whole GraphQL request (context, execution, response) runs inside
  // its own stats record. After the body parser: its stream events would lose the async context.
  const queryStats: express.RequestHandler = (_req, _res, next) => {
    if (!config.exposeQueryStats) return next();
    const stats: QueryStats = { statements: 0, plans: [] };
    withQueryStats(stats, () => next());
  };
  app.use(
    '/graphql',
    ...(metrics ? [metricsTimer(metrics)] : []),
    express.json({ limit: config.maxBodyBytes }),
    reenterScope(),
    queryStats,
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const viewer = await resolveViewer(services, req.headers.authorization);
        return createContext(services, viewer, { requestId: (res.locals.scope as RequestScope).requestId });
      },
    }),
  );
  app.use((err: Error & { status?: number; type?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = err.status ?? 500;
    // The body parser's errors arrive outside the request's async scope: its id is taken from res.locals.
    const requestId = (res.locals.scope as RequestScope | undefined)?.requestId;
    if (status >= 500) logger.error({ err, requestId }, 'http error');
    const message = err.type === 'entity.too.large' ? `Request body larger than ${config.maxBodyBytes} bytes` : status >= 500 ? 'Internal server error' : 'Bad request';
    const code = status === 413 ? HTTP_LAYER_CODES.PAYLOAD_TOO_LARGE : status >= 500 ? HTTP_LAYER_CODES.INTERNAL_SERVER_ERROR : HTTP_LAYER_CODES.BAD_REQUEST;
    metrics?.countError(code);
    res.status(status).json({ errors: [{ message, extensions: { code, requestId } }] });
  });

  return {
    apollo,
    reportCache,
    services,
    rateLimiter,
    httpServer,
    metrics,
    metricsPort: () => metricsPort,
    listen: async (port, host) => {
      const bound = await listenOn(httpServer, port, host);
      if (metricsServer) {
        metricsPort = await listenOn(metricsServer, config.metrics.port!, config.metrics.host);
        logger.info({ port: metricsPort, host: config.metrics.host, token: !!config.metrics.token }, 'metrics listening (GET /metrics)');
      }
      return bound;
    },
    stop: async () => {
      try {
        await apollo.stop();
      } finally {
        if (metricsServer?.listening) {
          const closed = new Promise((resolve) => metricsServer.close(resolve));
          metricsServer.closeAllConnections(); // a scraper's keep-alive connection must not hold the stop
          await closed;
        }
        await rateLimiter?.close();
      }
    },
  };
}

function listenOn(server: http.Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}
