import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createDataSource } from '../../ormconfig';
import { startEmbedded } from '../../src/db/embedded';
import { adminUrl, databaseUrl } from './pg-urls';

/**
 * Migrates one database for the whole run: on PGlite a dump every test file loads (0.5 s instead of
 * 3 s + migrations), on PostgreSQL a template database every test file clones.
 */
export default async function globalSetup(): Promise<void> {
  const pgUrl = process.env.TEST_DATABASE_URL;
  if (pgUrl) {
    const template = `nps_test_tpl_${process.pid}`;
    const admin = new Client({ connectionString: adminUrl(pgUrl) });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
    await admin.end();
    const ds = createDataSource({ url: databaseUrl(pgUrl, template), poolMax: 1 });
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    await ds.destroy();
    process.env.TEST_TEMPLATE_DB = template;
    return;
  }
  const embedded = await startEmbedded({});
  const ds = createDataSource({ socketDir: embedded.socketDir });
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
  const dump = await embedded.db.dumpDataDir('none');
  await embedded.close();
  const file = path.join(os.tmpdir(), `nps-test-dump-${process.pid}.tar`);
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  process.env.TEST_PGLITE_DUMP = file;
}
