/**
 * The bulk loader (`npm run import`, src/cli/import.ts) as a child process against the API over
 * HTTP with an INTEGRATION key: a CSV file (UTF-8 BOM, ';' delimiter, quoted fields with line
 * breaks) with good, ill-typed, invalid, duplicate and conflicting rows, killed with SIGKILL in the
 * middle and run again: nothing is stored twice, the counts are exact, every rejected or conflicting
 * row is in the rejects file once with its line, field and reason, and the exit code is 2.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Role } from '../src/modules/auth/viewer';
import { runImport } from '../src/cli/import';
import { BUILT } from './support/spawn-server';
import { createApiKey, createTestApp, HttpClient, listenHttp, TestApp } from './support/test-app';

let t: TestApp;
let api: HttpClient;
let key: string;
let tmp: string;
const SCRIPT = path.join(BUILT, 'cli', 'import.js');
const count = async (sql: string, params: unknown[] = []) => (await t.deps.ds.query(sql, params))[0].n as number;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'import-cli-'));
  t = await createTestApp();
  api = await listenHttp(t);
  // A budget for thousands of rows a minute (the INTEGRATION default would do too; this keeps the test off the limit).
  key = await createApiKey(t, { role: Role.INTEGRATION, name: 'importer' });
  await t.deps.ds.query(`UPDATE api_keys SET rate_limit = 10000000 WHERE name = 'importer'`);
  await t.ok(`mutation { upsertDepartment(input: { code: "CX", name: "CX" }) { id } }`);
  await t.ok(`mutation { upsertSurvey(input: { code: "TX", name: "Support", kind: TRANSACTIONAL, autoFollowUp: false }) { id } }`);
  const pre = `mutation($r: [ResponseInput!]!) { submitResponses(responses: $r) { accepted } }`;
  await t.ok(pre, {
    r: [
      { externalRef: 'pre-dup', surveyCode: 'TX', score: 8, respondedAt: '2026-01-05T10:00:00Z' },
      { externalRef: 'pre-conf', surveyCode: 'TX', score: 5, respondedAt: '2026-01-05T10:00:00Z' },
    ],
  });
});
afterAll(async () => {
  await t?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const GOOD = 3_000;

/** The CSV: returns its path and the line of each special row. */
function writeCsv(): { file: string; lines: Record<string, number> } {
  const out = ['externalRef;surveyCode;score;respondedAt;comment;departmentCode;customer.externalRef;customer.region'];
  const lines: Record<string, number> = {};
  let line = 1;
  const add = (name: string | null, cells: string) => {
    line++;
    if (name) lines[name] = line;
    out.push(cells);
    line += (cells.match(/\n/g) ?? []).length;
  };
  for (let i = 0; i < GOOD; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    // Every 97th row has a quoted comment holding the delimiter, a quote and a line break.
    const comment = i % 97 === 0 ? `"Slow; very ""slow""\nsecond line"` : i % 5 === 0 ? 'Fine' : '';
    add(null, `imp-${i};TX;${i % 11};2026-02-${day}T10:00:00Z;${comment};CX;cust-${i % 50};EMEA`);
    if (i === 1500) {
      add('string score', `bad-1;TX;seven;2026-02-01T10:00:00Z;;CX;;`);
      add('date only', `bad-2;TX;7;2026-02-01;;CX;;`);
      add('score 11', `bad-3;TX;11;2026-02-01T10:00:00Z;;CX;;`);
      add('unknown survey', `bad-4;NOPE;7;2026-02-01T10:00:00Z;;CX;;`);
      add('short', `bad-5;TX;7`);
      add(null, `pre-dup;TX;8;2026-01-05T10:00:00Z;;;;`);
      add('conflict', `pre-conf;TX;9;2026-01-05T10:00:00Z;;;;`);
      add(null, `rep-1;TX;9;2026-02-01T10:00:00Z;;CX;;`);
      add(null, `rep-1;TX;9;2026-02-01T10:00:00Z;;CX;;`);
      add('repeat conflict', `rep-1;TX;2;2026-02-01T10:00:00Z;;CX;;`);
    }
  }
  const file = path.join(tmp, 'responses.csv');
  fs.writeFileSync(file, '\uFEFF' + out.join('\r\n') + '\r\n');
  return { file, lines };
}

function spawnImport(args: string[]) {
  const child = spawn(process.execPath, [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', () => {});
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout })),
  );
  return { child, done };
}

describe('npm run import', () => {
  it('imports a CSV killed with SIGKILL and run again: exact counts, nothing stored twice, rejects with line, field and reason, exit 2', async () => {
    if (!fs.existsSync(SCRIPT)) throw new Error(`${SCRIPT} is missing: run the tests with \`npm test\` (it compiles first)`);
    const { file, lines } = writeCsv();
    const args = [file, '--url', api.url, '--key', key, '--delimiter', ';', '--batch-size', '100', '--no-progress'];
    const checkpoint = `${file}.import-checkpoint.json`;
    const before = await count('SELECT count(*)::int AS n FROM responses');

    // First run: killed once at least a few batches are checkpointed.
    const first = spawnImport(args);
    for (let i = 0; i < 600; i++) {
      await new Promise((r) => setTimeout(r, 50));
      if (fs.existsSync(checkpoint) && JSON.parse(fs.readFileSync(checkpoint, 'utf8')).done >= 700) break;
    }
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    const partial = await count('SELECT count(*)::int AS n FROM responses');
    expect(partial).toBeGreaterThan(before);
    expect(partial).toBeLessThan(before + GOOD);

    // The rerun resumes from the checkpoint and ends with the counts of the whole file.
    const rerun = spawnImport(args);
    const done = await rerun.done;
    expect(done.stdout).toMatch(/resuming after \d[\d,]* rows/);
    expect(done.code).toBe(2);
    const stored = GOOD + 1; // imp-0..2999 and rep-1
    expect(done.stdout).toContain(`${(GOOD + 10).toLocaleString('en-US')} rows: ${stored.toLocaleString('en-US')} stored, 2 already there, 2 conflicting, 5 rejected`);
    expect(await count('SELECT count(*)::int AS n FROM responses')).toBe(before + stored);
    expect(await count(`SELECT count(*)::int AS n FROM outbox_events WHERE type = 'response.stored' AND payload->>'externalRef' LIKE 'imp-%'`)).toBe(GOOD);
    expect(await count(`SELECT count(*)::int AS n FROM responses WHERE comment = $1`, ['Slow; very "slow"\nsecond line'])).toBe(Math.ceil(GOOD / 97));
    expect(await count(`SELECT score AS n FROM responses WHERE external_ref = 'pre-conf'`)).toBe(5);
    expect(fs.existsSync(checkpoint)).toBe(false);

    const rejects = fs.readFileSync(`${file}.rejects.csv`, 'utf8').trim().split('\n');
    expect(rejects[0]).toBe('line,externalRef,status,field,reason');
    const rows = rejects.slice(1).map((l) => l.split(','));
    expect(rows.map((r) => [Number(r[0]), r[1], r[2], r[3]])).toEqual([
      [lines['string score'], 'bad-1', 'REJECTED', 'score'],
      [lines['date only'], 'bad-2', 'REJECTED', 'respondedAt'],
      [lines['score 11'], 'bad-3', 'REJECTED', 'score'],
      [lines['unknown survey'], 'bad-4', 'REJECTED', 'surveyCode'],
      [lines['short'], '', 'REJECTED', ''],
      [lines['conflict'], 'pre-conf', 'CONFLICT', 'score'],
      [lines['repeat conflict'], 'rep-1', 'CONFLICT', 'score'],
    ]);
    expect(rejects[5]).toMatch(/has 3 fields; the header has 8/);

    // A third run of the same file (no checkpoint left): everything is already there or refused again, nothing stored.
    const again = await spawnImport(args).done;
    expect(again.code).toBe(2);
    expect(again.stdout).toContain(`0 stored, ${(stored + 2).toLocaleString('en-US')} already there, 2 conflicting, 5 rejected`);
    expect(await count('SELECT count(*)::int AS n FROM responses')).toBe(before + stored);
  }, 600_000);

  it('reads JSON Lines, exits 0 when every row is stored or already there, and sends nothing on --dry-run', async () => {
    const file = path.join(tmp, 'rows.jsonl');
    const rows = [
      { externalRef: 'j-1', surveyCode: 'TX', score: 9, respondedAt: '2026-03-01T10:00:00Z' },
      { externalRef: 'j-2', surveyCode: 'TX', score: 3, respondedAt: '2026-03-01T10:00:00+01:00', customer: { externalRef: 'jc', spend: 12.5 } },
      { externalRef: 'pre-dup', surveyCode: 'TX', score: 8, respondedAt: '2026-01-05T11:00:00+01:00' },
    ];
    fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n\n');
    const out: string[] = [];
    const io = { out: (s: string) => void out.push(s), err: () => {} };
    expect(await runImport([file, '--url', api.url, '--key', key, '--dry-run'], {}, io)).toBe(0);
    expect(out.join('\n')).toMatch(/dry run: 3 rows read .* 3 would be sent, 0 unreadable; nothing was sent/);
    expect(await count(`SELECT count(*)::int AS n FROM responses WHERE external_ref LIKE 'j-%'`)).toBe(0);
    expect(await runImport([file, '--url', api.url, '--key', key, '--no-progress'], {}, io)).toBe(0);
    expect(out.join('\n')).toContain('3 rows: 2 stored, 1 already there, 0 conflicting, 0 rejected');
    fs.appendFileSync(file, '{"externalRef": "j-3", "surveyCode": "TX", "score": "9", "respondedAt": "2026-03-01T10:00:00Z"}\nnot json\n');
    expect(await runImport([file, '--url', api.url, '--key', key, '--no-progress'], {}, io)).toBe(2);
    const rejects = fs.readFileSync(`${file}.rejects.csv`, 'utf8').trim().split('\n').slice(1);
    expect(rejects.map((l) => l.split(',').slice(0, 4))).toEqual([
      ['5', 'j-3', 'REJECTED', 'score'],
      ['6', '', 'REJECTED', ''],
    ]);
    expect(await runImport([file, '--url', api.url], {}, io)).toBe(1);
    expect(out[out.length - 1]).toMatch(/--key \(or API_KEY\) is required/);
    expect(await runImport([file, '--url', api.url, '--key', 'nps_wrong'], {}, io)).toBe(1);
  });
});
