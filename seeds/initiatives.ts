import { DAY, iso } from './calendar';
import type { Queryable } from './insert';
import { seededUuid } from './random';

/** Share of the demo window after which the ordering app's redesign lands (seeds/model.ts: PRD-APP). */
export const APP_REDESIGN_T = 0.55;

export interface InitiativeSeed {
  title: string;
  departmentCode: string;
  ownerKey: string;
  startsAt: number;
  expectedEffect: number;
  windowDays: number;
}

/**
 * The demo's two initiatives, placed on the stories the score model tells (seeds/model.ts), so
 * their measured effects come from the data and nothing is faked:
 * - the ordering app redesign starts when the model's PRD-APP level steps from 16 to 30: it worked
 *   (its NPS rose while the rest did not);
 * - Support EMEA's first-contact resolution drive starts ten weeks before the anchor, while the
 *   model's level there stays flat: it did not work (no significant difference in differences).
 */
export function demoInitiatives(start: number, anchor: number): InitiativeSeed[] {
  return [
    {
      title: 'Ordering app redesign',
      departmentCode: 'PRD-APP',
      ownerKey: 'lead-app',
      startsAt: start + APP_REDESIGN_T * (anchor - start),
      expectedEffect: 10,
      // The app's sample is small (in-app feedback, about 9% of responses): 16-week windows.
      windowDays: 112,
    },
    {
      title: 'Support EMEA first-contact resolution drive',
      departmentCode: 'CX-SUP-EMEA',
      ownerKey: 'lead-emea',
      startsAt: anchor - 70 * DAY,
      expectedEffect: 8,
      windowDays: 56,
    },
  ];
}

/**
 * Inserts the demo initiatives (kept when already there) and links to each the follow-up items of
 * its department created in its first weeks (up to 12), so their progress reflects real items.
 * Returns how many initiatives were inserted.
 */
export async function insertInitiatives(
  db: Queryable,
  seed: number,
  items: readonly InitiativeSeed[],
  deptId: (code: string) => string,
  personId: (key: string) => string,
  orgTime: string,
): Promise<number> {
  let inserted = 0;
  for (const s of items) {
    const id = seededUuid(seed, 'initiative', s.title);
    const rows = await db.query(
      `INSERT INTO initiatives (id, title, owner_id, department_id, starts_at, expected_effect, window_days, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [id, s.title, personId(s.ownerKey), deptId(s.departmentCode), iso(s.startsAt), s.expectedEffect, s.windowDays, orgTime],
    );
    if (!rows.length) continue;
    inserted++;
    await db.query(
      `INSERT INTO initiative_action_items (action_item_id, initiative_id)
       SELECT a.id, $1 FROM action_items a
       WHERE a.department_id = $2 AND a.created_at >= $3 AND a.created_at < $3::timestamptz + interval '28 days'
       ORDER BY a.created_at, a.id LIMIT 12
       ON CONFLICT (action_item_id) DO NOTHING`,
      [id, deptId(s.departmentCode), iso(s.startsAt)],
    );
  }
  return inserted;
}
