import { openTestDatabase, TestDatabase } from './support/test-db';
import { createTestApp, TestApp } from './support/test-app';
import { Role } from '../src/modules/auth/viewer';

/**
 * Transaction isolation on the database the server really uses: the embedded PGlite behind its
 * socket with a pool of one connection (src/db/embedded.ts + ormconfig), or PostgreSQL with
 * TEST_DATABASE_URL. A transaction that fails leaves nothing behind while a concurrent one commits.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('isolation (raw transactions)', () => {
  let db: TestDatabase;
  let surveyId: string;
  beforeAll(async () => {
    db = await openTestDatabase();
    [{ id: surveyId }] = await db.dataSource.query(`INSERT INTO surveys (code, name, kind) VALUES ('ISO', 'Iso', 'RELATIONSHIP') RETURNING id`);
  });
  afterAll(() => db.close());

  it('runs the embedded database with a pool of one connection, as the server does', () => {
    const extra = (db.dataSource.options as { extra?: { max?: number } }).extra;
    if (db.kind === 'pglite') expect(extra?.max).toBe(1);
    else expect(db.kind).toBe('postgres');
  });

  it('rolls back a failing transaction completely while a concurrent one commits', async () => {
    const insert = (ref: string) =>
      `INSERT INTO responses (external_ref, survey_id, score, responded_at) VALUES ('${ref}', '${surveyId}', 3, '2026-01-01T00:00:00Z')`;
    const failing = db.dataSource.transaction(async (em) => {
      await em.query(insert('fail-1'));
      await sleep(50);
      await em.query(insert('fail-2'));
      throw new Error('boom');
    });
    const committing = db.dataSource.transaction(async (em) => {
      await em.query(insert('ok-1'));
      await sleep(20);
      await em.query(insert('ok-2'));
    });
    const [a, b] = await Promise.allSettled([failing, committing]);
    expect(a.status).toBe('rejected');
    expect(b.status).toBe('fulfilled');
    const refs = (await db.dataSource.query(`SELECT external_ref FROM responses ORDER BY external_ref`)).map((r: any) => r.external_ref);
    expect(refs).toEqual(['ok-1', 'ok-2']);
  });

  it('does not let a concurrent reader see uncommitted rows', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const didInsert = new Promise<void>((r) => (inserted = r));
    const writer = db.dataSource.transaction(async (em) => {
      await em.query(`INSERT INTO responses (external_ref, survey_id, score, responded_at) VALUES ('dirty', $1, 9, now())`, [surveyId]);
      inserted();
      await Promise.race([held, sleep(100)]);
      throw new Error('rolled back');
    });
    await didInsert;
    // On PostgreSQL this read runs beside the open transaction; on PGlite it waits for the one connection.
    const seen = await db.dataSource.query(`SELECT count(*)::int AS n FROM responses WHERE external_ref = 'dirty'`);
    release();
    await expect(writer).rejects.toThrow('rolled back');
    expect(seen[0].n).toBe(0);
    expect((await db.dataSource.query(`SELECT count(*)::int AS n FROM responses WHERE external_ref = 'dirty'`))[0].n).toBe(0);
  });
});

describe('isolation (submitResponses)', () => {
  let t: TestApp;
  const INTEGRATION = { keyId: null, name: 'int', role: Role.INTEGRATION, departmentId: null };
  const SUBMIT = `mutation($rows: [ResponseInput!]!) { submitResponses(responses: $rows) { accepted duplicates } }`;
  const rows = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      externalRef: `${prefix}-${i}`,
      surveyCode: 'ISO',
      score: i % 11,
      respondedAt: '2026-01-01T00:00:00Z',
      customer: { externalRef: `${prefix}-customer-${i % 3}` },
    }));
  beforeAll(async () => {
    t = await createTestApp();
    await t.ok(`mutation { upsertSurvey(input: { code: "ISO", name: "Iso", kind: RELATIONSHIP }) { id } }`);
  });
  afterAll(() => t.close());

  it('leaves nothing of a call that fails inside its transaction (responses, customers, outbox) while a concurrent call commits', async () => {
    const followUps = t.app.services.followUps;
    const original = followUps.openForResponses.bind(followUps);
    const spy = jest.spyOn(followUps, 'openForResponses').mockImplementation(async (ctx, stored) => {
      const opened = await original(ctx, stored);
      if (stored.some((r) => r.externalRef.startsWith('bad-'))) {
        await sleep(50);
        throw new Error('follow-up failed');
      }
      return opened;
    });
    try {
      const [bad, good] = await Promise.all([
        t.exec(SUBMIT, { rows: rows('bad', 20) }, { viewer: INTEGRATION }),
        t.exec(SUBMIT, { rows: rows('good', 20) }, { viewer: INTEGRATION }),
      ]);
      expect(bad.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(good.data?.submitResponses).toEqual({ accepted: 20, duplicates: 0 });
    } finally {
      spy.mockRestore();
    }
    const q = async (sql: string) => (await t.deps.ds.query(sql))[0].n;
    expect(await q(`SELECT count(*)::int AS n FROM responses WHERE external_ref LIKE 'bad-%'`)).toBe(0);
    expect(await q(`SELECT count(*)::int AS n FROM customers WHERE external_ref LIKE 'bad-%'`)).toBe(0);
    expect(await q(`SELECT count(*)::int AS n FROM outbox_events WHERE payload->>'externalRef' LIKE 'bad-%'`)).toBe(0);
    expect(await q(`SELECT count(*)::int AS n FROM responses WHERE external_ref LIKE 'good-%'`)).toBe(20);
    expect(await q(`SELECT count(*)::int AS n FROM customers WHERE external_ref LIKE 'good-%'`)).toBe(3);
    // The failed call can simply be retried: everything is stored once.
    const retry = await t.ok(SUBMIT, { rows: rows('bad', 20) }, { viewer: INTEGRATION });
    expect(retry.submitResponses).toEqual({ accepted: 20, duplicates: 0 });
  });
});
