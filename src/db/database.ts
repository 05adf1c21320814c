import { DataSource } from 'typeorm';
import { createDataSource } from '../../ormconfig';
import { createLogger, Logger } from '../common/logging';

const silentLogger = createLogger('silent');
import { EmbeddedDatabase, startEmbedded } from './embedded';
import { createEmbeddedReportRunner, createPoolReportRunner, ReportRunner } from './report-runner';
import { ReadRouter } from './replicas/read-router';
import { createWritePositions } from './replicas/write-positions';
import { withStartupLock } from './startup-lock';

/** The statement timeout of reports when the caller names none (REPORT_STATEMENT_TIMEOUT_MS's default). */
export const DEFAULT_REPORT_TIMEOUT_MS = 15_000;

export interface Database {
  dataSource: DataSource;
  /** Where reporting aggregates run (AppDeps.reports): its own pool on PostgreSQL. */
  reports: ReportRunner;
  /** Present when running on the embedded PGlite. */
  embedded?: EmbeddedDatabase;
  /** Present with read replicas (replicaUrls): where read-only requests read (AppDeps.router). */
  router?: ReadRouter;
  /** Ends the replicas' connections, the reporting pool, then the DataSource, then the embedded database. */
  close(): Promise<void>;
}

/** Opens PostgreSQL when a URL is given, else the embedded PGlite in dataDir; applies pending migrations. */
export async function openDatabase(opts: {
  databaseUrl?: string;
  dataDir?: string;
  poolMax?: number;
  /** Connections of the reporting pool (PostgreSQL); default half of poolMax, at least 1. */
  reportingPoolMax?: number;
  reportStatementTimeoutMs?: number;
  migrate?: boolean;
  logger?: Logger;
  /** DATABASE_REPLICA_URLS (PostgreSQL only): streaming replicas of databaseUrl. */
  replicaUrls?: string[];
  /** REPLICA_RETRY_MS: how long a failed replica is left out. */
  replicaRetryMs?: number;
  /** REDIS_URL: read-your-writes positions shared by every instance. */
  redisUrl?: string | null;
}): Promise<Database> {
  if (opts.replicaUrls?.length && !opts.databaseUrl) throw new Error('read replicas need a PostgreSQL primary (DATABASE_URL)');
  const embedded = opts.databaseUrl ? undefined : await startEmbedded({ dataDir: opts.dataDir });
  const dataSource = embedded
    ? createDataSource({ socketDir: embedded.socketDir })
    : createDataSource({ url: opts.databaseUrl!, poolMax: opts.poolMax });
  try {
    await dataSource.initialize();
    // Several instances starting at once: one migrates, the others wait for it and find nothing to do.
    if (opts.migrate !== false) {
      const migrate = () => dataSource.runMigrations({ transaction: 'each' });
      await (embedded ? migrate() : withStartupLock(dataSource, migrate));
    }
  } catch (e) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.close();
    throw e;
  }
  const timeoutMs = opts.reportStatementTimeoutMs ?? DEFAULT_REPORT_TIMEOUT_MS;
  const reports = embedded
    ? createEmbeddedReportRunner(dataSource, { timeoutMs })
    : createPoolReportRunner({
        url: opts.databaseUrl!,
        max: opts.reportingPoolMax ?? Math.max(1, Math.floor((opts.poolMax ?? 10) / 2)),
        timeoutMs,
        logger: opts.logger,
        queryLogger: dataSource.logger,
      });
  let router: ReadRouter | undefined;
  if (opts.replicaUrls?.length) {
    try {
      router = await ReadRouter.open({
        urls: opts.replicaUrls,
        primary: dataSource,
        primaryReports: reports,
        positions: createWritePositions({ redisUrl: opts.redisUrl ?? null, logger: opts.logger ?? silentLogger }),
        retryMs: opts.replicaRetryMs ?? 5_000,
        poolMax: opts.poolMax,
        reportingPoolMax: opts.reportingPoolMax ?? Math.max(1, Math.floor((opts.poolMax ?? 10) / 2)),
        reportTimeoutMs: timeoutMs,
        logger: opts.logger ?? silentLogger,
      });
    } catch (e) {
      await reports.close();
      await dataSource.destroy();
      throw e;
    }
  }
  return {
    dataSource,
    reports,
    embedded,
    router,
    async close() {
      await router?.close();
      await reports.close();
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.close();
    },
  };
}
