import { z } from 'zod';
import { CorsConfig, parseCorsOrigins } from './cors';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Parses as a URL with a host (or a ?host= socket folder) and, if given, a numeric port. */
function databaseUrlOk(value: string): boolean {
  try {
    const url = new URL(value);
    return url.hostname !== '' || url.searchParams.has('host');
  } catch {
    return false;
  }
}

/** The comma-separated URLs of DATABASE_REPLICA_URLS, trimmed, empty ones dropped. */
function splitUrls(value: string | undefined): string[] {
  return (value ?? '').split(',').map((u) => u.trim()).filter((u) => u !== '');
}

/** A URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/** Parses as a redis:// or rediss:// URL with a host. */
function redisUrlOk(value: string): boolean {
  try {
    return new URL(value).hostname !== '';
  } catch {
    return false;
  }
}

/** The largest rate-limit budget (points per window) a role or a key may have; fits PostgreSQL's integer. */
export const MAX_RATE_LIMIT = 2_000_000_000;

/** A rate-limit budget: points per window (README, Rate limits). */
const budget = z.coerce.number().int().min(1).max(MAX_RATE_LIMIT);

/** Default budgets per role, in points per window (60 s by default); see README, Rate limits. */
export const DEFAULT_RATE_LIMITS = { ADMIN: 60_000, EXECUTIVE: 60_000, MANAGER: 30_000, INTEGRATION: 120_000 } as const;

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .refine(databaseUrlOk, 'must be a valid URL naming a host (postgres://user@host:port/database)')
    .optional(),
  DATABASE_REPLICA_URLS: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      for (const url of splitUrls(value)) {
        if (!/^postgres(ql)?:\/\//.test(url) || !databaseUrlOk(url)) ctx.addIssue({ code: 'custom', message: `not a postgres:// URL naming a host: ${redactUrl(url)}` });
      }
    }),
  REPLICA_RETRY_MS: z.coerce.number().int().min(100).max(3_600_000).default(5_000),
  DATA_DIR: z.string().min(1).default('./data'),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  REPORTING_POOL_MAX: z.coerce.number().int().min(1).max(200).optional(),
  REPORT_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(1).max(86_400_000).default(15_000),
  SEED_DEMO: z.enum(['auto', 'true', 'false']).default('auto'),
  DEMO_ANCHOR_DATE: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), 'must be a real calendar date')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(16_777_216),
  QUERY_MAX_DEPTH: z.coerce.number().int().min(1).default(10),
  QUERY_MAX_ALIASES: z.coerce.number().int().min(1).default(30),
  QUERY_MAX_COST: z.coerce.number().int().min(1).default(100_000),
  INTROSPECTION: bool.optional(),
  DASHBOARD: bool.optional(),
  LOW_SAMPLE_THRESHOLD: z.coerce.number().int().min(1).default(30),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  WEBHOOKS_ENABLED: bool.default(true),
  WEBHOOK_POLL_MS: z.coerce.number().int().min(10).default(500),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(12),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  WEBHOOK_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(30),
  EXPOSE_QUERY_STATS: bool.default(false),
  REPORT_CACHE_TTL_MS: z.coerce.number().int().min(0).max(3_600_000).default(5_000),
  REPORT_CACHE_MB: z.coerce.number().int().min(1).max(65_536).default(64),
  COMPANY_INDUSTRY: z.string().trim().min(1).max(200).optional(),
  TEXT_SEARCH_LANGUAGE: z
    .string()
    .regex(/^[a-z_]{1,63}$/, 'must be the name of a PostgreSQL text search configuration (lower case letters and _), e.g. english')
    .default('english'),
  THEME_TAGGING_ENABLED: bool.default(true),
  THEME_TAGGING_POLL_MS: z.coerce.number().int().min(10).default(2_000),
  THEME_TAGGING_BATCH: z.coerce.number().int().min(1).max(10_000).default(1_000),
  ALERTS_ENABLED: bool.default(true),
  ALERTS_POLL_MS: z.coerce.number().int().min(1_000).default(300_000),
  ALERTS_GRACE_MS: z.coerce.number().int().min(0).default(3_600_000),
  ALERTS_FDR_Q: z.coerce.number().gt(0).lt(1).default(0.05),
  CORS_ORIGINS: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      for (const message of parseCorsOrigins(value).problems) ctx.addIssue({ code: 'custom', message });
    }),
  CORS_MAX_AGE_S: z.coerce.number().int().min(0).max(86_400).default(600),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .refine(redisUrlOk, 'must be a valid URL naming a host (redis://host:6379)')
    .optional(),
  RATE_LIMIT_ENABLED: bool.default(true),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3_600).default(60),
  RATE_LIMIT_ADMIN: budget.default(DEFAULT_RATE_LIMITS.ADMIN),
  RATE_LIMIT_EXECUTIVE: budget.default(DEFAULT_RATE_LIMITS.EXECUTIVE),
  RATE_LIMIT_MANAGER: budget.default(DEFAULT_RATE_LIMITS.MANAGER),
  RATE_LIMIT_INTEGRATION: budget.default(DEFAULT_RATE_LIMITS.INTEGRATION),
  RATE_LIMIT_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:._-]{1,100}$/, 'must be 1 to 100 letters, digits or : . _ -')
    .default('nps-api:rate-limit'),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().min(1).optional(),
  METRICS_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{16,256}$/, 'must be 16 to 256 printable characters without spaces (a long random secret, e.g. openssl rand -hex 32)')
    .optional(),
});

export type RawConfig = z.infer<typeof schema>;

export interface AppConfig {
  env: RawConfig['NODE_ENV'];
  port: number;
  host: string;
  databaseUrl?: string;
  /**
   * Read replicas (src/db/read-router.ts): DATABASE_REPLICA_URLS, PostgreSQL streaming replicas of
   * DATABASE_URL that read-only operations go to; retryMs (REPLICA_RETRY_MS, default 5 s): how long
   * a replica that failed is left out before it is tried again. Empty: every statement on the primary.
   */
  replicas: { urls: string[]; retryMs: number };
  dataDir: string;
  dbPoolMax: number;
  /**
   * Connections of the separate PostgreSQL pool that reporting aggregates run on (REPORTING_POOL_MAX;
   * default half of DB_POOL_MAX, at least 1). The embedded database has one connection and no such pool.
   */
  reportingPoolMax: number;
  /** statement_timeout of a reporting aggregate, in ms; past it the report answers REPORT_TIMEOUT. */
  reportStatementTimeoutMs: number;
  seedDemo: 'auto' | 'true' | 'false';
  /**
   * DEMO_ANCHOR_DATE (YYYY-MM-DD): the day the demo's data end when it is loaded (its 00:00 UTC is
   * the demo's "now"); null: the day of loading (UTC). Not after today (checked when loading).
   */
  demoAnchorDate: string | null;
  logLevel: RawConfig['LOG_LEVEL'];
  maxBodyBytes: number;
  limits: { depth: number; aliases: number; cost: number };
  introspection: boolean;
  /**
   * The reference dashboard at /dashboard (src/dashboard): DASHBOARD, on by default outside
   * production, off with NODE_ENV=production unless DASHBOARD=1.
   */
  dashboard: boolean;
  lowSampleThreshold: number;
  shutdownTimeoutMs: number;
  /**
   * EXPOSE_QUERY_STATS: every GraphQL response carries extensions.queryStats (SQL statements sent,
   * fact plans used) for benchmarks. Off by default; refused with NODE_ENV=production.
   */
  exposeQueryStats: boolean;
  /**
   * The report cache (src/common/report-cache): answers of report queries kept per API key while
   * no data they could show has changed, for at most ttlMs (REPORT_CACHE_TTL_MS, default 5 s; 0
   * turns it off): how far behind the clock a figure may be (a default `to` of now, KPI pace,
   * overdue follow-ups). maxBytes: REPORT_CACHE_MB.
   */
  reportCache: { ttlMs: number; maxBytes: number };
  /**
   * COMPANY_INDUSTRY: the industry whose benchmarks a score is compared with (matched
   * case-insensitively with Benchmark.industry). Null: benchmarks of every industry apply.
   */
  companyIndustry: string | null;
  /**
   * TEXT_SEARCH_LANGUAGE: the PostgreSQL text search configuration (english, french, simple...) the
   * `search` filter stems words with. The server checks it exists at start and builds the GIN index
   * for it when missing (migration 1764001420000 builds the english one).
   */
  textSearchLanguage: string;
  /**
   * Re-tagging stored responses after the themes change (src/modules/themes/tagging-worker.ts):
   * whether this process runs the worker (THEME_TAGGING_ENABLED), how often it looks for work
   * (THEME_TAGGING_POLL_MS) and how many responses one batch (one short transaction) re-tags
   * (THEME_TAGGING_BATCH).
   */
  themeTagging: { enabled: boolean; pollIntervalMs: number; batchSize: number };
  /**
   * Significant-shift alerts: whether this process runs the evaluation worker (ALERTS_ENABLED), how
   * often it looks for a newly completed window (ALERTS_POLL_MS, default 5 min), how long after a
   * window ends it waits for late responses before testing it (ALERTS_GRACE_MS, default 1 h), and
   * the false discovery rate each window's family of rules is controlled at (ALERTS_FDR_Q, 0.05).
   */
  alerts: { enabled: boolean; pollIntervalMs: number; graceMs: number; q: number };
  /**
   * Browsers of other origins (src/common/cors.ts): CORS_ORIGINS, a comma-separated list of exact
   * origins (none by default: no cross-origin access) or `*` alone; CORS_MAX_AGE_S, how long a
   * browser may cache a preflight's answer.
   */
  cors: CorsConfig;
  /**
   * Rate limits per API key (src/common/rate-limit): a budget of points per window, spent by each
   * request's query cost and by each ingested row. perRole: RATE_LIMIT_<ROLE>, the default of keys
   * without their own (api_keys.rate_limit). With redisUrl (REDIS_URL) every instance counts in the
   * same Redis under redisPrefix (RATE_LIMIT_REDIS_PREFIX); without it, each in its own memory.
   * enabled: RATE_LIMIT_ENABLED (on by default).
   */
  rateLimit: {
    enabled: boolean;
    windowSeconds: number;
    perRole: Record<keyof typeof DEFAULT_RATE_LIMITS, number>;
    redisUrl: string | null;
    redisPrefix: string;
  };
  /**
   * Prometheus metrics (src/common/metrics): served only when asked for, never public by accident.
   * port (METRICS_PORT): on a listener of their own at host (METRICS_HOST, default HOST), path
   * /metrics; token (METRICS_TOKEN): GET /metrics requires `Authorization: Bearer <token>` (on the
   * API's port when no METRICS_PORT is set, and on the metrics port too when both are). Neither:
   * metrics are off (nothing is collected, /metrics is not found).
   */
  metrics: { enabled: boolean; port: number | null; host: string; token: string | null };
  webhooks: {
    enabled: boolean;
    pollIntervalMs: number;
    maxAttempts: number;
    timeoutMs: number;
    /** Days finished deliveries (with their attempts) and dispatched outbox events are kept. */
    retentionDays: number;
  };
}

export class ConfigError extends Error {}

/** Reads and validates configuration; throws ConfigError naming every wrong variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const cleaned = Object.fromEntries(
    Object.keys(schema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  if (c.METRICS_PORT !== undefined && c.METRICS_PORT !== 0 && c.METRICS_PORT === c.PORT) {
    throw new ConfigError('Invalid configuration:\n  METRICS_PORT: must differ from PORT (leave it unset and set METRICS_TOKEN to serve /metrics on the API port)');
  }
  if (c.EXPOSE_QUERY_STATS && c.NODE_ENV === 'production') {
    throw new ConfigError('Invalid configuration:\n  EXPOSE_QUERY_STATS: is for benchmarks and development; it cannot be on with NODE_ENV=production');
  }
  if (splitUrls(c.DATABASE_REPLICA_URLS).length > 0 && !c.DATABASE_URL) {
    throw new ConfigError('Invalid configuration:\n  DATABASE_REPLICA_URLS: replicas need a primary: set DATABASE_URL too (the embedded database serves one instance and has no replicas)');
  }
  return {
    env: c.NODE_ENV,
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    replicas: { urls: splitUrls(c.DATABASE_REPLICA_URLS), retryMs: c.REPLICA_RETRY_MS },
    dataDir: c.DATA_DIR,
    dbPoolMax: c.DB_POOL_MAX,
    reportingPoolMax: c.REPORTING_POOL_MAX ?? Math.max(1, Math.floor(c.DB_POOL_MAX / 2)),
    reportStatementTimeoutMs: c.REPORT_STATEMENT_TIMEOUT_MS,
    seedDemo: c.SEED_DEMO,
    demoAnchorDate: c.DEMO_ANCHOR_DATE ?? null,
    logLevel: c.LOG_LEVEL,
    maxBodyBytes: c.MAX_BODY_BYTES,
    limits: { depth: c.QUERY_MAX_DEPTH, aliases: c.QUERY_MAX_ALIASES, cost: c.QUERY_MAX_COST },
    introspection: c.INTROSPECTION ?? c.NODE_ENV !== 'production',
    dashboard: c.DASHBOARD ?? c.NODE_ENV !== 'production',
    lowSampleThreshold: c.LOW_SAMPLE_THRESHOLD,
    shutdownTimeoutMs: c.SHUTDOWN_TIMEOUT_MS,
    exposeQueryStats: c.EXPOSE_QUERY_STATS,
    reportCache: { ttlMs: c.REPORT_CACHE_TTL_MS, maxBytes: c.REPORT_CACHE_MB * 1024 * 1024 },
    companyIndustry: c.COMPANY_INDUSTRY ?? null,
    textSearchLanguage: c.TEXT_SEARCH_LANGUAGE,
    cors: { origins: parseCorsOrigins(c.CORS_ORIGINS).origins, maxAgeSeconds: c.CORS_MAX_AGE_S },
    themeTagging: { enabled: c.THEME_TAGGING_ENABLED, pollIntervalMs: c.THEME_TAGGING_POLL_MS, batchSize: c.THEME_TAGGING_BATCH },
    alerts: { enabled: c.ALERTS_ENABLED, pollIntervalMs: c.ALERTS_POLL_MS, graceMs: c.ALERTS_GRACE_MS, q: c.ALERTS_FDR_Q },
    rateLimit: {
      enabled: c.RATE_LIMIT_ENABLED,
      windowSeconds: c.RATE_LIMIT_WINDOW_SECONDS,
      perRole: { ADMIN: c.RATE_LIMIT_ADMIN, EXECUTIVE: c.RATE_LIMIT_EXECUTIVE, MANAGER: c.RATE_LIMIT_MANAGER, INTEGRATION: c.RATE_LIMIT_INTEGRATION },
      redisUrl: c.REDIS_URL ?? null,
      redisPrefix: c.RATE_LIMIT_REDIS_PREFIX,
    },
    metrics: {
      enabled: c.METRICS_PORT !== undefined || c.METRICS_TOKEN !== undefined,
      port: c.METRICS_PORT ?? null,
      host: c.METRICS_HOST ?? c.HOST,
      token: c.METRICS_TOKEN ?? null,
    },
    webhooks: {
      enabled: c.WEBHOOKS_ENABLED,
      pollIntervalMs: c.WEBHOOK_POLL_MS,
      maxAttempts: c.WEBHOOK_MAX_ATTEMPTS,
      timeoutMs: c.WEBHOOK_TIMEOUT_MS,
      retentionDays: c.WEBHOOK_RETENTION_DAYS,
    },
  };
}
