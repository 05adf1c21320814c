import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PoolStats } from '../../db/report-runner';
import type { WebhookBacklog } from '../../modules/webhooks/backlog';
import { ingestStats } from '../../modules/responses/ingest-stats';
import { CLIENT_ERROR_CODES } from '../errors';
import { rateLimitStats } from '../rate-limit/stats';
import type { Logger } from '../logging';
import type { ReplicaStatus } from '../../db/replicas/read-router';

/** Where the metrics read the state they report at each scrape. */
export interface MetricSources {
  /** Connection pools by name (main: the DataSource's; reports: the reporting pool on PostgreSQL). */
  pools(): Record<string, PoolStats | undefined>;
  /** Pending webhook deliveries; a failure is logged and the scrape goes on without them. */
  webhookBacklog(): Promise<WebhookBacklog>;
  /** Whether REDIS_URL is configured (with rate limits on): nps_redis_up is reported only then. */
  redisConfigured: boolean;
  /** With DATABASE_REPLICA_URLS: each replica's health and replication lag (the /readyz figures). */
  replicas?: () => Promise<ReplicaStatus[]>;
  logger: Logger;
}

export type Outcome = 'success' | 'partial' | 'error';

export interface AppMetrics {
  registry: Registry;
  /** One answered GraphQL request (HTTP), labelled by operation (operation-label.ts) and outcome. */
  observeRequest(operation: string, outcome: Outcome, seconds: number): void;
  /** One error of an answer, by extensions.code (codes outside CLIENT_ERROR_CODES count as `other`). */
  countError(code: string | undefined): void;
  /** The text a scrape gets. */
  scrape(): Promise<string>;
}

/** Seconds; from a cached report (~2 ms) to the reporting timeout (15 s). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30];

/**
 * The server's Prometheus metrics (README, Metrics and traces; docs/observability.md), in a
 * registry of their own (a process may hold several servers: tests). Families whose state lives
 * elsewhere (pools, webhook backlog, ingest rows, rate-limit refusals, Redis) are read when scraped,
 * so the request path pays only for the request counter and histogram.
 */
export function createAppMetrics(sources: MetricSources): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const known = new Set(CLIENT_ERROR_CODES);

  const requests = new Counter({
    name: 'nps_graphql_requests_total',
    help: 'GraphQL requests answered over HTTP, by operation (root field, `multiple` or `other`) and outcome (success, partial, error)',
    labelNames: ['operation', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'nps_graphql_request_duration_seconds',
    help: 'Time to answer a GraphQL request (body parsed to answer sent), by operation',
    labelNames: ['operation'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'nps_graphql_errors_total',
    help: 'Errors in GraphQL answers, by extensions.code',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  for (const code of [...known, 'other']) errors.inc({ code }, 0);

  new Gauge({
    name: 'nps_db_pool_connections',
    help: 'Database connections by pool (main; reports on PostgreSQL) and state (in_use, idle); on the embedded database main is its single connection',
    labelNames: ['pool', 'state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [pool, s] of Object.entries(sources.pools())) {
        if (!s) continue;
        this.set({ pool, state: 'in_use' }, s.total - s.idle);
        this.set({ pool, state: 'idle' }, s.idle);
      }
    },
  });
  new Gauge({
    name: 'nps_db_pool_waiting',
    help: 'Callers waiting for a database connection, by pool',
    labelNames: ['pool'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [pool, s] of Object.entries(sources.pools())) if (s) this.set({ pool }, s.waiting);
    },
  });
  new Gauge({
    name: 'nps_db_pool_max',
    help: 'Largest number of connections of each pool',
    labelNames: ['pool'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [pool, s] of Object.entries(sources.pools())) if (s) this.set({ pool }, s.max);
    },
  });

  // One statement per scrape feeds both webhook gauges.
  let backlog: Promise<WebhookBacklog | null> | null = null;
  const readBacklog = () =>
    (backlog ??= sources.webhookBacklog().catch((err) => {
      sources.logger.warn({ err }, 'metrics: could not read the webhook backlog');
      return null;
    }));
  new Gauge({
    name: 'nps_webhook_deliveries_pending',
    help: 'Webhook deliveries waiting for their first or next attempt (PENDING)',
    registers: [registry],
    async collect() {
      const b = await readBacklog();
      if (b) this.set(b.pending);
    },
  });
  new Gauge({
    name: 'nps_webhook_oldest_pending_age_seconds',
    help: 'Age of the oldest PENDING webhook delivery (0 when none is pending)',
    registers: [registry],
    async collect() {
      const b = await readBacklog();
      if (b) this.set(b.oldestPendingAgeSeconds);
    },
  });

  // One probe of the replicas per scrape feeds the three replica gauges (absent without replicas).
  let replicaStatus: Promise<ReplicaStatus[]> | null = null;
  const readReplicas = () =>
    (replicaStatus ??= (sources.replicas ?? (async () => []))().catch((err) => {
      sources.logger.warn({ err }, 'metrics: could not read the replicas');
      return [];
    }));
  const replicaGauge = (name: string, help: string, value: (r: ReplicaStatus) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: ['replica'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const r of await readReplicas()) {
          const v = value(r);
          if (v !== null) this.set({ replica: r.name }, v);
        }
      },
    });
  // Registered only with replicas: without them the families are absent, not empty.
  if (sources.replicas) {
    replicaGauge('nps_replica_up', 'Whether each read replica (DATABASE_REPLICA_URLS) answers and is a standby: 1 up, 0 down', (r) => (r.healthy ? 1 : 0));
    replicaGauge('nps_replica_lag_bytes', 'WAL bytes the primary has written that each replica has not replayed yet', (r) => r.lagBytes);
    replicaGauge('nps_replica_lag_seconds', 'Seconds since each replica replayed its last transaction while it is behind (0 when caught up)', (r) => r.lagSeconds);
  }

  // Counters kept elsewhere (process-wide, only growing), copied at each scrape.
  new Counter({
    name: 'nps_ingest_rows_total',
    help: 'Rows answered by submitResponses since the process started, by status (ACCEPTED, DUPLICATE, CONFLICT, REJECTED)',
    labelNames: ['status'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [status, n] of Object.entries(ingestStats())) this.inc({ status }, n);
    },
  });
  new Counter({
    name: 'nps_rate_limit_refusals_total',
    help: 'Requests refused with RATE_LIMITED (HTTP 429) since the process started',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(rateLimitStats().refused);
    },
  });
  new Counter({
    name: 'nps_rate_limit_redis_fallbacks_total',
    help: 'Requests counted in this instance’s memory because Redis did not answer (served: fail open)',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(rateLimitStats().redisFallbacks);
    },
  });
  new Gauge({
    name: 'nps_redis_up',
    help: 'Whether the Redis of REDIS_URL (shared rate-limit budgets) is connected: 1 up, 0 down; absent without REDIS_URL',
    registers: [registry],
    collect() {
      this.reset();
      if (sources.redisConfigured) this.set(rateLimitStats().redis === 'up' ? 1 : 0);
    },
  });

  return {
    registry,
    observeRequest(operation, outcome, seconds) {
      requests.inc({ operation, outcome });
      duration.observe({ operation }, seconds);
    },
    countError(code) {
      errors.inc({ code: code && known.has(code) ? code : 'other' });
    },
    async scrape() {
      try {
        return await registry.metrics();
      } finally {
        backlog = null;
        replicaStatus = null;
      }
    },
  };
}
