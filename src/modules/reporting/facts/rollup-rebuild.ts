import type { Queryable } from '../../../context';
import { DAY_MS } from './time-segments';
import { RollupDef, ROLLUPS } from './rollup-defs';
import { bucketExpr } from './rollup-sql';
import { countsSelect } from '../nps-category';

/** One rollup row that differs from a recount of the raw rows. */
export interface RollupDifference {
  table: string;
  key: Record<string, unknown>;
  stored: { promoters: number; passives: number; detractors: number } | null;
  recounted: { promoters: number; passives: number; detractors: number } | null;
}

/** What a rollup counts: responses, or for a per-theme rollup the mentions (response_themes, with their copies). */
const sourceOf = (def: RollupDef) => def.source ?? 'responses';

const recountSql = (def: RollupDef, where: string) =>
  `SELECT ${bucketExpr(def.grain, 'responded_at')} AS bucket_start, ${def.dims.join(', ')},
          ${countsSelect(sourceOf(def))}
   FROM ${sourceOf(def)} WHERE ${where} GROUP BY ${['bucket_start', ...def.dims].map((_, i) => i + 1).join(', ')}`;

/**
 * The mentions whose copies of their response (time, score, department, survey) differ from it:
 * the per-theme rollups are counted from those copies, which a trigger on responses keeps equal.
 */
const STALE_COPIES = `FROM response_themes rt JOIN responses r ON r.id = rt.response_id
  WHERE (rt.responded_at, rt.score, rt.department_id, rt.survey_id) IS DISTINCT FROM (r.responded_at, r.score, r.department_id, r.survey_id)`;

async function staleCopies(db: Queryable): Promise<RollupDifference[]> {
  const rows: { response_id: string; theme_id: string }[] = await db.query(`SELECT rt.response_id, rt.theme_id ${STALE_COPIES} ORDER BY 1, 2`);
  return rows.map((r) => ({ table: 'response_themes', key: { response_id: r.response_id, theme_id: r.theme_id }, stored: null, recounted: null }));
}

const storedSql = (def: RollupDef, where: string) =>
  `SELECT bucket_start, ${def.dims.join(', ')}, promoters, passives, detractors FROM ${def.table}
   WHERE ${where} AND promoters + passives + detractors <> 0`;

/** The rows of one rollup over [lo, hi) that differ from a recount (EXCEPT both ways: NULL keys compare equal). */
async function differences(db: Queryable, def: RollupDef, lo: string, hi: string): Promise<RollupDifference[]> {
  const range = (col: string) => `${col} >= $1::timestamptz AND ${col} < $2::timestamptz`;
  const stored = storedSql(def, range('bucket_start'));
  const recount = recountSql(def, range('responded_at'));
  const rows: Record<string, any>[] = await db.query(
    `(SELECT 'stored' AS side, * FROM (${stored} EXCEPT ${recount}) a)
     UNION ALL (SELECT 'recounted' AS side, * FROM (${recount} EXCEPT ${stored}) b)`,
    [lo, hi],
  );
  const byKey = new Map<string, RollupDifference>();
  for (const row of rows) {
    const key = Object.fromEntries(['bucket_start', ...def.dims].map((k) => [k, k === 'bucket_start' ? new Date(row[k]).toISOString() : row[k]]));
    const id = JSON.stringify(key);
    const diff = byKey.get(id) ?? { table: def.table, key, stored: null, recounted: null };
    diff[row.side as 'stored' | 'recounted'] = { promoters: row.promoters, passives: row.passives, detractors: row.detractors };
    byKey.set(id, diff);
  }
  return [...byKey.values()];
}

/** The whole days from the earliest to the latest instant any response, mention or rollup row holds. */
async function extent(db: Queryable): Promise<{ lo: number; hi: number } | null> {
  const parts = [
    'SELECT min(responded_at) AS lo, max(responded_at) AS hi FROM responses',
    'SELECT min(responded_at), max(responded_at) FROM response_themes',
    ...ROLLUPS.map((d) => `SELECT min(bucket_start), max(bucket_start) FROM ${d.table}`)];
  const [row] = await db.query(`SELECT min(lo) AS lo, max(hi) AS hi FROM (${parts.join(' UNION ALL ')}) x`);
  if (!row?.lo) return null;
  return { lo: Math.floor(new Date(row.lo).getTime() / DAY_MS) * DAY_MS, hi: (Math.floor(new Date(row.hi).getTime() / DAY_MS) + 1) * DAY_MS };
}

/**
 * Every difference between the rollups and a recount of the raw rows (empty: exact), and every
 * mention whose copy of its response is stale (table response_themes, counts null). Reads only.
 */
export async function compareRollups(db: Queryable, chunkDays = 62): Promise<RollupDifference[]> {
  const span = await extent(db);
  const out: RollupDifference[] = await staleCopies(db);
  if (!span) return out;
  for (let lo = span.lo; lo < span.hi; lo += chunkDays * DAY_MS) {
    const hi = new Date(Math.min(span.hi, lo + chunkDays * DAY_MS)).toISOString();
    for (const def of ROLLUPS) out.push(...(await differences(db, def, new Date(lo).toISOString(), hi)));
  }
  return out;
}

/**
 * Runs `fn` in one transaction of its own (a TypeORM DataSource, or a single connection). Rollup
 * maintenance is not request work: the CLI (src/cli/rollups.ts) and tests hand in their database.
 */
export interface Transactional {
  transaction<T>(fn: (db: Queryable) => Promise<T>): Promise<T>;
}

/**
 * Recomputes every rollup from the raw rows, a chunk of days at a time, while the server runs: each
 * chunk takes a SHARE lock on responses (writers wait for that chunk's few milliseconds, and the
 * recount sees every committed row), reports the rows that differed, deletes the chunk's rollup rows
 * and inserts the recount. Returns the differences found (and fixed).
 */
export async function rebuildRollups(
  db: Transactional & Queryable,
  opts: { chunkDays?: number; onChunk?: (done: number, total: number) => void } = {},
): Promise<RollupDifference[]> {
  const chunkDays = opts.chunkDays ?? 7;
  const found: RollupDifference[] = [];
  // First the mentions' copies of their responses, from which the per-theme rollups are recounted.
  await db.transaction(async (tx) => {
    await tx.query('LOCK TABLE responses, response_themes IN SHARE MODE');
    const stale = await staleCopies(tx);
    if (!stale.length) return;
    found.push(...stale);
    await tx.query(`UPDATE response_themes rt SET responded_at = r.responded_at, score = r.score, department_id = r.department_id, survey_id = r.survey_id
      FROM responses r WHERE r.id = rt.response_id
        AND (rt.responded_at, rt.score, rt.department_id, rt.survey_id) IS DISTINCT FROM (r.responded_at, r.score, r.department_id, r.survey_id)`);
  });
  const span = await extent(db);
  if (!span) return found;
  const total = Math.ceil((span.hi - span.lo) / (chunkDays * DAY_MS));
  let done = 0;
  for (let lo = span.lo; lo < span.hi; lo += chunkDays * DAY_MS) {
    const a = new Date(lo).toISOString();
    const b = new Date(Math.min(span.hi, lo + chunkDays * DAY_MS)).toISOString();
    await db.transaction(async (tx) => {
      await tx.query('LOCK TABLE responses, response_themes IN SHARE MODE');
      const before = found.length;
      for (const def of ROLLUPS) {
        found.push(...(await differences(tx, def, a, b)));
        await tx.query(`DELETE FROM ${def.table} WHERE bucket_start >= $1::timestamptz AND bucket_start < $2::timestamptz`, [a, b]);
        await tx.query(
          `INSERT INTO ${def.table} (bucket_start, ${def.dims.join(', ')}, promoters, passives, detractors)
           ${recountSql(def, 'responded_at >= $1::timestamptz AND responded_at < $2::timestamptz')}`,
          [a, b],
        );
      }
      // Figures counted from the repaired rows changed: cached report answers must go (at commit).
      if (found.length > before) await tx.query(`SELECT pg_notify('data_changed', '')`);
    });
    opts.onChunk?.(++done, total);
  }
  return found;
}
