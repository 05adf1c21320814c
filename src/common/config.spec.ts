import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 4000, dataDir: './data', seedDemo: 'auto', env: 'development', introspection: true, lowSampleThreshold: 30 });
    expect(c.databaseUrl).toBeUndefined();
  });

  it('turns introspection off in production unless asked', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).introspection).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', INTROSPECTION: 'true' }).introspection).toBe(true);
  });

  it('serves the dashboard outside production by default, in production only with DASHBOARD=1', () => {
    expect(loadConfig({}).dashboard).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).dashboard).toBe(true);
    expect(loadConfig({ DASHBOARD: 'false' }).dashboard).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production' }).dashboard).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', DASHBOARD: '1' }).dashboard).toBe(true);
    expect(() => loadConfig({ DASHBOARD: 'sometimes' })).toThrow(/DASHBOARD/);
  });

  it('reads EXPOSE_QUERY_STATS: off by default, never with NODE_ENV=production', () => {
    expect(loadConfig({}).exposeQueryStats).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production' }).exposeQueryStats).toBe(false);
    expect(loadConfig({ EXPOSE_QUERY_STATS: '1' }).exposeQueryStats).toBe(true);
    expect(loadConfig({ EXPOSE_QUERY_STATS: 'false' }).exposeQueryStats).toBe(false);
    expect(() => loadConfig({ NODE_ENV: 'production', EXPOSE_QUERY_STATS: '1' })).toThrow(/EXPOSE_QUERY_STATS/);
    expect(() => loadConfig({ EXPOSE_QUERY_STATS: 'maybe' })).toThrow(ConfigError);
  });

  it('reads DEMO_ANCHOR_DATE: none by default (the day of loading), else a real date YYYY-MM-DD', () => {
    expect(loadConfig({}).demoAnchorDate).toBeNull();
    expect(loadConfig({ DEMO_ANCHOR_DATE: '2026-11-01' }).demoAnchorDate).toBe('2026-11-01');
    for (const bad of ['2026-11-1', '2026-02-30', 'yesterday', '2026-11-01T00:00:00Z']) {
      expect(() => loadConfig({ DEMO_ANCHOR_DATE: bad })).toThrow(/DEMO_ANCHOR_DATE/);
    }
  });

  it('reads DATABASE_REPLICA_URLS: none by default; a comma-separated list of postgres URLs, only with DATABASE_URL', () => {
    expect(loadConfig({}).replicas).toEqual({ urls: [], retryMs: 5000 });
    const primary = 'postgres://u@db:5432/nps';
    expect(loadConfig({ DATABASE_URL: primary, DATABASE_REPLICA_URLS: ' postgres://u@r1:5432/nps, postgresql://u@r2/nps ,', REPLICA_RETRY_MS: '2000' }).replicas).toEqual({
      urls: ['postgres://u@r1:5432/nps', 'postgresql://u@r2/nps'],
      retryMs: 2000,
    });
    expect(() => loadConfig({ DATABASE_REPLICA_URLS: 'postgres://u@r1/nps' })).toThrow(/DATABASE_REPLICA_URLS: replicas need a primary/);
    // A wrong URL is named without its password.
    expect(() => loadConfig({ DATABASE_URL: primary, DATABASE_REPLICA_URLS: 'mysql://u:secret@r1/nps' })).toThrow(/DATABASE_REPLICA_URLS: not a postgres:\/\/ URL naming a host: mysql:\/\/u:\*\*\*@r1\/nps/);
    expect(() => loadConfig({ DATABASE_URL: primary, REPLICA_RETRY_MS: '10' })).toThrow(/REPLICA_RETRY_MS/);
  });

  it('names every wrong variable', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', SEED_DEMO: 'maybe' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/PORT/);
    expect(msg).toMatch(/DATABASE_URL/);
    expect(msg).toMatch(/SEED_DEMO/);
  });

  it('reads WEBHOOK_RETENTION_DAYS: 30 days by default, a whole number of days of at least 1', () => {
    expect(loadConfig({}).webhooks.retentionDays).toBe(30);
    expect(loadConfig({ WEBHOOK_RETENTION_DAYS: '7' }).webhooks.retentionDays).toBe(7);
    expect(loadConfig({ WEBHOOK_RETENTION_DAYS: '1' }).webhooks.retentionDays).toBe(1);
    for (const bad of ['0', '-3', '1.5', 'abc']) {
      expect(() => loadConfig({ WEBHOOK_RETENTION_DAYS: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ WEBHOOK_RETENTION_DAYS: bad })).toThrow(/WEBHOOK_RETENTION_DAYS/);
    }
  });

  it('reads CORS_ORIGINS and CORS_MAX_AGE_S: no origin and 600 s by default; a bad origin or * among others stops the start, naming it', () => {
    expect(loadConfig({}).cors).toEqual({ origins: [], maxAgeSeconds: 600 });
    expect(loadConfig({ CORS_ORIGINS: 'https://dash.example.com, http://localhost:5173', CORS_MAX_AGE_S: '60' }).cors).toEqual({
      origins: ['https://dash.example.com', 'http://localhost:5173'],
      maxAgeSeconds: 60,
    });
    expect(loadConfig({ CORS_ORIGINS: '*' }).cors.origins).toEqual(['*']);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://dash.example.com/app' })).toThrow(/CORS_ORIGINS: "https:\/\/dash\.example\.com\/app" is not an origin/);
    expect(() => loadConfig({ CORS_ORIGINS: '*,https://dash.example.com' })).toThrow(/CORS_ORIGINS: \* \(any origin\) must be the only entry/);
    for (const bad of ['-1', '86401', 'ten', '1.5']) expect(() => loadConfig({ CORS_MAX_AGE_S: bad })).toThrow(/CORS_MAX_AGE_S/);
  });

  it('reads the rate limits: on, 60 s windows, budgets per role, in memory unless REDIS_URL names a Redis', () => {
    expect(loadConfig({}).rateLimit).toEqual({
      enabled: true,
      windowSeconds: 60,
      perRole: { ADMIN: 60_000, EXECUTIVE: 60_000, MANAGER: 30_000, INTEGRATION: 120_000 },
      redisUrl: null,
      redisPrefix: 'nps-api:rate-limit',
    });
    const c = loadConfig({
      RATE_LIMIT_ENABLED: 'false',
      RATE_LIMIT_WINDOW_SECONDS: '10',
      RATE_LIMIT_MANAGER: '500',
      REDIS_URL: 'redis://:secret@127.0.0.1:6379/2',
      RATE_LIMIT_REDIS_PREFIX: 'test:run-1',
    }).rateLimit;
    expect(c).toMatchObject({ enabled: false, windowSeconds: 10, redisUrl: 'redis://:secret@127.0.0.1:6379/2', redisPrefix: 'test:run-1' });
    expect(c.perRole).toEqual({ ADMIN: 60_000, EXECUTIVE: 60_000, MANAGER: 500, INTEGRATION: 120_000 });
    expect(loadConfig({ REDIS_URL: 'rediss://cache.example.com:6380' }).rateLimit.redisUrl).toBe('rediss://cache.example.com:6380');
    for (const [name, bad] of [
      ['REDIS_URL', 'http://127.0.0.1:6379'],
      ['REDIS_URL', 'redis://'],
      ['RATE_LIMIT_ADMIN', '0'],
      ['RATE_LIMIT_INTEGRATION', '1.5'],
      ['RATE_LIMIT_EXECUTIVE', '3000000000'],
      ['RATE_LIMIT_WINDOW_SECONDS', '0'],
      ['RATE_LIMIT_ENABLED', 'perhaps'],
      ['RATE_LIMIT_REDIS_PREFIX', 'has space'],
    ]) {
      expect(() => loadConfig({ [name]: bad })).toThrow(new RegExp(name));
    }
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).port).toBe(4000);
  });

  it('names DATABASE_URL when it does not parse or names no host', () => {
    for (const bad of ['postgres://postgres@127.0.0.1:abc/x', 'postgres://', 'postgresql://user@/db']) {
      expect(() => loadConfig({ DATABASE_URL: bad })).toThrow(/DATABASE_URL/);
    }
    for (const good of ['postgres://postgres@127.0.0.1:5432/test', 'postgresql://u:p@db.example.com/app?sslmode=require', 'postgres:///app?host=/var/run/postgresql']) {
      expect(loadConfig({ DATABASE_URL: good }).databaseUrl).toBe(good);
    }
  });

  it('sizes the reporting pool at half of DB_POOL_MAX (at least 1) unless REPORTING_POOL_MAX says otherwise', () => {
    expect(loadConfig({}).reportingPoolMax).toBe(5);
    expect(loadConfig({ DB_POOL_MAX: '7' }).reportingPoolMax).toBe(3);
    expect(loadConfig({ DB_POOL_MAX: '1' }).reportingPoolMax).toBe(1);
    expect(loadConfig({ DB_POOL_MAX: '4', REPORTING_POOL_MAX: '9' }).reportingPoolMax).toBe(9);
    for (const bad of ['0', '-1', '2.5', 'abc', '201']) {
      expect(() => loadConfig({ REPORTING_POOL_MAX: bad })).toThrow(/REPORTING_POOL_MAX/);
    }
  });

  it('reads REPORT_STATEMENT_TIMEOUT_MS: 15 s by default, a whole number of ms of at least 1', () => {
    expect(loadConfig({}).reportStatementTimeoutMs).toBe(15_000);
    expect(loadConfig({ REPORT_STATEMENT_TIMEOUT_MS: '250' }).reportStatementTimeoutMs).toBe(250);
    for (const bad of ['0', '-5', '1.5', 'soon']) {
      expect(() => loadConfig({ REPORT_STATEMENT_TIMEOUT_MS: bad })).toThrow(/REPORT_STATEMENT_TIMEOUT_MS/);
    }
  });

  it('reads COMPANY_INDUSTRY: unset (every industry) by default, trimmed, never blank', () => {
    expect(loadConfig({}).companyIndustry).toBeNull();
    expect(loadConfig({ COMPANY_INDUSTRY: '' }).companyIndustry).toBeNull();
    expect(loadConfig({ COMPANY_INDUSTRY: '  B2B services ' }).companyIndustry).toBe('B2B services');
    expect(() => loadConfig({ COMPANY_INDUSTRY: '   ' })).toThrow(/COMPANY_INDUSTRY/);
  });
});
