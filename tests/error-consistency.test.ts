import fs from 'node:fs';
import path from 'node:path';
import { CLIENT_ERROR_CODES } from '../src/common/errors';
import { Role } from '../src/modules/auth/viewer';
import { insertKpiTree, insertPerson } from './support/org-fixture';
import { createApiKey, createTestApp, GqlResult, listenHttp, HttpClient, TestApp, viewers } from './support/test-app';

/**
 * One mistake, one answer (issue 11, item 5): a range the wrong way round, a missing permission and
 * a version conflict answer the same way wherever they happen, and every extensions.code the server
 * can send is in the README's table.
 */
let t: TestApp;
let http: HttpClient;
const ids: Record<string, string> = {};
const NOW = new Date('2026-06-15T12:00:00Z');

beforeAll(async () => {
  t = await createTestApp({ MAX_BODY_BYTES: '20000' });
  const sql = (q: string, p?: unknown[]) => t.db.dataSource.query(q, p);
  await insertKpiTree(sql, ids);
  await insertPerson(sql, ids, 'ann', 'Ann', 'SUP');
  const [target] = await sql(
    `INSERT INTO kpi_targets (owner_id, metric, target, period_start, period_end, department_id) VALUES ($1, 'NPS', 20, '2026-04-01', '2026-07-01', $2) RETURNING id`,
    [ids.ann, ids.SUP],
  );
  ids.target = target.id;
  http = await listenHttp(t);
});
afterAll(() => t?.close());

/** The one error of a result, as the client sees it. */
function only(res: GqlResult): { message: string; extensions: Record<string, unknown> } {
  expect(res.errors ?? []).toHaveLength(1);
  const [e] = res.errors!;
  return { message: e.message, extensions: e.extensions ?? {} };
}

describe('a range the wrong way round', () => {
  const LATER = '2026-05-01T00:00:00Z';
  const EARLIER = '2026-04-01T00:00:00Z';
  const FUTURE = '2026-07-01T00:00:00Z';
  const reversed = { from: LATER, to: EARLIER };
  const F = 'query($f: ResponseFilter)';
  const FR = 'query($f: ResponseFilter!)';

  /** [what, query, variables, end field, start field, to defaulted to now] */
  const cases: [string, string, Record<string, unknown>, string, string, boolean][] = [
    ['npsSummary', `${F} { npsSummary(filter: $f) { responses } }`, { f: reversed }, 'filter.to', 'filter.from', false],
    ['npsSummary, from = to', `${F} { npsSummary(filter: $f) { responses } }`, { f: { from: EARLIER, to: EARLIER } }, 'filter.to', 'filter.from', false],
    ['npsTrend', `${F} { npsTrend(interval: MONTH, filter: $f) { periodStart } }`, { f: reversed }, 'filter.to', 'filter.from', false],
    ['npsTrend, to defaulted to now', `${F} { npsTrend(interval: MONTH, filter: $f) { periodStart } }`, { f: { from: FUTURE } }, 'filter.to', 'filter.from', true],
    ['closedLoopTrend', `${F} { closedLoopTrend(interval: MONTH, filter: $f) { periodStart } }`, { f: reversed }, 'filter.to', 'filter.from', false],
    ['closedLoopTrend, to defaulted to now', `${F} { closedLoopTrend(interval: MONTH, filter: $f) { periodStart } }`, { f: { from: FUTURE } }, 'filter.to', 'filter.from', true],
    ['closedLoop', `${F} { closedLoop(filter: $f) { __typename } }`, { f: reversed }, 'filter.to', 'filter.from', false],
    ['npsComparison', `${FR} { npsComparison(filter: $f) { __typename } }`, { f: reversed }, 'filter.to', 'filter.from', false],
    ['departmentScores with compareTo', `${F} { departmentScores(filter: $f, compareTo: PREVIOUS_PERIOD) { depth } }`, { f: reversed }, 'filter.to', 'filter.from', false],
    ['movers', `${FR} { movers(filter: $f) { tests } }`, { f: reversed }, 'filter.to', 'filter.from', false],
    ['drivers', `${F} { drivers(filter: $f) { verbatims } }`, { f: reversed }, 'filter.to', 'filter.from', false],
    [
      'executiveSummary',
      'query($from: DateTimeISO!, $to: DateTimeISO!) { executiveSummary(from: $from, to: $to) { from } }',
      { from: LATER, to: EARLIER },
      'to',
      'from',
      false,
    ],
    [
      'actionItems',
      'query($f: ActionItemFilter) { actionItems(filter: $f) { totalCount } }',
      { f: { createdFrom: LATER, createdTo: EARLIER } },
      'filter.createdTo',
      'filter.createdFrom',
      false,
    ],
    [
      'createKpiTarget',
      'mutation($i: CreateKpiTargetInput!) { createKpiTarget(input: $i) { id } }',
      { i: { ownerEmail: 'ann@example.com', metric: 'NPS', target: 10, periodStart: LATER, periodEnd: EARLIER } },
      'periodEnd',
      'periodStart',
      false,
    ],
    [
      'updateKpiTarget (the stored start)',
      'mutation($id: ID!, $i: UpdateKpiTargetInput!) { updateKpiTarget(id: $id, input: $i) { id } }',
      { i: { periodEnd: '2026-03-01T00:00:00Z' } },
      'periodEnd',
      'periodStart',
      false,
    ],
  ];

  it.each(cases)('%s: "<end> must be after <start>", BAD_USER_INPUT, extensions naming the end', async (_what, query, vars, end, start, defaulted) => {
    const variables = 'id' in vars || !query.includes('$id') ? vars : { ...vars, id: ids.target };
    const err = only(await t.exec(query, variables, { now: () => NOW }));
    expect(err).toEqual({
      message: `${end} must be after ${start}${defaulted ? ` (${end} defaults to now)` : ''}`,
      extensions: { code: 'BAD_USER_INPUT', field: end, startField: start, ...(defaulted ? { endDefault: 'now' } : {}) },
    });
  });

  it('answers a saved segment the same way', async () => {
    const err = only(await t.exec('mutation($i: CreateSegmentInput!) { createSegment(input: $i) { id } }', { i: { name: 'Backwards', filter: reversed } }));
    expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', startField: expect.stringMatching(/from$/) });
    expect(err.message).toBe(`${err.extensions.field} must be after ${err.extensions.startField}`);
  });

  it('answers min/max pairs (inclusive) in the same shape: "<max> must not be below <min>"', async () => {
    for (const [min, max] of [['minScore', 'maxScore'], ['spendMin', 'spendMax'], ['tenureMinDays', 'tenureMaxDays']]) {
      const err = only(await t.exec(`${F} { npsSummary(filter: $f) { responses } }`, { f: { [min]: 9, [max]: 2 } }));
      expect(err).toEqual({
        message: `filter.${max} must not be below filter.${min}`,
        extensions: { code: 'BAD_USER_INPUT', field: `filter.${max}`, startField: `filter.${min}` },
      });
    }
  });
});

describe('a missing permission', () => {
  let schemaPermissions: string[];
  beforeAll(async () => {
    const data = await t.ok('{ __type(name: "Permission") { enumValues { name } } }');
    schemaPermissions = data.__type.enumValues.map((v: { name: string }) => v.name);
  });

  /** [what, query, variables, viewer, role, permission] */
  const cases: [string, string, Record<string, unknown>, () => typeof viewers.admin, string, string][] = [
    ['a report read by an INTEGRATION key', '{ npsSummary { responses } }', {}, () => viewers.integration, 'INTEGRATION', 'READ_REPORTS'],
    ['responses read by an INTEGRATION key', '{ responses { totalCount } }', {}, () => viewers.integration, 'INTEGRATION', 'READ_RESPONSES'],
    [
      'a target written by a MANAGER key',
      'mutation($i: CreateKpiTargetInput!) { createKpiTarget(input: $i) { id } }',
      { i: { ownerEmail: 'ann@example.com', metric: 'NPS', target: 10, periodStart: '2026-04-01T00:00:00Z', periodEnd: '2026-07-01T00:00:00Z' } },
      () => viewers.manager(ids.SUP),
      'MANAGER',
      'WRITE_TARGETS',
    ],
    ['API keys listed by an EXECUTIVE key', '{ apiKeys { id } }', {}, () => viewers.executive, 'EXECUTIVE', 'ADMIN_KEYS'],
  ];

  it.each(cases)('%s: FORBIDDEN naming the permission as the schema spells it, in the message and extensions.permission', async (_what, query, vars, viewer, role, permission) => {
    const err = only(await t.exec(query, vars, { viewer: viewer() }));
    expect(schemaPermissions).toContain(permission);
    expect(err).toEqual({
      message: `Your key (role ${role}) does not have the permission ${permission}`,
      extensions: { code: 'FORBIDDEN', permission },
    });
  });

  it('names it the same way on a field (a verbatim in an INTEGRATION key’s ingest results)', async () => {
    await t.db.dataSource.query(`INSERT INTO surveys (code, name, kind) VALUES ('NPS', 'NPS', 'RELATIONSHIP') ON CONFLICT DO NOTHING`);
    const res = await t.exec(
      'mutation($r: [ResponseInput!]!) { submitResponses(responses: $r) { accepted results { response { id comment } } } }',
      { r: [{ externalRef: 'perm-1', surveyCode: 'NPS', score: 3, comment: 'slow', respondedAt: '2026-06-01T10:00:00Z' }] },
      { viewer: viewers.integration },
    );
    expect(res.errors?.map((e) => [e.path?.at(-1), e.message, e.extensions])).toEqual([
      ['comment', 'Your key (role INTEGRATION) does not have the permission READ_RESPONSES', { code: 'FORBIDDEN', permission: 'READ_RESPONSES' }],
    ]);
  });
});

describe('a version conflict', () => {
  it('gives the current version in extensions wherever an action item conflicts: update, bulk update, create by externalRef', async () => {
    const created = await t.ok('mutation($i: CreateActionItemInput!) { createActionItem(input: $i) { id version } }', {
      i: { title: 'Call back', externalRef: 'CONFLICT-1', departmentId: ids.SUP },
    });
    const { id } = created.createActionItem;
    await t.ok('mutation($i: UpdateActionItemInput!) { updateActionItem(input: $i) { version } }', { i: { id, status: 'IN_PROGRESS', expectedVersion: 1 } });
    const current = (await t.ok('query($id: ID!) { actionItem(id: $id) { version } }', { id })).actionItem.version;
    expect(current).toBe(2);

    const update = only(await t.exec('mutation($i: UpdateActionItemInput!) { updateActionItem(input: $i) { version } }', { i: { id, status: 'DONE', expectedVersion: 1 } }));
    expect(update.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: current, expectedVersion: 1 });

    const bulk = await t.ok(
      'mutation($u: [UpdateActionItemInput!]!) { bulkUpdateActionItems(updates: $u) { results { status error { code currentVersion } } } }',
      { u: [{ id, status: 'DONE', expectedVersion: 1 }] },
    );
    expect(bulk.bulkUpdateActionItems.results).toEqual([{ status: 'REJECTED', error: { code: 'CONFLICT', currentVersion: current } }]);

    const create = only(
      await t.exec('mutation($i: CreateActionItemInput!) { createActionItem(input: $i) { id } }', {
        i: { title: 'Something else', externalRef: 'CONFLICT-1', departmentId: ids.SUP },
      }),
    );
    expect(create.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: current, existingId: id });
  });
});

describe("the README's table of error codes", () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  /** code → its HTTP cell, from the rows of the table in "### Errors". */
  const table = (() => {
    const start = readme.indexOf('\n### Errors\n');
    expect(start).toBeGreaterThan(0);
    const section = readme.slice(start + 1).split(/\n## /)[0];
    const rows = new Map<string, string>();
    for (const line of section.split('\n')) {
      const m = /^\| `([A-Z_]+)` \| ([^|]+) \|/.exec(line);
      if (m) rows.set(m[1], m[2]);
    }
    return rows;
  })();

  it('lists exactly the codes the server can send (CLIENT_ERROR_CODES)', () => {
    expect([...table.keys()].sort()).toEqual([...CLIENT_ERROR_CODES].sort());
  });

  it('misses no code written as a literal in src/ (an answer built outside the error boundary)', () => {
    const literals: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith('.ts') && !file.endsWith('.spec.ts')) {
          fs.readFileSync(file, 'utf8')
            .split('\n')
            .forEach((line, i) => {
              // A line about a code: every SHOUTING_SNAKE literal on it is one.
              if (!/code/i.test(line)) return;
              for (const m of line.matchAll(/['"`]([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)['"`]/g)) literals.push(`${m[1]} ${path.relative(process.cwd(), file)}:${i + 1}`);
            });
        }
      }
    };
    walk(path.join(__dirname, '..', 'src'));
    expect(literals.length).toBeGreaterThan(0); // the scan sees the HTTP layer's own codes
    expect(literals.filter((l) => !table.has(l.split(' ')[0]))).toEqual([]);
  });

  /** [code expected, HTTP status, the request] over real HTTP. */
  const json = (body: unknown, key?: string) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  it('gives each request-level code the HTTP status the table says, over HTTP', async () => {
    const admin = await createApiKey(t, { role: Role.ADMIN });
    const integration = await createApiKey(t, { role: Role.INTEGRATION });
    const cases: [string, string, RequestInit][] = [
      ['GRAPHQL_PARSE_FAILED', http.url, json({ query: '{ viewer {' }, admin)],
      ['GRAPHQL_VALIDATION_FAILED', http.url, json({ query: '{ nothingHere }' }, admin)],
      ['BAD_REQUEST', http.url, json('{not json', admin)],
      ['BAD_REQUEST', `${http.url}?query=${encodeURIComponent('{ viewer { role } }')}`, { headers: { authorization: `Bearer ${admin}` } }],
      ['OPERATION_RESOLUTION_FAILURE', http.url, json({ query: 'query A { viewer { role } }', operationName: 'B' }, admin)],
      ['PERSISTED_QUERY_NOT_FOUND', http.url, json({ extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }, admin)],
      ['UNAUTHENTICATED', http.url, json({ query: '{ viewer { role } }' })],
      ['BAD_USER_INPUT', http.url, json({ query: 'query($f: ResponseFilter) { npsSummary(filter: $f) { nps } }', variables: { f: { from: 'soon' } } }, admin)],
      ['BAD_USER_INPUT', http.url, json({ query: '{ npsSummary(filter: { from: "2026-05-01T00:00:00Z", to: "2026-04-01T00:00:00Z" }) { nps } }' }, admin)],
      ['FORBIDDEN', http.url, json({ query: '{ npsSummary { nps } }' }, integration)],
      ['NOT_FOUND', http.url, json({ query: `{ department(id: "00000000-0000-4000-8000-000000000000") { id } }` }, admin)],
      ['PAYLOAD_TOO_LARGE', http.url, json({ query: '{ viewer { role } }', variables: { pad: 'x'.repeat(30_000) } }, admin)],
    ];
    const seen: string[] = [];
    for (const [code, url, init] of cases) {
      const res = await fetch(url, init);
      const body = (await res.json()) as GqlResult;
      const got = body.errors?.[0]?.extensions?.code;
      seen.push(`${code} ${got} ${res.status}`);
      expect({ code: got }).toEqual({ code });
      // Every error answer carries the request's id (the x-request-id it answered).
      expect({ code, requestIds: body.errors!.map((e) => e.extensions?.requestId) }).toEqual({ code, requestIds: body.errors!.map(() => res.headers.get('x-request-id')) });
      expect({ code, status: res.status, documented: table.get(code) }).toEqual({ code, status: res.status, documented: expect.stringContaining(String(res.status)) });
    }
    expect(seen).toHaveLength(cases.length);
  });
});
