import type { RequestContext } from '../context';

/** The outcome of claiming a scheduled job's slot. */
export interface ScheduleClaim {
  /** This caller runs the job now; every other caller for the same slot got false. */
  claimed: boolean;
  /** Milliseconds until the next slot is due (by the database's clock). */
  dueInMs: number;
}

/**
 * Claims the current slot of scheduled job `name`, run every `intervalMs`: of every instance that
 * asks while it is due, exactly one gets claimed = true (one row of scheduled_jobs, updated under
 * its row lock only while next_run_at has passed), and the slot moves on by intervalMs. The
 * database's clock decides, so instances whose clocks differ still agree.
 */
export async function claimScheduledRun(ctx: RequestContext, name: string, intervalMs: number): Promise<ScheduleClaim> {
  const claimed: { due_in_ms: number }[] = await ctx.em.query(
    `INSERT INTO scheduled_jobs (name, next_run_at, last_started_at, runs)
     VALUES ($1, clock_timestamp() + $2 * interval '1 millisecond', clock_timestamp(), 1)
     ON CONFLICT (name) DO UPDATE
       SET next_run_at = EXCLUDED.next_run_at, last_started_at = EXCLUDED.last_started_at, runs = scheduled_jobs.runs + 1
       WHERE scheduled_jobs.next_run_at <= clock_timestamp()
     RETURNING (extract(epoch FROM next_run_at - clock_timestamp()) * 1000)::float8 AS due_in_ms`,
    [name, intervalMs],
  );
  if (claimed.length) return { claimed: true, dueInMs: Math.max(0, claimed[0].due_in_ms) };
  const [row] = await ctx.em.query(`SELECT (extract(epoch FROM next_run_at - clock_timestamp()) * 1000)::float8 AS due_in_ms FROM scheduled_jobs WHERE name = $1`, [name]);
  return { claimed: false, dueInMs: Math.max(0, row?.due_in_ms ?? 0) };
}

/** Makes job `name` due again now: a run that left work over asks for the next slot at once. */
export async function dueNow(ctx: RequestContext, name: string): Promise<void> {
  await ctx.em.query(`UPDATE scheduled_jobs SET next_run_at = clock_timestamp() WHERE name = $1`, [name]);
}
