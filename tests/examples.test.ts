/**
 * The integration example (examples/integration-sync.mjs) run as a child process against the API
 * over HTTP with a real INTEGRATION key: it stores responses, creates and syncs action items by
 * ticket id, changes nothing when run again, retries transient failures safely, and exits 1 with
 * a clear message on fatal problems.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../src/common/paths';
import { loadConfig } from '../src/common/config';
import { createLogger } from '../src/common/logging';
import { createApp } from '../src/server';
import { Role } from '../src/modules/auth/viewer';
import { createApiKey, createTestApp, HttpClient, listenHttp, TestApp } from './support/test-app';

const EXAMPLES = path.join(projectRoot(), 'examples');
const SCRIPT = path.join(EXAMPLES, 'integration-sync.mjs');
const SAMPLE_RESPONSES: { externalRef: string; departmentCode: string; score: number }[] = JSON.parse(
  fs.readFileSync(path.join(EXAMPLES, 'sample-responses.json'), 'utf8'),
);
const KEY_NAME = 'ticketing-sync';

let t: TestApp;
let api: HttpClient;
let key: string;
let tmp: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the example with only the environment given (plus PATH and quick retries). */
function runScript(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], {
      env: { PATH: process.env.PATH ?? '', RETRY_BASE_MS: '20', RETRY_MAX_MS: '200', API_URL: api.url, API_KEY: key, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      // EXAMPLES_SHOW_OUTPUT=1 prints what each run said (to read the script's log lines).
      if (process.env.EXAMPLES_SHOW_OUTPUT) process.stdout.write(`\n$ integration-sync ${args.join(' ')} (exit ${code})\n${stdout}${stderr}`);
      resolve({ code, stdout, stderr });
    });
  });
}

const writeTmp = (name: string, value: unknown): string => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
};

const count = async (table: string): Promise<number> => (await t.deps.ds.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;

/** Everything a run could change, compared whole between runs. */
const snapshot = async () => ({
  responses: await count('responses'),
  customers: await count('customers'),
  actionItems: await count('action_items'),
  events: await count('action_item_events'),
  outbox: await count('outbox_events'),
  items: await t.deps.ds.query('SELECT id, external_ref, status, version, updated_at FROM action_items ORDER BY id'),
});

interface ItemView {
  externalRef: string | null;
  status: string;
  version: number;
  autoCreated: boolean;
  title: string;
  closedAt: string | null;
  response: { externalRef: string } | null;
  department: { code: string } | null;
  events: { field: string; fromValue: string | null; toValue: string | null; note: string | null; actor: string }[];
}

/** Action items read back as admin through the API. */
async function items(): Promise<ItemView[]> {
  const data = await t.ok(`{ actionItems(first: 500) { edges { node {
    externalRef status version autoCreated title closedAt response { externalRef } department { code }
    events { field fromValue toValue note actor } } } } }`);
  return data.actionItems.edges.map((e: { node: ItemView }) => e.node);
}
const byRef = async (): Promise<Map<string, ItemView>> => new Map((await items()).filter((i) => i.externalRef).map((i) => [i.externalRef!, i]));
const statusEvents = (i: ItemView) => i.events.filter((e) => e.field === 'status').map((e) => `${e.fromValue}->${e.toValue}`);

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'integration-sync-'));
  t = await createTestApp();
  api = await listenHttp(t);
  key = await createApiKey(t, { role: Role.INTEGRATION, name: KEY_NAME });
  const dept = `mutation($input: DepartmentInput!) { upsertDepartment(input: $input) { id } }`;
  for (const [code, parentCode] of [
    ['CO', null],
    ['CX', 'CO'],
    ['CX-SUP', 'CX'],
    ['CX-SUP-EMEA', 'CX-SUP'],
    ['CX-SUP-AMER', 'CX-SUP'],
    ['CX-SUP-APAC', 'CX-SUP'],
    ['OPS', 'CO'],
    ['OPS-BILL', 'OPS'],
    ['SAL', 'CO'],
    ['SAL-AM', 'SAL'],
  ]) {
    await t.ok(dept, { input: { code, name: `Department ${code}`, ...(parentCode ? { parentCode } : {}) } });
  }
  const survey = `mutation($input: SurveyInput!) { upsertSurvey(input: $input) { id } }`;
  // Tickets own the follow-up of support calls and relationship answers; billing keeps the
  // automatic follow-up, so a billing detractor with a ticket ends up with two items (warned).
  await t.ok(survey, { input: { code: 'TX-SUPPORT-CALL', name: 'After a support call', kind: 'TRANSACTIONAL', autoFollowUp: false } });
  await t.ok(survey, { input: { code: 'TX-BILLING', name: 'After a billing inquiry', kind: 'TRANSACTIONAL', autoFollowUp: true } });
  await t.ok(survey, { input: { code: 'REL-QUARTERLY', name: 'Quarterly relationship', kind: 'RELATIONSHIP', cadenceDays: 90, autoFollowUp: false } });
});

afterAll(async () => {
  await t?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('fatal problems exit 1 with a clear message and change nothing', () => {
  it('refuses a bad key (401)', async () => {
    const before = await snapshot();
    const run = await runScript([], { API_KEY: 'nps_not_a_real_key' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/FATAL: the API refused API_KEY \(HTTP 401 UNAUTHENTICATED/);
    expect(run.stdout).not.toMatch(/retry/);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a missing key, a bad API_URL, an unreadable file and a role without the permissions', async () => {
    const noKey = await runScript([], { API_KEY: '' });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/FATAL: API_KEY is required/);

    const badUrl = await runScript([], { API_URL: 'ftp://example.com/graphql' });
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr).toMatch(/FATAL: API_URL must be http/);

    const missingFile = await runScript(['--responses', path.join(tmp, 'nope.json')]);
    expect(missingFile.code).toBe(1);
    expect(missingFile.stderr).toMatch(/FATAL: cannot read the responses file .*nope\.json/);

    const notArray = await runScript(['--tickets', writeTmp('object.json', { id: 'x' })]);
    expect(notArray.code).toBe(1);
    expect(notArray.stderr).toMatch(/must hold a JSON array/);

    const before = await snapshot();
    const executive = await createApiKey(t, { role: Role.EXECUTIVE });
    const run = await runScript([], { API_KEY: executive });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/FATAL: the key's role EXECUTIVE lacks WRITE_RESPONSES, WRITE_ACTION_ITEMS/);
    expect(await snapshot()).toEqual(before);
  });
});

describe('the sample: first run, then the same input again', () => {
  it('first run stores the responses, creates an item per linked ticket and syncs its status', async () => {
    const run = await runScript([]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`as "${KEY_NAME}" (INTEGRATION)`);
    expect(run.stdout).toContain('responses: 8 rows → 8 accepted, 0 duplicates, 0 conflicts, 0 rejected');
    expect(run.stdout).toContain('tickets: 8 → 6 created, 0 updated, 0 unchanged, 0 conflicts, 1 rejected, 1 skipped');
    // The ticket whose response was never pushed cannot be linked, and says why.
    expect(run.stdout).toMatch(/ticket ZD-5007: NOT_FOUND: .*Response with externalRef .SURVEY-6950. does not exist/);
    // The billing detractor also has its automatic follow-up item.
    expect(run.stdout).toMatch(/warning: ticket ZD-5003: response SURVEY-7004 \(score 4 on TX-BILLING\) also has the automatic follow-up/);

    const responses = await t.ok(`{ responses(first: 100) { totalCount edges { node { externalRef score department { code } } } } }`);
    expect(responses.responses.totalCount).toBe(SAMPLE_RESPONSES.length);
    const stored = new Map(responses.responses.edges.map((e: any) => [e.node.externalRef, e.node]));
    for (const r of SAMPLE_RESPONSES) expect(stored.get(r.externalRef)).toEqual({ externalRef: r.externalRef, score: r.score, department: { code: r.departmentCode } });

    const all = await items();
    expect(all).toHaveLength(7);
    const auto = all.filter((i) => i.autoCreated);
    expect(auto.map((i) => [i.response?.externalRef, i.status, i.externalRef])).toEqual([['SURVEY-7004', 'OPEN', null]]);

    const refs = await byRef();
    const expected: Record<string, [string, string, string]> = {
      'ZD-5001': ['DONE', 'SURVEY-7001', 'CX-SUP-EMEA'],
      'ZD-5002': ['IN_PROGRESS', 'SURVEY-7003', 'CX-SUP-AMER'],
      'ZD-5003': ['BLOCKED', 'SURVEY-7004', 'OPS-BILL'],
      'ZD-5004': ['BLOCKED', 'SURVEY-7007', 'CX-SUP-APAC'],
      'ZD-5005': ['WONT_DO', 'SURVEY-7008', 'SAL-AM'],
      'ZD-5006': ['OPEN', 'SURVEY-7005', 'OPS-BILL'],
    };
    expect([...refs.keys()].sort()).toEqual(Object.keys(expected));
    for (const [ref, [status, responseRef, deptCode]] of Object.entries(expected)) {
      const item = refs.get(ref)!;
      expect([item.status, item.response?.externalRef, item.department?.code]).toEqual([status, responseRef, deptCode]);
      expect(item.autoCreated).toBe(false);
      expect(item.events[0]).toMatchObject({ field: 'created', actor: KEY_NAME });
      expect(item.title).toMatch(new RegExp(`^Ticket ${ref}: `));
    }
    const done = refs.get('ZD-5001')!;
    expect(done.version).toBe(2);
    expect(done.closedAt).not.toBeNull();
    expect(done.events.slice(1)).toEqual([{ field: 'status', fromValue: 'OPEN', toValue: 'DONE', note: 'Ticket ZD-5001 is solved', actor: KEY_NAME }]);
    // A new ticket maps to OPEN, which a created item already is: no status event.
    expect(refs.get('ZD-5006')!.events.map((e) => e.field)).toEqual(['created']);
    expect(refs.get('ZD-5006')!.version).toBe(1);
  });

  it('a second run with the same input changes nothing: all DUPLICATE / UNCHANGED, no new events', async () => {
    const before = await snapshot();
    const run = await runScript([]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('responses: 8 rows → 0 accepted, 8 duplicates, 0 conflicts, 0 rejected');
    expect(run.stdout).toContain('tickets: 8 → 0 created, 0 updated, 6 unchanged, 0 conflicts, 1 rejected, 1 skipped');
    expect(run.stdout).not.toMatch(/warning: ticket ZD-5003/);
    expect(await snapshot()).toEqual(before);
  });
});

describe('later ticket changes', () => {
  const changes = [
    { id: 'ZD-5001', status: 'open', responseExternalRef: 'SURVEY-7001' }, // DONE → IN_PROGRESS: reopened directly
    { id: 'ZD-5002', status: 'solved', responseExternalRef: 'SURVEY-7003', lastSyncedVersion: 1 }, // item is at version 2: CONFLICT
    { id: 'ZD-5003', status: 'solved', responseExternalRef: 'SURVEY-7004', lastSyncedVersion: 2 }, // BLOCKED → DONE: via IN_PROGRESS
    { id: 'ZD-5004', status: 'new', responseExternalRef: 'SURVEY-7007' }, // BLOCKED → OPEN: via IN_PROGRESS
    { id: 'ZD-5005', status: 'closed', responseExternalRef: 'SURVEY-7008' }, // WONT_DO → DONE: via IN_PROGRESS
    { id: 'ZD-5006', status: 'new', responseExternalRef: 'SURVEY-7005' }, // unchanged
    { id: 'ZD-5009', status: 'open', responseExternalRef: 'SURVEY-7002' }, // no item yet; its response was pushed by an earlier run
    { id: 'ZD-5010', status: 'escalated', responseExternalRef: 'SURVEY-7006' }, // unknown status
  ];

  it('applies moves the lifecycle refuses directly through IN_PROGRESS, and refuses a stale lastSyncedVersion', async () => {
    const file = writeTmp('changes.json', changes);
    const before = await byRef();
    const run = await runScript(['--tickets', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/submitResponse/);
    expect(run.stdout).toContain('tickets: 8 → 1 created, 4 updated, 1 unchanged, 1 conflicts, 0 rejected, 1 skipped');
    expect(run.stdout).toMatch(/ticket ZD-5002: CONFLICT: .*version 2, not 1.*since version 1, which the ticket last saw: not overwritten/);
    // Linked by the response's externalRef although this run did not push the response.
    expect(run.stdout).toMatch(/ticket ZD-5009 \(open\) → IN_PROGRESS, item created/);
    expect(run.stdout).toMatch(/warning: ticket ZD-5010: unknown ticket status "escalated"/);
    expect(run.stdout).toMatch(/ticket ZD-5003 \(solved\) → DONE; action item version 4/);

    const after = await byRef();
    expect(after.get('ZD-5002')).toEqual(before.get('ZD-5002'));
    expect(after.get('ZD-5006')).toEqual(before.get('ZD-5006'));
    expect(after.get('ZD-5009')!.status).toBe('IN_PROGRESS');
    expect(statusEvents(after.get('ZD-5001')!)).toEqual(['OPEN->DONE', 'DONE->IN_PROGRESS']);
    expect(after.get('ZD-5001')!.closedAt).toBeNull();
    expect(statusEvents(after.get('ZD-5003')!)).toEqual(['OPEN->BLOCKED', 'BLOCKED->IN_PROGRESS', 'IN_PROGRESS->DONE']);
    expect(after.get('ZD-5003')!.events.slice(-2).map((e) => e.note)).toEqual([
      'Ticket ZD-5003 is solved: through IN_PROGRESS on the way to DONE',
      'Ticket ZD-5003 is solved',
    ]);
    expect(statusEvents(after.get('ZD-5004')!)).toEqual(['OPEN->BLOCKED', 'BLOCKED->IN_PROGRESS', 'IN_PROGRESS->OPEN']);
    expect(statusEvents(after.get('ZD-5005')!)).toEqual(['OPEN->WONT_DO', 'WONT_DO->IN_PROGRESS', 'IN_PROGRESS->DONE']);

    // Again: nothing more changes (the conflict stays a conflict until someone resolves it).
    const snap = await snapshot();
    const again = await runScript(['--tickets', file]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('tickets: 8 → 0 created, 0 updated, 6 unchanged, 1 conflicts, 0 rejected, 1 skipped');
    expect(await snapshot()).toEqual(snap);
  });
});

describe('per-row results', () => {
  it('prints each REJECTED and CONFLICT row with its index across batches, field and message, and stores the valid rows', async () => {
    const rows = [
      { externalRef: 'SURVEY-7101', surveyCode: 'TX-SUPPORT-CALL', score: 7, respondedAt: '2026-11-12T10:00:00Z' },
      { externalRef: 'SURVEY-7102', surveyCode: 'TX-SUPPORT-CALL', score: 11, respondedAt: '2026-11-12T10:00:00Z' },
      { externalRef: 'SURVEY-7103', surveyCode: 'NO-SUCH-SURVEY', score: 9, respondedAt: '2026-11-12T10:00:00Z' },
      { externalRef: 'SURVEY-7104', surveyCode: 'TX-SUPPORT-CALL', score: 9, respondedAt: '2999-01-01T00:00:00Z' },
      // Stored by the sample with a comment, channel, touchpoint and department: CONFLICT, not changed.
      { externalRef: 'SURVEY-7001', surveyCode: 'TX-SUPPORT-CALL', score: 2, respondedAt: '2026-11-02T09:15:00Z' },
      // Ill-typed: a string score, a date without a time. Rejected on their own, not FATAL.
      { externalRef: 'SURVEY-7105', surveyCode: 'TX-SUPPORT-CALL', score: '7', respondedAt: '2026-11-12T10:00:00Z' },
      { externalRef: 'SURVEY-7106', surveyCode: 'TX-SUPPORT-CALL', score: 7, respondedAt: '2026-11-12' },
    ];
    const before = await count('responses');
    const run = await runScript(['--responses', writeTmp('rows.json', rows)], { RESPONSES_BATCH_SIZE: '2' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('submitResponseRows batch 1/4 (rows 0-1): 1 accepted, 0 duplicates, 0 conflicts, 1 rejected');
    expect(run.stdout).toContain('submitResponseRows batch 3/4 (rows 4-5): 0 accepted, 0 duplicates, 1 conflicts, 1 rejected');
    expect(run.stdout).toMatch(/CONFLICT row 4 \(externalRef "SURVEY-7001"\): stored with a different comment, departmentCode, channel, touchpoint; not changed/);
    expect(run.stdout).toMatch(/REJECTED row 5 \(externalRef "SURVEY-7105"\): score: .*Int.*\[BAD_USER_INPUT\]/);
    expect(run.stdout).toMatch(/REJECTED row 6 \(externalRef "SURVEY-7106"\): respondedAt: .*\[BAD_USER_INPUT\]/);
    expect(run.stdout).toMatch(/REJECTED row 1 \(externalRef "SURVEY-7102"\): score: score must be a whole number from 0 to 10, got 11 \[BAD_USER_INPUT\]/);
    expect(run.stdout).toMatch(/REJECTED row 2 \(externalRef "SURVEY-7103"\): surveyCode: .*"NO-SUCH-SURVEY" does not exist \[NOT_FOUND\]/);
    expect(run.stdout).toMatch(/REJECTED row 3 \(externalRef "SURVEY-7104"\): respondedAt: .* is in the future .*\[BAD_USER_INPUT\]/);
    expect(run.stdout).toContain('responses: 7 rows → 1 accepted, 0 duplicates, 1 conflicts, 5 rejected');
    expect(await count('responses')).toBe(before + 1);
    const [row] = await t.deps.ds.query(`SELECT score FROM responses WHERE external_ref = 'SURVEY-7101'`);
    expect(row).toEqual({ score: 7 });
  });
});

/** A proxy in front of the API that misbehaves as `plan` says for the n-th request of each operation. */
async function startProxy(plan: (op: string, nth: number, total: number) => 'pass' | '503' | '429' | 'lose-answer') {
  const seen: string[] = [];
  const perOp = new Map<string, number>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', async () => {
      const op = /^\s*(?:query|mutation)\s+(\w+)/.exec(JSON.parse(body).query)?.[1] ?? 'anonymous';
      const nth = (perOp.get(op) ?? 0) + 1;
      perOp.set(op, nth);
      const action = plan(op, nth, seen.length + 1);
      seen.push(`${op}#${nth}:${action}`);
      if (action === '503') return res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
      if (action === '429') return res.writeHead(429, { 'retry-after': '0', 'content-type': 'text/plain' }).end('Too Many Requests');
      const upstream = await fetch(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: req.headers.authorization ?? '' },
        body,
      });
      const text = await upstream.text();
      // The server did the work; the client never hears about it.
      if (action === 'lose-answer') return req.socket.destroy();
      res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('transient failures', () => {
  it('retries 503, 429 and lost answers; every write still happens exactly once', async () => {
    const rows = ['8001', '8002', '8003'].map((n, i) => ({
      externalRef: `SURVEY-${n}`,
      surveyCode: 'TX-SUPPORT-CALL',
      score: i,
      respondedAt: '2026-11-15T10:00:00Z',
      departmentCode: 'CX-SUP-EMEA',
    }));
    const tickets = [
      { id: 'ZD-6001', status: 'solved', responseExternalRef: 'SURVEY-8001' },
      { id: 'ZD-6002', status: 'pending', responseExternalRef: 'SURVEY-8002' },
    ];
    const proxy = await startProxy((op, nth, total) => {
      if (total === 1) return '503';
      if (total === 2) return '429';
      if (op === 'SubmitResponses' && nth === 1) return 'lose-answer';
      if (op === 'CreateActionItem' && nth === 1) return 'lose-answer';
      if (op === 'SyncStatuses' && nth === 2) return 'lose-answer';
      return 'pass';
    });
    try {
      const before = await snapshot();
      const run = await runScript(['--responses', writeTmp('retry-rows.json', rows), '--tickets', writeTmp('retry-tickets.json', tickets)], { API_URL: proxy.url });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/viewer: HTTP 503; retry 1\/5 in \d+ ms/);
      expect(run.stdout).toMatch(/viewer: HTTP 429; retry 2\/5/);
      expect(run.stdout).toMatch(/submitResponseRows batch 1\/1 \(rows 0-2\): network error .*; retry 1\/5/);
      expect(run.stdout).toMatch(/createActionItem ZD-6001: network error .*; retry 1\/5/);
      expect(run.stdout).toMatch(/bulkUpdateActionItems round 2 \(2 updates\): network error .*; retry 1\/5/);
      expect(proxy.seen).toContain('SyncStatuses#3:pass');
      // The lost attempt stored the rows; the retry found them stored.
      expect(run.stdout).toContain('responses: 3 rows → 0 accepted, 3 duplicates, 0 conflicts, 0 rejected');
      expect(run.stdout).toContain('tickets: 2 → 2 created, 0 updated, 0 unchanged, 0 conflicts, 0 rejected, 0 skipped');

      const after = await snapshot();
      expect(after.responses).toBe(before.responses + 3);
      expect(after.actionItems).toBe(before.actionItems + 2);
      // created + one status change for each item, nothing twice.
      expect(after.events).toBe(before.events + 4);
      const refs = await byRef();
      expect(statusEvents(refs.get('ZD-6001')!)).toEqual(['OPEN->DONE']);
      expect(statusEvents(refs.get('ZD-6002')!)).toEqual(['OPEN->BLOCKED']);
      expect(refs.get('ZD-6001')!.response?.externalRef).toBe('SURVEY-8001');
    } finally {
      await proxy.close();
    }
  });

  it("honours the server's own 429 (a spent rate-limit budget): waits Retry-After and sends the batch again, once", async () => {
    // A server on the same database whose INTEGRATION keys have 100 points per 5 s: the permission
    // check and two 2-row batches (about 42 points each) fit, the third batch waits for the next window.
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', RATE_LIMIT_INTEGRATION: '100', RATE_LIMIT_WINDOW_SECONDS: '5' });
    const limited = await createApp({ ...t.deps, config, logger: createLogger('silent') });
    try {
      const url = `http://127.0.0.1:${await limited.listen(0, '127.0.0.1')}/graphql`;
      const rows = [1, 2, 3, 4, 5, 6].map((n) => ({ externalRef: `SURVEY-RL-${n}`, surveyCode: 'TX-SUPPORT-CALL', score: n, respondedAt: '2026-11-16T10:00:00Z' }));
      const before = await count('responses');
      const run = await runScript(['--responses', writeTmp('rl-rows.json', rows)], {
        API_URL: url,
        API_KEY: await createApiKey(t, { role: Role.INTEGRATION }),
        RESPONSES_BATCH_SIZE: '2',
      });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/submitResponseRows batch 3\/3 \(rows 4-5\): HTTP 429; retry 1\/5 in ([1-5]\d{3}|[1-9]\d{2}) ms/);
      expect(run.stdout).toContain('responses: 6 rows → 6 accepted, 0 duplicates, 0 conflicts, 0 rejected');
      expect(await count('responses')).toBe(before + 6);
    } finally {
      await limited.stop();
    }
  });

  it('gives up after MAX_ATTEMPTS with exit code 1 and says a rerun is safe', async () => {
    const proxy = await startProxy(() => '503');
    try {
      const run = await runScript([], { API_URL: proxy.url, MAX_ATTEMPTS: '3' });
      expect(run.code).toBe(1);
      expect(proxy.seen).toEqual(['Viewer#1:503', 'Viewer#2:503', 'Viewer#3:503']);
      expect(run.stderr).toMatch(/FATAL: viewer: gave up after 3 attempts \(last: HTTP 503\)\. It is safe to run the script again/);
    } finally {
      await proxy.close();
    }
  });
});
