// First: tracing (when configured) must patch http, pg and graphql before they are loaded.
import { tracing } from './start-tracing';
import 'reflect-metadata';
import { ConfigError, loadConfig, redactUrl } from './common/config';
import { createLogger } from './common/logging';
import { createChangeFeed } from './db/change-feed';
import { openDatabase } from './db/database';
import { createApp } from './server';
import { prepareDemo } from './demo';
import { startWebhookWorker } from './modules/webhooks/worker';
import { startThemeTaggingWorker } from './modules/themes/tagging-worker';
import { startAlertWorker } from './modules/alerts/alert-worker';
import { ensureSearchIndex } from './db/text-search-index';
import { withStartupLock } from './db/startup-lock';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);
  const started = Date.now();
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolMax: config.dbPoolMax,
    reportingPoolMax: config.reportingPoolMax,
    reportStatementTimeoutMs: config.reportStatementTimeoutMs,
    logger,
    replicaUrls: config.replicas.urls,
    replicaRetryMs: config.replicas.retryMs,
    redisUrl: config.rateLimit.redisUrl,
  });
  logger.info(
    {
      mode: db.embedded ? 'embedded PGlite' : 'PostgreSQL',
      dataDir: db.embedded ? config.dataDir : undefined,
      reportingPool: db.embedded ? undefined : config.reportingPoolMax,
      reportTimeoutMs: config.reportStatementTimeoutMs,
      replicas: db.router ? config.replicas.urls.map(redactUrl) : undefined,
      ms: Date.now() - started,
    },
    'database ready, migrations applied',
  );
  // The search filter's language must exist, and its GIN index (english's comes with the migrations).
  // Under the start-up lock with the demo seeding below: instances starting together take turns.
  const startupWork = async () => {
    await ensureSearchIndex(db.dataSource, config.textSearchLanguage, { concurrently: !db.embedded, logger });
  };
  try {
    await (db.embedded ? startupWork() : withStartupLock(db.dataSource, startupWork));
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    await db.close();
    process.exit(2);
  }
  // Only the server listens for data changes: the report cache is its only reader (CLI tools open no feed).
  const changes = config.reportCache.ttlMs > 0 ? await createChangeFeed(db.dataSource, { url: config.databaseUrl, logger }) : undefined;
  const deps = { ds: db.dataSource, config, logger, reports: db.reports, changes, router: db.router };
  const demo = () => prepareDemo(deps, { embedded: !!db.embedded });
  await (db.embedded ? demo() : withStartupLock(db.dataSource, demo));
  const app = await createApp(deps);
  const webhooks = config.webhooks.enabled
    ? startWebhookWorker(deps, app.services, {
        pollIntervalMs: config.webhooks.pollIntervalMs,
        maxAttempts: config.webhooks.maxAttempts,
        timeoutMs: config.webhooks.timeoutMs,
      })
    : null;
  // Re-tags stored responses after the themes change (and, once, those stored before themes existed).
  const tagging = config.themeTagging.enabled
    ? startThemeTaggingWorker(deps, app.services, { pollIntervalMs: config.themeTagging.pollIntervalMs, batchSize: config.themeTagging.batchSize })
    : null;
  // Significant-shift alerts: each rule tested once per complete window (src/modules/alerts).
  const alerts = config.alerts.enabled
    ? startAlertWorker(deps, app.services, { pollIntervalMs: config.alerts.pollIntervalMs, graceMs: config.alerts.graceMs, q: config.alerts.q })
    : null;
  const port = await app.listen(config.port, config.host);
  logger.info({ url: `http://localhost:${port}/graphql`, ms: Date.now() - started, tracing: !!tracing }, 'NPS API ready');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining requests');
    const timer = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    try {
      await app.stop();
      await webhooks?.stop();
      await tagging?.stop();
      await alerts?.stop();
      logger.info('requests drained, webhook, re-tagging and alert workers stopped; closing the reporting pool and the database');
      await changes?.close();
      await db.close();
      await tracing?.shutdown();
      logger.info('stopped cleanly');
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  console.error('Failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
