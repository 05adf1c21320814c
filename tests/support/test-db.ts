import 'reflect-metadata';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../ormconfig';
import { startEmbedded } from '../../src/db/embedded';
import { adminUrl, databaseUrl } from './pg-urls';

export interface TestDatabase {
  dataSource: DataSource;
  kind: 'pglite' | 'postgres';
  /** The database's URL on PostgreSQL (for a second pool, such as the reporting one). */
  url?: string;
  close(): Promise<void>;
}

/**
 * A freshly migrated database of this test file's own: a PGlite loaded from the run's dump, or,
 * with TEST_DATABASE_URL, a PostgreSQL database cloned from the run's template.
 */
export async function openTestDatabase(opts: { poolMax?: number } = {}): Promise<TestDatabase> {
  const pgUrl = process.env.TEST_DATABASE_URL;
  if (pgUrl) {
    const template = process.env.TEST_TEMPLATE_DB;
    if (!template) throw new Error('TEST_TEMPLATE_DB missing: run through jest (globalSetup)');
    const name = `nps_test_${randomBytes(6).toString('hex')}`;
    const admin = new Client({ connectionString: adminUrl(pgUrl) });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    await admin.end();
    const url = databaseUrl(pgUrl, name);
    const dataSource = createDataSource({ url, poolMax: opts.poolMax ?? 5 });
    await dataSource.initialize();
    return {
      dataSource,
      kind: 'postgres',
      url,
      async close() {
        await dataSource.destroy();
        const a = new Client({ connectionString: adminUrl(pgUrl) });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.end();
      },
    };
  }
  const dumpFile = process.env.TEST_PGLITE_DUMP;
  if (!dumpFile) throw new Error('TEST_PGLITE_DUMP missing: run through jest (globalSetup)');
  const embedded = await startEmbedded({ loadDataDir: new Blob([fs.readFileSync(dumpFile)]) });
  const dataSource = createDataSource({ socketDir: embedded.socketDir });
  await dataSource.initialize();
  return {
    dataSource,
    kind: 'pglite',
    async close() {
      await dataSource.destroy();
      await embedded.close();
      fs.rmSync(embedded.socketDir, { recursive: true, force: true });
    },
  };
}
