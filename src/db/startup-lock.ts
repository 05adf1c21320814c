import { Client } from 'pg';
import type { DataSource } from 'typeorm';

/** pg_advisory_lock key of start-up work (migrations, search index, demo seeding): one instance at a time. */
export const STARTUP_LOCK = 7_264_002_400;
const POLL_MS = 200;

/**
 * Runs `fn` holding a session advisory lock, so that several API instances starting at the same
 * moment migrate (and seed) one after another: the first does the work, the others then find
 * nothing pending. The lock is held on a connection of its own, outside the DataSource's pool (a
 * command-line tool's pool of one would otherwise be left with nothing for `fn`). PostgreSQL only:
 * the embedded database has one connection and serves one instance.
 *
 * The lock is polled (pg_try_advisory_lock), not waited for with pg_advisory_lock: a session
 * blocked in that statement holds a snapshot, and the holder's CREATE INDEX CONCURRENTLY (a
 * migration, the search index) waits for every snapshot to end: each would wait for the other.
 */
export async function withStartupLock<T>(ds: DataSource, fn: () => Promise<T>): Promise<T> {
  const url = (ds.options as { url?: string }).url;
  if (!url) throw new Error('withStartupLock needs a DataSource opened by URL (PostgreSQL)');
  const client = new Client({ connectionString: url, application_name: 'nps-api-startup-lock' });
  client.on('error', () => undefined); // a lost connection releases the lock; fn's own errors still surface
  await client.connect();
  try {
    for (;;) {
      const { rows } = await client.query('SELECT pg_try_advisory_lock($1) AS locked', [STARTUP_LOCK]);
      if (rows[0].locked) break;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    return await fn();
  } finally {
    await client.end().catch(() => undefined);
  }
}
