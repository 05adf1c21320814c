import fs from 'node:fs';
import { Client } from 'pg';
import { adminUrl } from './pg-urls';

export default async function globalTeardown(): Promise<void> {
  if (process.env.TEST_PGLITE_DUMP) fs.rmSync(process.env.TEST_PGLITE_DUMP, { force: true });
  const pgUrl = process.env.TEST_DATABASE_URL;
  if (pgUrl && process.env.TEST_TEMPLATE_DB) {
    const admin = new Client({ connectionString: adminUrl(pgUrl) });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${process.env.TEST_TEMPLATE_DB}`);
    await admin.end();
  }
}
