/**
 * Which failures of a statement on a read replica are the replica's, not the statement's: the
 * statement is then run again on the primary (src/db/replicas/read-router.ts).
 *
 * - the replica is unreachable or went away: refused or reset connection, connection terminated,
 *   server shutting down or starting (57P01, 57P02, 57P03), any connection exception (08xxx);
 * - the standby cancelled it: "canceling statement due to conflict with recovery" (40001, or
 *   40P01 / 57P04 for lock and dropped-database conflicts). Replay needed to remove row versions
 *   the statement could still see, and waited max_standby_streaming_delay for it;
 * - it tried to write (25006 read_only_sql_transaction): a read-only operation that writes after
 *   all belongs on the primary.
 */
export type ReplicaFailure = 'unavailable' | 'recovery-conflict' | 'read-only';

const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

function parts(err: unknown): { code?: string; message: string } {
  const e = err as { code?: string; message?: string; driverError?: { code?: string; message?: string } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return { code, message: `${e?.message ?? ''} ${e?.driverError?.message ?? ''}` };
}

/** What kind of replica failure `err` is, or null when the statement itself failed (it fails on the primary too). */
export function replicaFailure(err: unknown): ReplicaFailure | null {
  if (!err) return null;
  const { code, message } = parts(err);
  if (/conflict with recovery/i.test(message) && (code === '40001' || code === '40P01' || code === '57P04' || code === undefined)) return 'recovery-conflict';
  if (code === '25006') return 'read-only';
  if ((code && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) || /Connection terminated|connect ECONNREFUSED|Client has encountered a connection error/i.test(message)) {
    return 'unavailable';
  }
  return null;
}
