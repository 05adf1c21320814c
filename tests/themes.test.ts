import { codes, createTestApp, TestApp, viewers } from './support/test-app';
import { compareRollups } from '../src/modules/reporting/facts/rollup-rebuild';
import { runRetagBatch, runRetaggingToEnd } from '../src/modules/themes/tagging-jobs';
import { startThemeTaggingWorker } from '../src/modules/themes/tagging-worker';
import { HAS_THEME, HAS_VERBATIM } from '../src/modules/themes/markers';

/**
 * Themes in the database: the defaults, CRUD by ADMIN and EXECUTIVE keys with the definition
 * checks (BAD_USER_INPUT naming the field, nothing changed), and the background re-tagging after a
 * change: in batches, with its progress visible, idempotent (run again, it changes nothing), and
 * the per-theme rollup counting nothing twice.
 */
let t: TestApp;
let seq = 0;

const SUBMIT = `mutation($rows: [ResponseInput!]!) { submitResponses(responses: $rows) { accepted } }`;
const CREATE = `mutation($i: CreateThemeInput!) { createTheme(input: $i) { id code name keywords phrases exclusions pattern active } }`;
const UPDATE = `mutation($id: ID!, $i: UpdateThemeInput!) { updateTheme(id: $id, input: $i) { id code keywords active } }`;
const TAGGING = `{ themeTagging { status reason total processed changed progress startedAt finishedAt } }`;
const BREAKDOWN = `{ npsBreakdown(by: THEME) { theme { code } score { responses promoters detractors } } }`;

const row = (score: number, comment: string | null) => ({
  externalRef: `th-${seq++}`,
  surveyCode: 'TX',
  departmentCode: 'CO',
  score,
  respondedAt: `2026-05-${String(1 + (seq % 28)).padStart(2, '0')}T09:00:00Z`,
  comment,
});

const submit = async (rows: object[]) => expect((await t.ok(SUBMIT, { rows })).submitResponses.accepted).toBe(rows.length);
const byTheme = async (): Promise<Record<string, [number, number, number]>> =>
  Object.fromEntries((await t.ok(BREAKDOWN)).npsBreakdown.map((i: any) => [i.theme.code, [i.score.responses, i.score.promoters, i.score.detractors]]));
const drain = (batchSize = 2) => runRetaggingToEnd(t.ctx(), t.app.services.themes.cache, batchSize);
const one = async (sql: string, params: unknown[] = []) => (await t.deps.ds.query(sql, params))[0];
/** The per-theme rollup's count for a theme (all buckets). */
const rolled = async (themeId: string) => Number((await one(`SELECT coalesce(sum(promoters + passives + detractors), 0) AS n FROM nps_rollup_day_theme WHERE theme_id = $1`, [themeId])).n);

beforeAll(async () => {
  t = await createTestApp();
  await t.ok(`mutation { upsertDepartment(input: { code: "CO", name: "Company" }) { id } }`);
  await t.ok(`mutation { upsertSurvey(input: { code: "TX", name: "Support", kind: TRANSACTIONAL }) { id } }`);
  await submit([
    row(2, 'The parking was full and the delivery was late'), // delivery (parking: no theme yet)
    row(3, 'No parking anywhere near the shop'), //              none
    row(10, 'Easy parking, fast delivery'), //                    delivery
    row(9, 'Friendly staff'), //                                  staff_friendliness
    row(8, 'Fine.'), //                                           none
    row(7, null), //                                              no verbatim
  ]);
});
afterAll(() => t.close());

describe('themes', () => {
  it('start with the nine default themes, each checked', async () => {
    const { themes } = await t.ok(`{ themes { code name keywords phrases exclusions pattern active } }`);
    expect(themes.map((x: any) => x.code)).toEqual([
      'app_website', 'billing', 'delivery', 'onboarding', 'price', 'product_quality', 'resolution', 'staff_friendliness', 'support_wait',
    ]);
    expect(themes.every((x: any) => x.active && x.keywords.length > 0)).toBe(true);
    expect(themes.find((x: any) => x.code === 'staff_friendliness').pattern).toMatch(/staff/);
  });

  it('tag responses as they are stored, with the markers of verbatims and tagged ones', async () => {
    expect(await byTheme()).toEqual({ delivery: [2, 1, 1], staff_friendliness: [1, 1, 0] });
    // 5 verbatims, 3 of them tagged: the markers count them in the same rollup.
    expect(await rolled(HAS_VERBATIM)).toBe(5);
    expect(await rolled(HAS_THEME)).toBe(3);
    const list = await t.ok(`{ responses(filter: { hasComment: true }) { edges { node { comment themes { code } } } } }`);
    const themesOf = (comment: string) => list.responses.edges.find((e: any) => e.node.comment === comment).node.themes.map((x: any) => x.code);
    expect(themesOf('The parking was full and the delivery was late')).toEqual(['delivery']);
    expect(themesOf('Fine.')).toEqual([]);
    expect(await one(`SELECT count(*)::int AS n FROM theme_tagging_jobs`)).toEqual({ n: 0 });
  });

  it('are written by ADMIN and EXECUTIVE keys only, and read with READ_REPORTS', async () => {
    const input = { code: 'nope', name: 'Nope', keywords: ['nope'] };
    for (const viewer of [viewers.manager('00000000-0000-4000-8000-000000000000'), viewers.integration]) {
      expect(codes(await t.exec(CREATE, { i: input }, { viewer }))).toEqual(['FORBIDDEN']);
    }
    for (const q of [`{ themes { code } }`, `{ themeTagging { status } }`]) {
      expect(codes(await t.exec(q, {}, { viewer: viewers.integration }))).toEqual(['FORBIDDEN']);
    }
    const created = await t.ok(CREATE, { i: { code: 'exec_theme', name: 'By an executive', keywords: ['zzyzx'], active: false } }, { viewer: viewers.executive });
    expect(created.createTheme).toMatchObject({ code: 'exec_theme', active: false, phrases: [], pattern: null });
    expect(await t.ok(`mutation($id: ID!) { deleteTheme(id: $id) }`, { id: created.createTheme.id }, { viewer: viewers.executive })).toEqual({ deleteTheme: created.createTheme.id });
  });

  it('refuse a bad definition with BAD_USER_INPUT naming the field, and change nothing', async () => {
    const before = await one(`SELECT (SELECT count(*) FROM themes)::int AS themes, (SELECT version FROM theme_set)::int AS version, (SELECT count(*) FROM theme_tagging_jobs)::int AS jobs`);
    const cases: [object, string][] = [
      [{ code: 'Bad Code', name: 'x', keywords: ['x'] }, 'code'],
      [{ code: 'ok', name: '   ', keywords: ['x'] }, 'name'],
      [{ code: 'ok', name: 'x', keywords: ['fine', 'two words'] }, 'keywords.1'],
      [{ code: 'ok', name: 'x', phrases: ['single'] }, 'phrases.0'],
      [{ code: 'ok', name: 'x', keywords: ['x'], pattern: '(a+)+$' }, 'pattern'],
      [{ code: 'ok', name: 'x', keywords: ['x'], pattern: 'a(?=b)' }, 'pattern'],
      [{ code: 'ok', name: 'x', keywords: ['x'], pattern: '[' }, 'pattern'],
      [{ code: 'ok', name: 'x' }, 'keywords'],
    ];
    for (const [i, field] of cases) {
      const res = await t.exec(CREATE, { i });
      expect([field, res.errors?.[0].extensions]).toEqual([field, expect.objectContaining({ code: 'BAD_USER_INPUT', field })]);
    }
    const slow = await t.exec(CREATE, { i: { code: 'ok', name: 'x', keywords: ['x'], pattern: '(a|a)*b' } });
    expect(slow.errors?.[0].message).toMatch(/backtrack/);
    const taken = await t.exec(CREATE, { i: { code: 'price', name: 'Again', keywords: ['x'] } });
    expect(codes(taken)).toEqual(['CONFLICT']);
    const price = (await t.ok(`{ themes { id code } }`)).themes.find((x: any) => x.code === 'price');
    expect(codes(await t.exec(UPDATE, { id: price.id, i: { keywords: null } }))).toEqual(['BAD_USER_INPUT']);
    expect((await t.exec(UPDATE, { id: price.id, i: { pattern: '(x+)+y' } })).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'pattern' });
    expect(codes(await t.exec(UPDATE, { id: '00000000-0000-4000-8000-000000000000', i: { name: 'x' } }))).toEqual(['NOT_FOUND']);
    expect(await one(`SELECT (SELECT count(*) FROM themes)::int AS themes, (SELECT version FROM theme_set)::int AS version, (SELECT count(*) FROM theme_tagging_jobs)::int AS jobs`)).toEqual(before);
  });
});

describe('re-tagging after a change', () => {
  let parking: string;

  it('queues a job when a theme is created, shows its progress, and tags the stored responses batch by batch', async () => {
    parking = (await t.ok(CREATE, { i: { code: 'parking', name: 'Parking', keywords: ['parking'] } })).createTheme.id;
    expect((await t.ok(TAGGING)).themeTagging).toMatchObject({ status: 'PENDING', reason: 'theme parking created', total: null, processed: 0, progress: null });
    // Not yet re-tagged: stored responses do not mention it; a new one does at once.
    expect((await byTheme()).parking).toBeUndefined();
    const first = await runRetagBatch(t.ctx(), t.app.services.themes.cache, 2);
    expect(first).toMatchObject({ status: 'RUNNING', total: 6, processed: 2 });
    expect((await t.ok(TAGGING)).themeTagging).toMatchObject({ status: 'RUNNING', total: 6, processed: 2 });
    expect((await t.ok(TAGGING)).themeTagging.progress).toBeCloseTo(100 / 3, 10);
    // A MANAGER sees how far it got, not the organisation's counts.
    const co = (await one(`SELECT id FROM departments WHERE code = 'CO'`)).id;
    const seen = (await t.ok(TAGGING, {}, { viewer: viewers.manager(co) })).themeTagging;
    expect(seen).toMatchObject({ status: 'RUNNING', total: null, processed: null, changed: null });
    expect(seen.progress).toBeCloseTo(100 / 3, 10);
    // A response stored while the job runs is tagged with the new themes when stored.
    await submit([row(1, 'Parking is a nightmare')]);
    const done = await drain();
    expect(done).toMatchObject({ status: 'DONE', progress: 100 });
    // The 7 responses (one stored meanwhile, wherever its id falls), 3 parking mentions added by the job or the ingest.
    expect(done!.processed).toBeGreaterThanOrEqual(6);
    expect(await byTheme()).toEqual({ delivery: [2, 1, 1], staff_friendliness: [1, 1, 0], parking: [4, 1, 3] });
    expect(await rolled(parking)).toBe(4);
    // Mentioning a theme now: the two delivery ones, "Friendly staff" and the two about parking alone.
    expect(await rolled(HAS_THEME)).toBe(5);
    expect(await compareRollups(t.deps.ds)).toEqual([]);
  });

  it('counts nothing twice when run again, or when a batch runs twice', async () => {
    const mentions = await one(`SELECT count(*)::int AS n FROM response_themes`);
    const job = (await t.ok(`mutation { retagThemes(reason: "again") { status reason } }`)).retagThemes;
    expect(job).toEqual({ status: 'PENDING', reason: 'again' });
    expect(await drain(3)).toMatchObject({ status: 'DONE', processed: 7, total: 7, changed: 0 });
    // The same batches again, as after a crash between a batch's commit and the next: nothing changes.
    await t.deps.ds.query(`UPDATE theme_tagging_jobs SET status = 'RUNNING', cursor = NULL, processed = 0, finished_at = NULL
                           WHERE id = (SELECT id FROM theme_tagging_jobs ORDER BY theme_version DESC LIMIT 1)`);
    expect(await drain(1)).toMatchObject({ status: 'DONE', processed: 7, changed: 0 });
    expect(await one(`SELECT count(*)::int AS n FROM response_themes`)).toEqual(mentions);
    expect(await byTheme()).toEqual({ delivery: [2, 1, 1], staff_friendliness: [1, 1, 0], parking: [4, 1, 3] });
    expect(await rolled(parking)).toBe(4);
    expect(await compareRollups(t.deps.ds)).toEqual([]);
  });

  it('moves mentions when keywords change, and removes those of a deactivated or deleted theme', async () => {
    // "car park" instead of "parking": the four about parking lose it; a new response about the car park has it.
    await t.ok(UPDATE, { id: parking, i: { keywords: ['carpark'], phrases: ['car park'] } });
    await submit([row(9, 'Plenty of room in the car park')]);
    await drain();
    expect((await byTheme()).parking).toEqual([1, 1, 0]);
    // "No parking anywhere..." and "Parking is a nightmare" now mention nothing: untagged again.
    expect(await rolled(HAS_THEME)).toBe(4);
    expect(await rolled(HAS_VERBATIM)).toBe(7);
    const delivery = (await t.ok(`{ themes { id code } }`)).themes.find((x: any) => x.code === 'delivery').id;
    await t.ok(UPDATE, { id: delivery, i: { active: false } });
    // Deactivated: reports stop showing it before the re-tagging removes its mentions.
    expect((await byTheme()).delivery).toBeUndefined();
    await drain();
    expect(await rolled(delivery)).toBe(0);
    await t.ok(`mutation($id: ID!) { deleteTheme(id: $id) }`, { id: parking });
    expect((await byTheme()).parking).toBeUndefined();
    await drain();
    expect(await one(`SELECT count(*)::int AS n FROM response_themes WHERE theme_id = $1`, [parking])).toEqual({ n: 0 });
    expect(await rolled(parking)).toBe(0);
    await t.ok(UPDATE, { id: delivery, i: { active: true } });
    await drain();
    expect(await byTheme()).toEqual({ delivery: [2, 1, 1], staff_friendliness: [1, 1, 0] });
    expect(await compareRollups(t.deps.ds)).toEqual([]);
  });

  it('tags responses written around the API once asked to, through the worker', async () => {
    const [s] = await t.deps.ds.query(`SELECT id FROM surveys WHERE code = 'TX'`);
    await t.deps.ds.query(`INSERT INTO responses (external_ref, score, responded_at, survey_id, comment) VALUES ('raw-1', 0, '2026-05-20T10:00:00Z', $1, 'The courier lost my parcel')`, [s.id]);
    expect((await byTheme()).delivery).toEqual([2, 1, 1]);
    const worker = startThemeTaggingWorker(t.deps, t.app.services, { pollIntervalMs: 60_000, batchSize: 4 });
    try {
      await t.ok(`mutation { retagThemes { status } }`);
      await worker.drain();
      expect((await t.ok(TAGGING)).themeTagging).toMatchObject({ status: 'DONE', total: 9, processed: 9, changed: 3 });
    } finally {
      await worker.stop();
    }
    expect((await byTheme()).delivery).toEqual([3, 1, 2]);
    expect(await compareRollups(t.deps.ds)).toEqual([]);
  });

  it('keep the mentions following their response when it is updated or deleted', async () => {
    await t.deps.ds.query(`UPDATE responses SET score = 10 WHERE external_ref = 'raw-1'`);
    expect((await byTheme()).delivery).toEqual([3, 2, 1]);
    await t.deps.ds.query(`DELETE FROM responses WHERE external_ref = 'raw-1'`);
    expect((await byTheme()).delivery).toEqual([2, 1, 1]);
    expect(await compareRollups(t.deps.ds)).toEqual([]);
  });
});
