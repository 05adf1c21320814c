import type { RequestContext } from '../../context';
import { transaction } from '../../transaction';
import { retagBatch } from './tag-responses';
import type { ThemeSetCache } from './theme-set';
import { themeSetVersion } from './theme-set';
import { jobFromRow } from './theme-rows';
import { ThemeTaggingJob, ThemeTaggingStatus } from './theme.types';

/**
 * The background re-tagging of stored responses (theme_tagging_jobs): queued by every change of
 * what tagging depends on, in the changing transaction, and run a batch at a time by the worker
 * (tagging-worker.ts). One job per version of the theme set: queueing supersedes the unfinished ones.
 */

/**
 * Inside a theme writer's transaction, first: moves theme_set.version on (which waits for the
 * writers of responses tagging with the old set, and makes the next ones wait for this commit),
 * supersedes unfinished jobs and queues one for the new version.
 */
export async function queueRetagging(ctx: RequestContext, reason: string): Promise<ThemeTaggingJob> {
  // Wrapped in a SELECT (as every UPDATE ... RETURNING here): TypeORM returns [rows, count] for a bare UPDATE.
  const [{ version }] = await ctx.em.query(`WITH v AS (UPDATE theme_set SET version = version + 1, changed_at = now() WHERE id = 1 RETURNING version) SELECT version FROM v`);
  await ctx.em.query(`UPDATE theme_tagging_jobs SET status = 'SUPERSEDED', finished_at = now() WHERE status IN ('PENDING', 'RUNNING')`);
  const [row] = await ctx.em.query(`INSERT INTO theme_tagging_jobs (theme_version, reason) VALUES ($1, $2) RETURNING *`, [version, reason]);
  return jobFromRow(row);
}

/**
 * The newest job (the current one when it is PENDING or RUNNING); null before any. Its counts are
 * organisation-wide: a caller confined to a department subtree (MANAGER) gets the status and the
 * progress in percent only.
 */
export async function latestJob(ctx: RequestContext): Promise<ThemeTaggingJob | null> {
  const [row] = await ctx.em.query(`SELECT * FROM theme_tagging_jobs ORDER BY theme_version DESC, created_at DESC LIMIT 1`);
  if (!row) return null;
  const job = jobFromRow(row);
  return ctx.services.access.departmentScope(ctx) ? Object.assign(job, { total: null, processed: null, changed: null }) : job;
}

/** How long a re-tagging batch waits for a lock before it gives up (and is run again). */
export const BATCH_LOCK_TIMEOUT_MS = 500;

/** A batch gave up on a lock (lock_timeout, 55P03) or lost a deadlock (40P01): run it again. */
export function isLockConflict(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return code === '55P03' || code === '40P01';
}

/**
 * One batch of the unfinished job, in a transaction of its own: the job row is locked (SKIP LOCKED:
 * two workers never run the same batch; the other finds nothing to do), the theme set read FOR
 * SHARE, the next `batchSize` responses after the job's cursor re-tagged (retagBatch), and the
 * cursor and counts moved on; fewer responses than asked for finishes it. Returns the job as the
 * batch left it, or null when there was nothing to do.
 */
export async function runRetagBatch(ctx: RequestContext, cache: ThemeSetCache, batchSize: number): Promise<ThemeTaggingJob | null> {
  return transaction(ctx, async (ctx) => {
    // A batch yields to writers: rather than wait long for a rollup row (or meet a writer in a
    // deadlock, which would cost the writer its call), it gives up and runs again (it is idempotent).
    await ctx.em.query(`SET LOCAL lock_timeout = '${BATCH_LOCK_TIMEOUT_MS}ms'`);
    const version = await themeSetVersion(ctx.em, true);
    const [job] = await ctx.em.query(
      `SELECT * FROM theme_tagging_jobs WHERE status IN ('PENDING', 'RUNNING') ORDER BY theme_version DESC LIMIT 1 FOR UPDATE SKIP LOCKED`,
    );
    if (!job) return null;
    if (Number(job.theme_version) !== version) {
      // Cannot happen through queueRetagging (it supersedes in the same transaction); a job left by hand.
      const [row] = await ctx.em.query(`WITH j AS (UPDATE theme_tagging_jobs SET status = 'SUPERSEDED', finished_at = now() WHERE id = $1 RETURNING *) SELECT * FROM j`, [job.id]);
      return jobFromRow(row);
    }
    if (job.status === ThemeTaggingStatus.PENDING) {
      const [{ n }] = await ctx.em.query('SELECT count(*)::int AS n FROM responses');
      Object.assign(job, { status: ThemeTaggingStatus.RUNNING, total: n, started_at: ctx.now() });
    }
    const set = await cache.at(ctx.em, version);
    const batch = await retagBatch(ctx.em, set, job.cursor, batchSize);
    const [row] = await ctx.em.query(
      `WITH j AS (UPDATE theme_tagging_jobs SET status = $2, total = $3, started_at = $4, processed = processed + $5, changed = changed + $6,
         cursor = coalesce($7::uuid, cursor), finished_at = CASE WHEN $8 THEN now() END
       WHERE id = $1 RETURNING *) SELECT * FROM j`,
      [job.id, batch.done ? ThemeTaggingStatus.DONE : ThemeTaggingStatus.RUNNING, job.total, job.started_at, batch.processed, batch.changed, batch.last, batch.done],
    );
    return jobFromRow(row);
  });
}

/** Runs batches until no job is left unfinished (tests, tools); returns the last job it ran. */
export async function runRetaggingToEnd(ctx: RequestContext, cache: ThemeSetCache, batchSize: number): Promise<ThemeTaggingJob | null> {
  let last: ThemeTaggingJob | null = null;
  for (;;) {
    const job = await runRetagBatch(ctx, cache, batchSize);
    if (!job) return last;
    last = job;
  }
}
