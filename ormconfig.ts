import 'reflect-metadata';
import { DataSource, DataSourceOptions } from 'typeorm';
import { entities } from './src/entities';
import { migrations } from './src/migrations';
import { SnakeNamingStrategy } from './src/db/snake-naming.strategy';
import { SOCKET_PORT } from './src/db/embedded';

/** Where the connection goes: a PostgreSQL URL, or the socket folder of the embedded PGlite. */
export type ConnectionTarget =
  | { url: string; poolMax?: number; schema?: string }
  | { socketDir: string };

/** The one DataSource definition; production and the embedded mode differ only in the target. */
export function dataSourceOptions(target: ConnectionTarget): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    logging: false,
    // gen_random_uuid() is built into PostgreSQL 13+ and PGlite: no extension to install.
    uuidExtension: 'pgcrypto' as const,
    installExtensions: false,
  };
  if ('socketDir' in target) {
    // PGlite has one session: a pool of one makes every transaction hold it alone.
    return { ...common, host: target.socketDir, port: SOCKET_PORT, username: 'postgres', database: 'postgres', extra: { max: 1 } };
  }
  return {
    ...common,
    url: target.url,
    schema: target.schema,
    extra: { max: target.poolMax ?? 10, ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}) },
  };
}

export function createDataSource(target: ConnectionTarget): DataSource {
  return new DataSource(dataSourceOptions(target));
}

/** For the TypeORM CLI (`npx typeorm -d dist/ormconfig.js migration:show`): PostgreSQL only. */
export default createDataSource({ url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
