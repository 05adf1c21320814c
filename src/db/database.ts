import { DataSource } from 'typeorm';
import { createDataSource } from '../../ormconfig';
import type { Logger } from '../common/logging';
import { EmbeddedDatabase, startEmbedded } from './embedded';
import { createEmbeddedReportRunner, createPoolReportRunner, ReportRunner } from './report-runner';

/** The statement timeout of reports when the caller names none (REPORT_STATEMENT_TIMEOUT_MS's default). */
export const DEFAULT_REPORT_TIMEOUT_MS = 15_000;

export interface Database {
  dataSource: DataSource;
  /** Where reporting aggregates run (AppDeps.reports): its own pool on PostgreSQL. */
  reports: ReportRunner;
  /** Present when running on the embedded PGlite. */
  embedded?: EmbeddedDatabase;
  /** Ends the reporting pool, then the DataSource, then the embedded database. */
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
}): Promise<Database> {
  const embedded = opts.databaseUrl ? undefined : await startEmbedded({ dataDir: opts.dataDir });
  const dataSource = embedded
    ? createDataSource({ socketDir: embedded.socketDir })
    : createDataSource({ url: opts.databaseUrl!, poolMax: opts.poolMax });
  try {
    await dataSource.initialize();
    if (opts.migrate !== false) await dataSource.runMigrations({ transaction: 'each' });
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
  return {
    dataSource,
    reports,
    embedded,
    async close() {
      await reports.close();
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.close();
    },
  };
}
