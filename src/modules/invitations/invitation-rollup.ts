import type { Transactional } from '../reporting/facts/rollup-rebuild';

type Queryable = { query(sql: string, params?: unknown[]): Promise<any> };

const COLUMNS = 'bucket_start, survey_id, department_id, channel, invitations, responded';
const STORED = `SELECT ${COLUMNS} FROM invitation_rollup_day WHERE invitations <> 0 OR responded <> 0`;
const RECOUNT = `SELECT date_trunc('day', sent_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS bucket_start, survey_id, department_id, channel,
    count(*)::int AS invitations, count(*) FILTER (WHERE response_id IS NOT NULL)::int AS responded
  FROM survey_invitations GROUP BY 1, 2, 3, 4`;

export interface InvitationRollupDifference {
  table: 'invitation_rollup_day';
  /** stored: a row the rollup holds that a recount does not give; recounted: the other way round. */
  side: 'stored' | 'recounted';
  row: Record<string, unknown>;
}

/**
 * Rows of invitation_rollup_day (kept by statement-level triggers on survey_invitations, migration
 * 1764002300000) that differ from a recount of the invitations (empty: exact). One pass over
 * survey_invitations (by its covering scan), so it takes a while at tens of millions.
 */
export async function compareInvitationRollup(db: Queryable): Promise<InvitationRollupDifference[]> {
  const rows: Record<string, unknown>[] = await db.query(
    `(SELECT 'stored' AS side, * FROM (${STORED} EXCEPT ALL ${RECOUNT}) a) UNION ALL (SELECT 'recounted' AS side, * FROM (${RECOUNT} EXCEPT ALL ${STORED}) b)`,
  );
  return rows.map(({ side, ...row }) => ({ table: 'invitation_rollup_day', side: side as 'stored' | 'recounted', row }));
}

/**
 * Recomputes invitation_rollup_day from the invitations in one transaction (`npm run rollups --
 * rebuild`), returning what differed before. Writers of invitations wait for it (SHARE lock).
 */
export async function rebuildInvitationRollup(db: Transactional): Promise<InvitationRollupDifference[]> {
  return db.transaction(async (q) => {
    await q.query('LOCK TABLE survey_invitations IN SHARE MODE');
    const before = await compareInvitationRollup(q);
    if (!before.length) return before;
    await q.query('DELETE FROM invitation_rollup_day');
    await q.query(`INSERT INTO invitation_rollup_day (${COLUMNS}) ${RECOUNT}`);
    return before;
  });
}
