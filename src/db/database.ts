import { DataSource } from 'typeorm';
import { createDataSource } from '../../ormconfig';
import { EmbeddedDatabase, startEmbedded } from './embedded';

export interface Database {
  dataSource: DataSource;
  /** Present when running on the embedded PGlite. */
  embedded?: EmbeddedDatabase;
  close(): Promise<void>;
}

/** Opens PostgreSQL when a URL is given, else the embedded PGlite in dataDir; applies pending migrations. */
export async function openDatabase(opts: {
  databaseUrl?: string;
  dataDir?: string;
  poolMax?: number;
  migrate?: boolean;
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
  return {
    dataSource,
    embedded,
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.close();
    },
  };
}
