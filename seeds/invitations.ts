import type { Queryable } from './insert';

export interface InvitationSeedProgress {
  /** Months done and to do. */
  done: number;
  total: number;
  invitations: number;
}

/**
 * Survey invitations for the demo responses, generated in the database (the rows never travel):
 * for every demo response with a customer, `perResponse` invitations of its survey, department and
 * channel to its customer: the one it answered (sent 1-72 hours before, linked by response_id) and
 * perResponse - 1 that went unanswered, sent about 11 days apart before it. So invitations
 * outnumber responses perResponse to one and each customer has a history (about 8 responses and
 * 8 x perResponse invitations per customer in the demo). Deterministic (offsets from hashtext of
 * the response's externalRef) and idempotent (ON CONFLICT on the invitation's externalRef), one
 * month of responses per statement and transaction, so memory stays flat and a run can resume.
 */
export async function seedInvitations(
  db: Queryable,
  opts: { perResponse: number; onProgress?: (p: InvitationSeedProgress) => void },
): Promise<{ invitations: number; ms: number }> {
  if (!Number.isInteger(opts.perResponse) || opts.perResponse < 1 || opts.perResponse > 50) {
    throw new RangeError(`perResponse must be a whole number from 1 to 50, got ${opts.perResponse}`);
  }
  const started = performance.now();
  const months: { m: string }[] = await db.query(
    `SELECT date_trunc('month', min(responded_at) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS first, date_trunc('month', max(responded_at) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS last
     FROM responses WHERE external_ref LIKE 'DEMO-R-%'`,
  ).then(async ([r]: { first: string | null; last: string | null }[]) =>
    r.first ? db.query(`SELECT generate_series($1::timestamptz, $2::timestamptz, interval '1 month') AS m`, [r.first, r.last]) : [],
  );
  let invitations = 0;
  for (let i = 0; i < months.length; i++) {
    const rows = await db.query(
      `WITH ins AS (
         INSERT INTO survey_invitations (external_ref, customer_id, survey_id, department_id, channel, sent_at, response_id)
         SELECT 'DEMO-I-' || substr(r.external_ref, 8) || '-' || g, r.customer_id, r.survey_id, r.department_id, r.channel,
                CASE WHEN g = 0 THEN r.responded_at - make_interval(hours => 1 + abs(hashtext(r.external_ref)) % 72)
                     ELSE r.responded_at - make_interval(days => g * 11, hours => abs(hashtext(r.external_ref || g)) % 120) END,
                CASE WHEN g = 0 THEN r.id END
         FROM responses r CROSS JOIN generate_series(0, $3::int - 1) g
         WHERE r.responded_at >= $1 AND r.responded_at < $2::timestamptz + interval '1 month'
           AND r.customer_id IS NOT NULL AND r.external_ref LIKE 'DEMO-R-%'
         ORDER BY 1
         ON CONFLICT DO NOTHING
         RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [months[i].m, months[i].m, opts.perResponse],
    );
    invitations += rows[0].n;
    opts.onProgress?.({ done: i + 1, total: months.length, invitations });
  }
  return { invitations, ms: Math.round(performance.now() - started) };
}
