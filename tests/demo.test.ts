import { loadConfig } from '../src/common/config';
import { createLogger } from '../src/common/logging';
import type { AppDeps } from '../src/context';
import { demoDecision, prepareDemo } from '../src/demo';
import { openTestDatabase, TestDatabase } from './support/test-db';

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

type Mode = 'auto' | 'true' | 'false';
const SMALL = { responses: 300 };
const deps = (mode: Mode): AppDeps => {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SEED_DEMO: mode });
  return { ds: db.dataSource, config, logger: createLogger('silent') };
};
const counts = async () => {
  const [c] = await db.dataSource.query(
    `SELECT (SELECT count(*) FROM departments)::int AS departments, (SELECT count(*) FROM responses)::int AS responses, (SELECT count(*) FROM api_keys)::int AS keys`,
  );
  return c as { departments: number; responses: number; keys: number };
};
const wipe = () =>
  db.dataSource.query(
    'TRUNCATE api_keys, action_item_events, action_items, kpi_targets, segments, responses, customers, surveys, people, departments CASCADE',
  );

/** Runs prepareDemo capturing stdout. */
async function run(mode: Mode, embedded: boolean) {
  const printed: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.join(' ')));
  try {
    const outcome = await prepareDemo(deps(mode), { embedded, seed: SMALL });
    return { outcome, printed: printed.join('\n') };
  } finally {
    spy.mockRestore();
  }
}

describe('demoDecision', () => {
  it.each([
    ['auto', true, true],
    ['auto', false, false],
    ['true', true, true],
    ['true', false, true],
    ['false', true, false],
    ['false', false, false],
  ] as const)('SEED_DEMO=%s, embedded %s: seeds when empty = %s', (mode, embedded, whenEmpty) => {
    expect(demoDecision(mode, embedded).whenEmpty).toBe(whenEmpty);
  });
});

describe('prepareDemo on an empty database', () => {
  beforeEach(wipe);

  it.each([
    ['false', true],
    ['false', false],
    ['auto', false],
  ] as const)('SEED_DEMO=%s, embedded %s: loads nothing and prints no keys', async (mode, embedded) => {
    const { outcome, printed } = await run(mode, embedded);
    expect(outcome.seeded).toBe(false);
    expect(outcome.reason).toMatch(mode === 'false' ? /SEED_DEMO=false/ : /embedded database only/);
    expect(await counts()).toEqual({ departments: 0, responses: 0, keys: 0 });
    expect(printed).toBe('');
  });

  it.each([
    ['auto', true],
    ['true', true],
    ['true', false],
  ] as const)('SEED_DEMO=%s, embedded %s: loads the demo data, creates one key per role and prints them', async (mode, embedded) => {
    const { outcome, printed } = await run(mode, embedded);
    expect(outcome.seeded).toBe(true);
    expect(outcome.summary!.responses).toBe(SMALL.responses);
    const c = await counts();
    expect(c).toMatchObject({ departments: outcome.summary!.departments, responses: SMALL.responses });
    expect(outcome.keys!.map((k) => k.role).sort()).toEqual(['ADMIN', 'EXECUTIVE', 'INTEGRATION', 'MANAGER']);
    expect(c.keys).toBe(4);
    for (const k of outcome.keys!) expect(printed).toContain(k.key);
    expect(printed).toMatch(/curl .*authorization: Bearer /s);
  });

  it('loads once when several instances start together', async () => {
    let printed = 0;
    const spy = jest.spyOn(console, 'log').mockImplementation(() => void printed++);
    const outcomes = await Promise.all([1, 2, 3].map(() => prepareDemo(deps('true'), { embedded: false, seed: SMALL }))).finally(() => spy.mockRestore());
    expect(printed).toBe(1);
    expect(outcomes.filter((o) => o.seeded)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.seeded).map((o) => o.reason)).toEqual(['the database already holds data', 'the database already holds data']);
    expect((await counts()).responses).toBe(SMALL.responses);
  });
});

describe('prepareDemo on a database that is not empty', () => {
  const states = {
    'a department only': async () => {
      await db.dataSource.query(`INSERT INTO departments (code, name) VALUES ('MINE', 'Mine')`);
    },
    'responses only': async () => {
      await db.dataSource.query(`INSERT INTO surveys (code, name, kind) VALUES ('S', 'S', 'TRANSACTIONAL')`);
      await db.dataSource.query(`INSERT INTO responses (external_ref, score, survey_id, responded_at) SELECT 'x1', 9, id, now() FROM surveys`);
    },
  };
  for (const [state, setup] of Object.entries(states)) {
    it.each([
      ['auto', true],
      ['auto', false],
      ['true', true],
      ['true', false],
      ['false', true],
      ['false', false],
    ] as const)(`${state}: SEED_DEMO=%s, embedded %s loads nothing`, async (mode, embedded) => {
      await wipe();
      await setup();
      const before = await counts();
      const { outcome, printed } = await run(mode, embedded);
      expect(outcome.seeded).toBe(false);
      expect(await counts()).toEqual(before);
      expect(printed).toBe('');
    });
  }
});
