import { AppConfig, ConfigError, loadConfig } from '../common/config';
import { Database, openDatabase } from '../db/database';
import { DataDirLockedError } from '../db/embedded';

/**
 * What a command-line tool needs first: the configuration and the database (DATABASE_URL, or the
 * embedded one in DATA_DIR). A bad configuration prints its message and gives exit code 2; an
 * embedded folder held by a running server prints why and gives exit code 1.
 */
export async function openForCli(env: NodeJS.ProcessEnv, print: (line: string) => void): Promise<{ config: AppConfig; db: Database } | number> {
  let config: AppConfig;
  try {
    config = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      print(e.message);
      return 2;
    }
    throw e;
  }
  try {
    return { config, db: await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: 2 }) };
  } catch (e) {
    if (e instanceof DataDirLockedError) {
      print(e.message);
      return 1;
    }
    throw e;
  }
}
