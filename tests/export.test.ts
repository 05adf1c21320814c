/**
 * GET /export/responses.csv|.jsonl: the same keys as /graphql, scoped by role, verbatims only for
 * keys that may read them, INTEGRATION refused, formula cells neutralized, and over 100,000 rows
 * memory stays flat and the (embedded database's only) connection is free between chunks.
 */
import { createApiKey, createTestApp, listenHttp, TestApp } from './support/test-app';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Role } from '../src/modules/auth/viewer';

let t: TestApp;
let base: string;
const keys: Record<string, string> = {};

/** A minimal RFC 4180 reader (quoted cells, doubled quotes, CRLF) for the assertions. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += ch;
  }
  return rows;
}

const get = (path: string, key?: string) => fetch(`${base}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
const q = (filter: unknown) => `?filter=${encodeURIComponent(JSON.stringify(filter))}`;

beforeAll(async () => {
  t = await createTestApp();
  const http = await listenHttp(t);
  base = http.url.replace(/\/graphql$/, '');
  await t.ok(`mutation { a: upsertDepartment(input: { code: "A", name: "A" }) { id } b: upsertDepartment(input: { code: "B", name: "B" }) { id } }`);
  await t.ok(`mutation { upsertSurvey(input: { code: "TX", name: "Tx", kind: TRANSACTIONAL }) { id } }`);
  await t.ok(`mutation { upsertPerson(input: { email: "ann@example.com", name: "Ann", departmentCode: "A" }) { id } }`);
  const res = await t.ok(`mutation($r: [ResponseInput!]!) { submitResponses(responses: $r) { accepted } }`, {
    r: [
      { externalRef: 'r1', surveyCode: 'TX', score: 2, respondedAt: '2026-01-10T00:00:00Z', departmentCode: 'A', agentEmail: 'ann@example.com', channel: 'phone',
        comment: '=HYPERLINK("http://evil","click")', followUpAnswers: [{ question: 'Why?', answer: '-slow, "very" slow\nreally' }], customer: { externalRef: 'crm-1', region: 'EU' } },
      { externalRef: 'r2', surveyCode: 'TX', score: 9, respondedAt: '2026-01-11T00:00:00Z', departmentCode: 'B', comment: '@SUM(1)', customer: { externalRef: '+crm-2' } },
      { externalRef: 'r3', surveyCode: 'TX', score: 7, respondedAt: '2026-01-12T00:00:00Z', departmentCode: 'B', comment: 'fine, thanks' },
    ],
  });
  expect(res.submitResponses.accepted).toBe(3);
  keys.admin = await createApiKey(t, { role: Role.ADMIN });
  keys.manager = await createApiKey(t, { role: Role.MANAGER, departmentCode: 'A' });
  keys.integration = await createApiKey(t, { role: Role.INTEGRATION });
}, 300_000);
afterAll(() => t.close());

describe('the export', () => {
  it('CSV: a header, every matching response newest first, formula cells neutralized, quoting that reads back', async () => {
    const res = await get('/export/responses.csv', keys.admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...rows] = parseCsv(await res.text());
    expect(header).toEqual(['id', 'externalRef', 'respondedAt', 'receivedAt', 'score', 'category', 'surveyCode', 'departmentCode', 'channel', 'touchpoint',
      'agentEmail', 'customerExternalRef', 'region', 'plan', 'product', 'signupChannel', 'comment', 'followUpAnswers']);
    const by = (name: string, row: string[]) => row[header.indexOf(name)];
    expect(rows.map((r) => by('externalRef', r))).toEqual(['r3', 'r2', 'r1']);
    const r1 = rows[2];
    expect([by('score', r1), by('category', r1), by('departmentCode', r1), by('agentEmail', r1), by('customerExternalRef', r1), by('region', r1), by('channel', r1)])
      .toEqual(['2', 'DETRACTOR', 'A', 'ann@example.com', 'crm-1', 'EU', 'phone']);
    expect(by('comment', r1)).toBe(`'=HYPERLINK("http://evil","click")`);
    expect(JSON.parse(by('followUpAnswers', r1))).toEqual([{ question: 'Why?', answer: '-slow, "very" slow\nreally' }]);
    expect(by('comment', rows[1])).toBe("'@SUM(1)");
    expect(by('customerExternalRef', rows[1])).toBe("'+crm-2");
    expect(by('comment', rows[0])).toBe('fine, thanks');
  });

  it('JSON Lines with a filter: one object per line, values as stored', async () => {
    const res = await get(`/export/responses.jsonl${q({ departmentCodes: ['B'], minScore: 8 })}`, keys.admin);
    expect(res.status).toBe(200);
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ externalRef: 'r2', score: 9, category: 'PROMOTER', comment: '@SUM(1)', customerExternalRef: '+crm-2', followUpAnswers: [] });
  });

  it('is scoped like responses for a MANAGER, refused for INTEGRATION and without a key, and checks the filter', async () => {
    const mine = (await (await get('/export/responses.jsonl', keys.manager)).text()).trim().split('\n').map((l) => JSON.parse(l).externalRef);
    expect(mine).toEqual(['r1']);
    const refused = await get('/export/responses.csv', keys.integration);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as any).errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', permission: 'READ_REPORTS' });
    expect((await get('/export/responses.csv')).status).toBe(401);
    expect((await get('/export/responses.csv', 'not-a-key')).status).toBe(401);
    const bad = await get('/export/responses.csv?filter=%7Bnope', keys.admin);
    expect([bad.status, ((await bad.json()) as any).errors[0].extensions]).toEqual([400, { code: 'BAD_USER_INPUT', field: 'filter' }]);
    const unknown = await get(`/export/responses.csv${q({ departmentCodes: ['ZZZ'] })}`, keys.admin);
    expect([unknown.status, ((await unknown.json()) as any).errors[0].extensions.code]).toEqual([400, 'BAD_USER_INPUT']);
    const outside = await get(`/export/responses.csv${q({ departmentCodes: ['B'] })}`, keys.manager);
    expect(outside.status).toBe(403);
  });

  it('streams 100,000 rows with flat memory, and other requests run between its chunks', async () => {
    const [survey] = await t.deps.ds.query(`SELECT id FROM surveys WHERE code = 'TX'`);
    await t.deps.ds.query(
      `INSERT INTO responses (external_ref, survey_id, score, comment, channel, responded_at)
       SELECT 'bulk-' || g, $1, g % 11, 'comment number ' || g || ' with some words to make the row longer than a few bytes', 'email',
              timestamptz '2025-01-01' + make_interval(secs => g)
       FROM generate_series(1, 100000) g`,
      [survey.id],
    );
    // The heap after a full collection: what is retained, not garbage waiting for the collector.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const heap = () => (gc(), process.memoryUsage().heapUsed);
    const baseline = heap();
    let peak = baseline;
    let reads = 0;
    const res = await get('/export/responses.csv', keys.admin);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let bytes = 0;
    let lines = 0;
    let paused = false;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      for (const b of value) if (b === 10) lines++;
      if (++reads % 10 === 0) peak = Math.max(peak, heap());
      if (!paused && lines > 20_000) {
        // The export is mid-way and this reader stops reading: a GraphQL request still gets the connection.
        paused = true;
        const started = Date.now();
        const other = await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.admin}` },
          body: JSON.stringify({ query: '{ npsSummary { responses } }' }),
        });
        expect(((await other.json()) as any).data.npsSummary.responses).toBe(100_003);
        expect(Date.now() - started).toBeLessThan(30_000);
      }
    }
    // Header + 100,003 records (the follow-up answers' line break is inside their JSON, escaped).
    expect(lines).toBe(1 + 100_003);
    expect(bytes).toBeGreaterThan(15_000_000);
    // One chunk (2,000 rows) at a time: what the heap retains does not grow with the 15 MB sent
    // (holding the rows would retain well over 100 MB).
    expect((peak - baseline) / 1e6).toBeLessThan(25);
  }, 600_000);
});
