import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/common/config';
import { createLogger } from '../src/common/logging';
import type { AppDeps } from '../src/context';
import { parseSeedArgs, runSeed, seedCommand } from '../src/cli/seed';
import { openTestDatabase, TestDatabase } from './support/test-db';

let db: TestDatabase;
let deps: AppDeps;
beforeAll(async () => {
  db = await openTestDatabase();
  // The demo's data end on a fixed day (DEMO_ANCHOR_DATE), so the summary printed is known.
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_ANCHOR_DATE: '2026-11-01' });
  deps = { ds: db.dataSource, config, logger: createLogger('silent') };
});
afterAll(() => db.close());

const count = async (table: string) => (await db.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

describe('npm run seed: arguments', () => {
  it('reads --force, --seed, --responses and --anchor', () => {
    expect(parseSeedArgs([])).toEqual({ force: false, seed: undefined, responses: undefined, help: false });
    expect(parseSeedArgs(['--force', '--seed', '7', '--responses=2000'])).toEqual({ force: true, seed: 7, responses: 2000, help: false });
    expect(parseSeedArgs(['--anchor', '2026-05-17'])).toEqual({ force: false, seed: undefined, responses: undefined, anchor: '2026-05-17', help: false });
  });

  it.each([[['--responses', '10']], [['--seed', 'x']], [['--bogus']], [['--anchor', '2026-02-30']], [['--anchor', '2999-01-01']]])('refuses %j with usage and exit code 2, touching nothing', async (argv) => {
    const lines: string[] = [];
    expect(await runSeed(argv, { DATA_DIR: '/nonexistent/never-created' }, (l) => lines.push(l))).toBe(2);
    expect(lines.join('\n')).toMatch(/Usage: npm run seed/);
    expect(fs.existsSync('/nonexistent/never-created')).toBe(false);
  });
});

describe('npm run seed: into a database', () => {
  it('loads an empty database (anchored at DEMO_ANCHOR_DATE), prints the summary and the new API keys', async () => {
    const lines: string[] = [];
    expect(await seedCommand(deps, { force: false, responses: 500, help: false }, (l) => lines.push(l))).toBe(0);
    const out = lines.join('\n');
    expect(out).toMatch(/Demo data loaded in [\d.]+ s: [\d,]+ rows/);
    expect(out).toMatch(/responses 500 from 2025-05-01 to 2026-11-01/);
    expect(out).toMatch(/ADMIN\s+\S+/);
    expect(await count('responses')).toBe(500);
    expect(await count('api_keys')).toBe(4);
  });

  it('refuses a database that already has responses, unless --force', async () => {
    const lines: string[] = [];
    expect(await seedCommand(deps, { force: false, responses: 600, help: false }, (l) => lines.push(l))).toBe(1);
    expect(lines.join('\n')).toMatch(/already has 500 responses.*--force/s);
    expect(await count('responses')).toBe(500);
  });

  it('with --force adds what is missing and keeps what exists (no duplicates, no new keys)', async () => {
    const people = await count('people');
    const lines: string[] = [];
    expect(await seedCommand(deps, { force: true, responses: 600, help: false }, (l) => lines.push(l))).toBe(0);
    expect(await count('responses')).toBe(600);
    expect(await count('people')).toBe(people);
    expect(await count('api_keys')).toBe(4);
    expect(lines.join('\n')).not.toMatch(/Demo API keys/);
    const [dup] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM (SELECT response_id FROM action_items WHERE auto_created GROUP BY 1 HAVING count(*) > 1) d`,
    );
    expect(dup.n).toBe(0);
  });
});

describe('npm run seed: embedded database in use', () => {
  let holder: ChildProcess;
  afterAll(() => holder?.kill());

  it('refuses with the data-folder lock message while another process holds DATA_DIR', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-lock-'));
    holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    fs.writeFileSync(path.join(dir, 'owner.pid'), String(holder.pid));
    const lines: string[] = [];
    expect(await runSeed([], { DATA_DIR: dir, LOG_LEVEL: 'silent' }, (l) => lines.push(l))).toBe(1);
    expect(lines.join('\n')).toMatch(new RegExp(`in use by process ${holder.pid}.*one process per data folder`, 's'));
    expect(fs.existsSync(path.join(dir, 'pgdata'))).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
