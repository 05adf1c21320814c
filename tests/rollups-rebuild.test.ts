import { seedDemo } from '../seeds';
import { DEMO_ANCHOR } from './support/demo-anchor';
import { runRollups } from '../src/cli/rollups';
import { compareRollups, rebuildRollups } from '../src/modules/reporting/facts/rollup-rebuild';
import { compareClosedLoopCounters, rebuildClosedLoopCounters } from '../src/modules/closed-loop/closed-loop-counters';
import { compareInvitationRollup, rebuildInvitationRollup } from '../src/modules/invitations/invitation-rollup';
import { openTestDatabase, TestDatabase } from './support/test-db';

let db: TestDatabase;
const tx = () => ({ query: (sql: string, p?: unknown[]) => db.dataSource.query(sql, p), transaction: <T>(fn: (q: any) => Promise<T>) => db.dataSource.transaction((em) => fn(em)) });

beforeAll(async () => {
  db = await openTestDatabase();
  await seedDemo(db.dataSource, { responses: 3000, anchor: DEMO_ANCHOR });
}, 120_000);
afterAll(() => db.close());

describe('rollup check and rebuild', () => {
  it('finds nothing to fix after the demo load (the seeder goes through the triggers)', async () => {
    expect(await compareRollups(db.dataSource)).toEqual([]);
  });

  it('reports rows changed behind the triggers, and rebuild restores the recount', async () => {
    // Corrupt the rollups directly: one count off, one row gone, one row that should not exist.
    await db.dataSource.query(`UPDATE nps_rollup_day SET promoters = promoters + 1 WHERE ctid = (SELECT ctid FROM nps_rollup_day WHERE promoters > 0 LIMIT 1)`);
    await db.dataSource.query(`DELETE FROM nps_rollup_hour WHERE ctid = (SELECT ctid FROM nps_rollup_hour WHERE detractors > 0 LIMIT 1)`);
    await db.dataSource.query(`INSERT INTO nps_rollup_day_channel (bucket_start, channel, promoters) VALUES ('2026-01-01T00:00:00Z', 'pigeon', 4)`);
    const found = await compareRollups(db.dataSource);
    expect(found.map((d) => d.table).sort()).toEqual(['nps_rollup_day', 'nps_rollup_day_channel', 'nps_rollup_hour']);
    const bogus = found.find((d) => d.table === 'nps_rollup_day_channel')!;
    expect(bogus).toMatchObject({ key: { channel: 'pigeon' }, stored: { promoters: 4, passives: 0, detractors: 0 }, recounted: null });
    const missing = found.find((d) => d.table === 'nps_rollup_hour')!;
    expect(missing.stored).toBeNull();
    expect(missing.recounted!.detractors).toBeGreaterThan(0);

    const fixed = await rebuildRollups(tx(), { chunkDays: 30 });
    expect(fixed.length).toBe(3);
    expect(await compareRollups(db.dataSource)).toEqual([]);
  });

  it('checks and rebuilds the per-theme rollup and the mentions\' copies of their responses', async () => {
    // The seeder tags the demo's verbatims as the ingest does.
    const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM response_themes`);
    expect(n).toBeGreaterThan(100);
    // A mention whose copied score no longer matches its response (its rollup row follows the copy), and a count off.
    const [stale] = await db.dataSource.query(`SELECT response_id, theme_id FROM response_themes ORDER BY response_id, theme_id LIMIT 1`);
    await db.dataSource.query(`UPDATE response_themes SET score = 10 - score, department_id = NULL WHERE response_id = $1 AND theme_id = $2`, [stale.response_id, stale.theme_id]);
    await db.dataSource.query(`UPDATE nps_rollup_day_theme SET detractors = detractors + 2 WHERE ctid = (SELECT ctid FROM nps_rollup_day_theme WHERE detractors > 0 LIMIT 1)`);
    const found = await compareRollups(db.dataSource);
    expect(found.filter((d) => d.table === 'response_themes')).toEqual([{ table: 'response_themes', key: stale, stored: null, recounted: null }]);
    expect(found.some((d) => d.table === 'nps_rollup_day_theme' && d.stored !== null && d.recounted !== null)).toBe(true);
    const fixed = await rebuildRollups(tx(), { chunkDays: 30 });
    expect(fixed.map((d) => d.table)).toContain('response_themes');
    expect(await compareRollups(db.dataSource)).toEqual([]);
  });

  it('keeps counting writes made after a rebuild', async () => {
    await db.dataSource.query(`UPDATE responses SET score = 0 WHERE ctid IN (SELECT ctid FROM responses LIMIT 50)`);
    expect(await compareRollups(db.dataSource)).toEqual([]);
  });

  it('checks and rebuilds the closed-loop counters (npm run rollups covers them), which then keep counting', async () => {
    expect(await compareClosedLoopCounters(db.dataSource)).toEqual([]);
    // A counter off, a bin gone, a ledger row gone: each shows as stored or recounted only.
    await db.dataSource.query(`UPDATE cl_items_day SET items = items + 1 WHERE ctid = (SELECT ctid FROM cl_items_day WHERE items > 0 LIMIT 1)`);
    await db.dataSource.query(`DELETE FROM cl_bins_month WHERE ctid = (SELECT ctid FROM cl_bins_month WHERE n > 0 LIMIT 1)`);
    await db.dataSource.query(`DELETE FROM cl_ledger WHERE ctid = (SELECT ctid FROM cl_ledger LIMIT 1)`);
    const found = await compareClosedLoopCounters(db.dataSource);
    expect([...new Set(found.map((d) => d.table))].sort()).toEqual(['cl_bins_month', 'cl_items_day', 'cl_ledger']);
    expect(found.find((d) => d.table === 'cl_ledger')!.side).toBe('recounted');
    expect(found.find((d) => d.table === 'cl_bins_month')!.side).toBe('recounted');
    expect(found.filter((d) => d.table === 'cl_items_day').map((d) => d.side).sort()).toEqual(['recounted', 'stored']);

    const fixed = await rebuildClosedLoopCounters(tx());
    expect(fixed).toEqual(found);
    expect(await compareClosedLoopCounters(db.dataSource)).toEqual([]);
    // The triggers still run on the rebuilt tables.
    await db.dataSource.query(`UPDATE action_items SET closed_at = now(), status = 'DONE' WHERE ctid IN (SELECT ctid FROM action_items WHERE closed_at IS NULL AND response_id IS NOT NULL LIMIT 5)`);
    expect(await compareClosedLoopCounters(db.dataSource)).toEqual([]);
    expect(await rebuildClosedLoopCounters(tx())).toEqual([]);
  });

  it('checks and rebuilds the invitation rollup (npm run rollups covers it), which then keeps counting', async () => {
    // Two invitations per response with a customer, one of them answered.
    await db.dataSource.query(`INSERT INTO survey_invitations (external_ref, customer_id, survey_id, department_id, channel, sent_at, response_id)
      SELECT 'INV-' || r.external_ref || '-' || g, r.customer_id, r.survey_id, r.department_id, r.channel, r.responded_at - interval '1 day' * (g + 1), CASE WHEN g = 0 THEN r.id END
      FROM responses r CROSS JOIN generate_series(0, 1) g WHERE r.customer_id IS NOT NULL`);
    expect(await compareInvitationRollup(db.dataSource)).toEqual([]);
    await db.dataSource.query(`UPDATE invitation_rollup_day SET responded = responded + 1 WHERE ctid = (SELECT ctid FROM invitation_rollup_day WHERE invitations > 0 LIMIT 1)`);
    await db.dataSource.query(`DELETE FROM invitation_rollup_day WHERE ctid = (SELECT ctid FROM invitation_rollup_day WHERE responded > 0 OFFSET 3 LIMIT 1)`);
    const found = await compareInvitationRollup(db.dataSource);
    expect(found.map((d) => d.side).sort()).toEqual(['recounted', 'recounted', 'stored']);
    expect(found.every((d) => d.table === 'invitation_rollup_day')).toBe(true);

    expect(await rebuildInvitationRollup(tx())).toEqual(found);
    expect(await compareInvitationRollup(db.dataSource)).toEqual([]);
    // The triggers still count on the rebuilt table.
    await db.dataSource.query(`UPDATE survey_invitations SET response_id = NULL WHERE ctid IN (SELECT ctid FROM survey_invitations WHERE response_id IS NOT NULL LIMIT 7)`);
    await db.dataSource.query(`DELETE FROM survey_invitations WHERE ctid IN (SELECT ctid FROM survey_invitations LIMIT 9)`);
    expect(await compareInvitationRollup(db.dataSource)).toEqual([]);
  });

  it('npm run rollups: usage and exit code 2 for an unknown command', async () => {
    const lines: string[] = [];
    expect(await runRollups(['fix'], { DATA_DIR: '/nonexistent/never-created' }, (l) => lines.push(l))).toBe(2);
    expect(lines.join('\n')).toMatch(/Usage: npm run rollups -- check \| rebuild/);
  });
});
