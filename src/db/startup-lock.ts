import type { DataSource } from 'typeorm';

/** pg_advisory_lock key of start-up work (migrations, search index, demo seeding): one instance at a time. */
export const STARTUP_LOCK = 7_264_002_400;
const POLL_MS = 200;

/**
 * Runs `fn` holding a session advisory lock on a connection of its own, so that several API
 * instances starting at the same moment migrate (and seed) one after another: the first does the
 * work, the others then find nothing pending. PostgreSQL only: the embedded database has one
 * connection (and serves one instance), where the lock's connection would starve `fn`.
 */
export async function withStartupLock<T>(ds: DataSource, fn: () => Promise<T>): Promise<T> {
  const runner = ds.createQueryRunner();
  try {
    // Polled, not waited for with pg_advisory_lock: a session blocked in that statement holds a
    // snapshot, and the lock holder's CREATE INDEX CONCURRENTLY (a migration, the search index)
    // waits for every snapshot to end: each would wait for the other, undetected.
    for (;;) {
      const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [STARTUP_LOCK]);
      if (locked) break;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    try {
      return await fn();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [STARTUP_LOCK]);
    }
  } finally {
    await runner.release();
  }
}
