import type { Queryable } from '../../context';
import { tagText } from '../../text';
import { HAS_THEME, HAS_VERBATIM } from './markers';
import type { ThemeSet } from './theme-set';

/** What tagging reads of a response. */
export interface TaggableResponse {
  id: string;
  comment: string | null;
  followUpAnswers: readonly { answer?: unknown }[] | null | undefined;
}

/** The texts tagged: the comment and every follow-up answer that is not blank (questions are the survey's words, not the customer's). */
export function verbatimTexts(r: Pick<TaggableResponse, 'comment' | 'followUpAnswers'>): string[] {
  const texts = [r.comment, ...(Array.isArray(r.followUpAnswers) ? r.followUpAnswers.map((a) => a?.answer) : [])];
  return texts.filter((t): t is string => typeof t === 'string' && t.trim() !== '');
}

/**
 * The rows response_themes should hold for a response: one per theme its texts mention (each text
 * tagged on its own, so a phrase never spans a comment and an answer), plus the markers (a
 * verbatim; at least one theme). Empty for a response without a verbatim.
 */
export function mentionIds(set: ThemeSet, r: TaggableResponse): string[] {
  const texts = verbatimTexts(r);
  if (!texts.length) return [];
  const codes = new Set<string>();
  for (const text of texts) for (const code of tagText(text, set.compiled)) codes.add(code);
  const ids = [...codes].map((c) => set.idByCode.get(c)!);
  return ids.length ? [...ids, HAS_VERBATIM, HAS_THEME] : [HAS_VERBATIM];
}

/**
 * Inserts mentions (response id, theme id), with the response's time, score, department and survey
 * copied from responses in the same statement; a pair already stored is left alone. Returns the
 * number inserted. The per-theme rollup follows through its triggers.
 */
export async function insertMentions(db: Queryable, pairs: readonly (readonly [string, string])[]): Promise<number> {
  if (!pairs.length) return 0;
  const rows: unknown[] = await db.query(
    `INSERT INTO response_themes (response_id, theme_id, responded_at, score, department_id, survey_id)
     SELECT x.r, x.t, r.responded_at, r.score, r.department_id, r.survey_id
     FROM unnest($1::uuid[], $2::uuid[]) AS x(r, t) JOIN responses r ON r.id = x.r
     ORDER BY 1, 2
     ON CONFLICT (response_id, theme_id) DO NOTHING
     RETURNING 1`,
    [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
  );
  return rows.length;
}

/** Tags responses just stored (no mentions yet) with `set`; returns the mentions written. */
export async function tagNewResponses(db: Queryable, set: ThemeSet, responses: readonly TaggableResponse[]): Promise<number> {
  const pairs: [string, string][] = [];
  for (const r of responses) for (const t of mentionIds(set, r)) pairs.push([r.id, t]);
  return insertMentions(db, pairs);
}

export interface RetagBatch {
  /** Responses examined. */
  processed: number;
  /** Mentions inserted plus mentions deleted. */
  changed: number;
  /** The last response id examined (the next batch starts after it); null when there was none. */
  last: string | null;
  /** Fewer responses than asked for: nothing is left after `last`. */
  done: boolean;
}

/**
 * Re-tags the next `size` responses after `after` (by id): what `set` finds in each is compared
 * with the mentions stored, and only the difference is written (deleted, then inserted). A
 * response whose mentions are already right writes nothing, so running a batch again changes
 * nothing, and the rollups, maintained from the rows written, count nothing twice.
 */
export async function retagBatch(db: Queryable, set: ThemeSet, after: string | null, size: number): Promise<RetagBatch> {
  const rows: { id: string; comment: string | null; follow_up_answers: unknown }[] = await db.query(
    `SELECT id, comment, follow_up_answers FROM responses WHERE ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id LIMIT $2`,
    [after, size],
  );
  if (!rows.length) return { processed: 0, changed: 0, last: null, done: true };
  const ids = rows.map((r) => r.id);
  const changed = await retagResponses(
    db,
    set,
    rows.map((r) => ({ id: r.id, comment: r.comment, followUpAnswers: r.follow_up_answers as TaggableResponse['followUpAnswers'] })),
  );
  return { processed: rows.length, changed, last: ids[ids.length - 1], done: rows.length < size };
}

/**
 * Brings the stored mentions of `responses` to what `set` finds in their texts now, writing only
 * the difference (deleted, then inserted); returns the mentions changed. Used by the re-tagging
 * batches and by a correction of a verbatim.
 */
export async function retagResponses(db: Queryable, set: ThemeSet, responses: readonly TaggableResponse[]): Promise<number> {
  if (!responses.length) return 0;
  const stored: { response_id: string; theme_id: string }[] = await db.query(
    'SELECT response_id, theme_id FROM response_themes WHERE response_id = ANY($1::uuid[])',
    [responses.map((r) => r.id)],
  );
  const have = new Set(stored.map((s) => `${s.response_id}/${s.theme_id}`));
  const want = new Set<string>();
  const add: [string, string][] = [];
  for (const r of responses) {
    for (const t of mentionIds(set, r)) {
      want.add(`${r.id}/${t}`);
      if (!have.has(`${r.id}/${t}`)) add.push([r.id, t]);
    }
  }
  const remove = stored.filter((s) => !want.has(`${s.response_id}/${s.theme_id}`));
  let changed = 0;
  if (remove.length) {
    // Wrapped in a SELECT: TypeORM returns [rows, count] for a bare DELETE.
    const [{ n }] = await db.query(
      `WITH d AS (DELETE FROM response_themes rt USING unnest($1::uuid[], $2::uuid[]) AS x(r, t) WHERE rt.response_id = x.r AND rt.theme_id = x.t RETURNING 1)
       SELECT count(*)::int AS n FROM d`,
      [remove.map((s) => s.response_id), remove.map((s) => s.theme_id)],
    );
    changed += n;
  }
  return changed + (await insertMentions(db, add));
}
