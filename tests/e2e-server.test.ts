import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { gqlHttp, runCli, startServer } from './support/spawn-server';
import { adminUrl, databaseUrl } from './support/pg-urls';

/**
 * The real start path: the compiled server as `npm start` runs it. On PGlite by default (demo
 * data and keys on first start); with TEST_DATABASE_URL on an empty PostgreSQL database.
 */
const pgUrl = process.env.TEST_DATABASE_URL;
jest.setTimeout(240_000);

const TREND = `query($f: ResponseFilter) { npsTrend(interval: DAY, filter: $f) { score { responses } } departmentScores { score { responses } } }`;

(pgUrl ? describe.skip : describe)('npm start on the embedded database', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nps-e2e-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('migrates, loads the demo, prints keys, serves, drains on SIGTERM, and keeps its data across restarts', async () => {
    const today = () => `${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`;
    const before = today();
    const server = await startServer({ DATA_DIR: dataDir });
    const out = server.output();
    const admin = out.match(/^\s+ADMIN\s+(nps_\S+)/m)?.[1];
    const integration = out.match(/^\s+INTEGRATION\s+(nps_\S+)/m)?.[1];
    expect(admin).toBeDefined();
    expect(integration).toBeDefined();
    const loaded = JSON.parse(out.split('\n').find((l) => l.includes('demo data loaded'))!);
    // Without DEMO_ANCHOR_DATE the demo's data end today (00:00 UTC of the day it was loaded).
    expect([before, today()]).toContain(loaded.anchor);

    expect((await gqlHttp(server.url, null, '{ npsSummary { responses } }')).status).toBe(401);
    const summary = await gqlHttp(server.url, admin!, '{ npsSummary { responses promoters passives detractors nps } }');
    expect(summary.status).toBe(200);
    expect(summary.body.data.npsSummary.responses).toBe(loaded.responses);
    expect(summary.body.data.npsSummary.responses).toBeGreaterThanOrEqual(20_000);
    expect((await gqlHttp(server.url, integration!, '{ npsSummary { responses } }')).body.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    // A request in flight when SIGTERM arrives still gets its answer; then the process exits 0.
    const inFlight = gqlHttp(server.url, admin!, TREND, { f: { from: '2025-05-01T00:00:00Z', to: '2026-11-01T00:00:00Z' } });
    await new Promise((r) => setTimeout(r, 15));
    const exit = server.stop('SIGTERM');
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(answered.body.data.npsTrend.length).toBe(549);
    expect(await exit).toBe(0);
    expect(server.output()).toMatch(/stopped cleanly/);

    const again = await startServer({ DATA_DIR: dataDir });
    try {
      expect(again.output()).not.toMatch(/Demo API keys/);
      const after = await gqlHttp(again.url, admin!, '{ npsSummary { responses } }');
      expect(after.body.data.npsSummary.responses).toBe(loaded.responses);
      // The key CLI refuses to open the folder the running server holds.
      const cli = runCli('apikey.js', ['list'], { DATA_DIR: dataDir });
      expect(cli.status).not.toBe(0);
      expect(cli.stdout + cli.stderr).toMatch(/in use by process/);
    } finally {
      expect(await again.stop()).toBe(0);
    }
  });
});

describe('npm start with a wrong setting', () => {
  it('refuses to start, naming the variable', async () => {
    await expect(startServer({ DATA_DIR: os.tmpdir(), PORT: 'eighty' }, 20_000)).rejects.toThrow(/PORT/);
  });
});

(pgUrl ? describe : describe.skip)('npm start with DATABASE_URL on an empty PostgreSQL database', () => {
  const name = `nps_e2e_${randomBytes(5).toString('hex')}`;
  const url = pgUrl ? databaseUrl(pgUrl, name) : '';
  beforeAll(async () => {
    const admin = new Client({ connectionString: adminUrl(pgUrl!) });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
  });
  afterAll(async () => {
    const admin = new Client({ connectionString: adminUrl(pgUrl!) });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('migrates, loads no demo, accepts data through the mutations and reports it exactly', async () => {
    const created = runCli('apikey.js', ['create', '--name', 'e2e-admin', '--role', 'ADMIN'], { DATABASE_URL: url });
    expect(created.status).toBe(0);
    const key = created.stdout.trim().split('\n').pop()!;
    expect(key).toMatch(/^nps_/);

    const server = await startServer({ DATABASE_URL: url });
    try {
      expect(server.output()).toMatch(/demo data not loaded/);
      const ok = async (q: string, v?: Record<string, unknown>) => {
        const r = await gqlHttp(server.url, key, q, v);
        expect(r.body.errors).toBeUndefined();
        return r.body.data;
      };
      expect((await ok('{ npsSummary { responses nps } }')).npsSummary).toEqual({ responses: 0, nps: null });
      const dept = `mutation($i: DepartmentInput!) { upsertDepartment(input: $i) { id } }`;
      await ok(dept, { i: { code: 'CO', name: 'Company' } });
      await ok(dept, { i: { code: 'SUP', name: 'Support', parentCode: 'CO' } });
      await ok(`mutation { upsertSurvey(input: { code: "REL", name: "Relationship", kind: RELATIONSHIP }) { id } }`);
      const rows = [10, 9, 9, 8, 7, 6, 3, 0].map((score, i) => ({
        externalRef: `e2e-${i}`, surveyCode: 'REL', score, respondedAt: '2026-10-01T10:00:00Z', departmentCode: 'SUP',
      }));
      const submit = `mutation($r: [ResponseInput!]!) { submitResponses(responses: $r) { accepted duplicates rejected } }`;
      expect((await ok(submit, { r: rows })).submitResponses).toEqual({ accepted: 8, duplicates: 0, rejected: 0 });
      const retry = [...rows.slice(0, 3), { ...rows[0], externalRef: 'bad', score: 11 }];
      expect((await ok(submit, { r: retry })).submitResponses).toEqual({ accepted: 0, duplicates: 3, rejected: 1 });
      const s = (await ok(`{ npsSummary { responses promoters passives detractors nps } }`)).npsSummary;
      expect(s).toEqual({ responses: 8, promoters: 3, passives: 2, detractors: 3, nps: 0 });
      const d = await ok(`{ departmentScores { department { code } score { responses } } }`);
      expect(d.departmentScores).toEqual([{ department: { code: 'CO' }, score: { responses: 8 } }]);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
