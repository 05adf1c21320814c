import type { DataSource } from 'typeorm';

/** pg_advisory_lock key of start-up work (migrations, search index, demo seeding): one instance at a time. */
export const STARTUP_LOCK = 7_264_002_400;

/**
 * Runs `fn` holding a session advisory lock on a connection of its own, so that several API
 * instances starting at the same moment migrate (and seed) one after another: the first does the
 * work, the others then find nothing pending. PostgreSQL only: the embedded database has one
 * connection (and serves one instance), where the lock's connection would starve `fn`.
 */
export async function withStartupLock<T>(ds: DataSource, fn: () => Promise<T>): Promise<T> {
  const runner = ds.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK]);
    try {
      return await fn();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [STARTUP_LOCK]);
    }
  } finally {
    await runner.release();
  }
}
