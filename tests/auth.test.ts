import { createHash } from 'node:crypto';
import { createApiKey, createTestApp, codes, HttpClient, listenHttp, TestApp, viewers } from './support/test-app';
import { Role } from '../src/modules/auth/viewer';
import { Permission, ROLE_PERMISSIONS } from '../src/modules/auth/permissions';

let t: TestApp;
let http: HttpClient;
let salesId: string;
beforeAll(async () => {
  t = await createTestApp();
  http = await listenHttp(t);
  const [co] = await t.db.dataSource.query(`INSERT INTO departments (code, name) VALUES ('CO', 'Company') RETURNING id`);
  const [sales] = await t.db.dataSource.query(`INSERT INTO departments (code, name, parent_id) VALUES ('SALES', 'Sales', $1) RETURNING id`, [co.id]);
  salesId = sales.id;
});
afterAll(() => t.close());

const VIEWER = `{ viewer { keyId name role department { code } permissions } }`;
const CREATE = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id name role prefix department { code } createdAt lastUsedAt revokedAt } } }`;
const REVOKE = `mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`;
const KEYS = `query($all: Boolean!) { apiKeys(includeRevoked: $all) { id name role prefix createdAt revokedAt } }`;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const keyCount = async () => Number((await t.db.dataSource.query('SELECT count(*)::int AS n FROM api_keys'))[0].n);

function expectUnauthenticated(res: { status: number; headers: Headers; body: any }, message: RegExp) {
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  expect(res.body.data).toBeUndefined();
  expect(res.body.errors).toHaveLength(1);
  expect(res.body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', requestId: res.headers.get('x-request-id') });
  expect(res.body.errors[0].message).toMatch(message);
}

describe('authentication over HTTP', () => {
  it('refuses a request without an Authorization header with 401 UNAUTHENTICATED', async () => {
    expectUnauthenticated(await http.post(`{ departments { code } }`), /Authorization: Bearer/);
  });

  it('refuses malformed headers, unknown and ill-formed keys with 401', async () => {
    const unknown = 'nps_' + 'A'.repeat(43);
    expectUnauthenticated(await http.post(VIEWER, {}, { authorization: 'Basic dXNlcjpwYXNz' }), /Malformed/);
    expectUnauthenticated(await http.post(VIEWER, {}, { authorization: 'Bearer' }), /Malformed/);
    expectUnauthenticated(await http.post(VIEWER, {}, { authorization: `Bearer ${unknown} extra` }), /Malformed/);
    expectUnauthenticated(await http.post(VIEWER, {}, { key: unknown }), /Unknown API key/);
    expectUnauthenticated(await http.post(VIEWER, {}, { key: 'nps_short' }), /Unknown API key/);
    expectUnauthenticated(await http.post(VIEWER, {}, { key: "nps_'OR'1'='1" }), /Unknown API key/);
    expectUnauthenticated(await http.post(VIEWER, {}, { key: "' OR 1=1 --" }), /Malformed/);
  });

  it('answers 200 for a valid key, as the key, whatever the case of "Bearer"', async () => {
    const key = await createApiKey(t, { role: Role.EXECUTIVE, name: 'dash' });
    const res = await http.post(VIEWER, {}, { authorization: `bearer  ${key}` });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.viewer).toMatchObject({ name: 'dash', role: 'EXECUTIVE', department: null });
    expect(res.body.data.viewer.permissions).toEqual(['READ_ORG', 'READ_REPORTS', 'READ_RESPONSES', 'READ_TARGETS', 'READ_ACTION_ITEMS', 'WRITE_SEGMENTS', 'WRITE_TARGETS', 'WRITE_BENCHMARKS', 'WRITE_THEMES', 'WRITE_INITIATIVES', 'WRITE_ALERTS']);
  });

  it('shows a key once at creation, stores only its hash, and a revoked key stops working on the next request', async () => {
    const admin = await createApiKey(t, { role: Role.ADMIN, name: 'root' });
    const created = await http.post(CREATE, { input: { name: 'crm-sync', role: 'INTEGRATION' } }, { key: admin });
    expect(created.status).toBe(200);
    expect(created.body.errors).toBeUndefined();
    const { key, apiKey } = created.body.data.createApiKey;
    expect(key).toMatch(/^nps_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({ name: 'crm-sync', role: 'INTEGRATION', department: null, lastUsedAt: null, revokedAt: null });
    expect(key.startsWith(apiKey.prefix)).toBe(true);
    expect(apiKey.prefix.length).toBeLessThan(16);

    // Only the hash is stored: no column holds the key.
    const [row] = await t.db.dataSource.query('SELECT * FROM api_keys WHERE id = $1', [apiKey.id]);
    expect(row.key_hash).toBe(sha256(key));
    expect(JSON.stringify(row)).not.toContain(key.slice(12));
    // And nothing in the schema can return it again.
    const type = await t.ok(`{ __type(name: "ApiKey") { fields { name } } }`);
    expect(type.__type.fields.map((f: any) => f.name).sort()).toEqual(['createdAt', 'department', 'id', 'lastUsedAt', 'name', 'prefix', 'rateLimit', 'revokedAt', 'role']);
    const listed = await http.post(KEYS, { all: true }, { key: admin });
    expect(JSON.stringify(listed.body)).not.toContain(key.slice(12));

    const ok = await http.post(VIEWER, {}, { key });
    expect(ok.status).toBe(200);
    expect(ok.body.data.viewer).toMatchObject({ keyId: apiKey.id, name: 'crm-sync', role: 'INTEGRATION' });

    const revoked = await http.post(REVOKE, { id: apiKey.id }, { key: admin });
    expect(revoked.body.errors).toBeUndefined();
    expect(revoked.body.data.revokeApiKey.revokedAt).not.toBeNull();
    expectUnauthenticated(await http.post(VIEWER, {}, { key }), /revoked/);
    // The admin key is untouched.
    expect((await http.post(VIEWER, {}, { key: admin })).status).toBe(200);
  });

  it('refuses key administration to other roles with FORBIDDEN (HTTP 200, a GraphQL error)', async () => {
    const exec = await createApiKey(t, { role: Role.EXECUTIVE });
    const before = await keyCount();
    const res = await http.post(CREATE, { input: { name: 'sneaky', role: 'ADMIN' } }, { key: exec });
    expect(res.status).toBe(200);
    expect(codes(res.body)).toEqual(['FORBIDDEN']);
    expect(res.body.data).toBeNull();
    expect(await keyCount()).toBe(before);
  });

  it('gives a MANAGER key its department', async () => {
    const key = await createApiKey(t, { role: Role.MANAGER, departmentCode: 'SALES', name: 'sales lead' });
    const res = await http.post(VIEWER, {}, { key });
    expect(res.body.data.viewer).toMatchObject({ name: 'sales lead', role: 'MANAGER', department: { code: 'SALES' } });
    expect(res.body.data.viewer.permissions).not.toContain('WRITE_ORG');
  });

  it('records last use, writing at most once a minute', async () => {
    const key = await createApiKey(t, { role: Role.INTEGRATION, name: 'usage' });
    const lastUsed = async () => (await t.db.dataSource.query(`SELECT last_used_at FROM api_keys WHERE name = 'usage'`))[0].last_used_at as Date | null;
    expect(await lastUsed()).toBeNull();
    await http.post(VIEWER, {}, { key });
    expect(await lastUsed()).not.toBeNull();
    await t.db.dataSource.query(`UPDATE api_keys SET last_used_at = now() - interval '30 seconds' WHERE name = 'usage'`);
    const recent = await lastUsed();
    await http.post(VIEWER, {}, { key });
    expect(await lastUsed()).toEqual(recent);
    await t.db.dataSource.query(`UPDATE api_keys SET last_used_at = now() - interval '2 minutes' WHERE name = 'usage'`);
    const stale = (await lastUsed())!;
    await http.post(VIEWER, {}, { key });
    expect((await lastUsed())!.getTime()).toBeGreaterThan(stale.getTime() + 60_000);
  });
});

describe('key administration', () => {
  it('validates createApiKey and changes nothing on bad input', async () => {
    await createApiKey(t, { role: Role.INTEGRATION, name: 'taken' });
    const before = await keyCount();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ name: 'm', role: 'MANAGER' }, 'BAD_USER_INPUT', /departmentCode/],
      [{ name: 'e', role: 'EXECUTIVE', departmentCode: 'SALES' }, 'BAD_USER_INPUT', /Only MANAGER/],
      [{ name: 'm', role: 'MANAGER', departmentCode: 'NOPE' }, 'NOT_FOUND', /NOPE/],
      [{ name: 'taken', role: 'ADMIN' }, 'CONFLICT', /already exists/],
      [{ name: '   ', role: 'ADMIN' }, 'BAD_USER_INPUT', /name/],
      [{ name: 'x'.repeat(101), role: 'ADMIN' }, 'BAD_USER_INPUT', /name/],
      [{ name: 'bell\u0007', role: 'ADMIN' }, 'BAD_USER_INPUT', /control/],
      [{ name: 'r', role: 'ROOT' }, 'BAD_USER_INPUT', /Role/],
    ];
    for (const [input, code, message] of cases) {
      const res = await t.exec(CREATE, { input });
      expect({ input, codes: codes(res) }).toEqual({ input, codes: [code] });
      expect(res.errors![0].message).toMatch(message);
    }
    expect(await keyCount()).toBe(before);
  });

  it('trims names, lists newest first without revoked keys unless asked, and frees the name of a revoked key', async () => {
    const a = (await t.ok(CREATE, { input: { name: '  reuse me ', role: 'EXECUTIVE' } })).createApiKey.apiKey;
    expect(a.name).toBe('reuse me');
    await t.ok(REVOKE, { id: a.id });
    const b = (await t.ok(CREATE, { input: { name: 'reuse me', role: 'EXECUTIVE' } })).createApiKey.apiKey;
    const active = (await t.ok(KEYS, { all: false })).apiKeys;
    expect(active[0].id).toBe(b.id);
    expect(active.some((k: any) => k.id === a.id)).toBe(false);
    expect(active.every((k: any) => k.revokedAt === null)).toBe(true);
    const all = (await t.ok(KEYS, { all: true })).apiKeys;
    expect(all.find((k: any) => k.id === a.id).revokedAt).not.toBeNull();
    expect(all.length).toBe(await keyCount());
    const times = all.map((k: any) => Date.parse(k.createdAt));
    expect(times).toEqual([...times].sort((x, y) => y - x));
  });

  it('revokes idempotently; unknown ids are NOT_FOUND and malformed ones BAD_USER_INPUT', async () => {
    const id = (await t.ok(CREATE, { input: { name: 'twice', role: 'INTEGRATION' } })).createApiKey.apiKey.id;
    const first = (await t.ok(REVOKE, { id }, { now: () => new Date('2030-01-01T00:00:00Z') })).revokeApiKey;
    expect(first.revokedAt).toBe('2030-01-01T00:00:00.000Z');
    const second = (await t.ok(REVOKE, { id }, { now: () => new Date('2031-01-01T00:00:00Z') })).revokeApiKey;
    expect(second.revokedAt).toBe('2030-01-01T00:00:00.000Z');
    expect(codes(await t.exec(REVOKE, { id: '00000000-0000-4000-8000-000000000000' }))).toEqual(['NOT_FOUND']);
    expect(codes(await t.exec(REVOKE, { id: 'nps_abc' }))).toEqual(['BAD_USER_INPUT']);
  });

  it('has check constraints: a known role, and a department exactly for MANAGER', async () => {
    const insert = (role: string, dept: string | null, n: string) =>
      t.db.dataSource.query(`INSERT INTO api_keys (name, role, department_id, key_hash, prefix) VALUES ($1, $2, $3, $4, 'nps_x')`, [n, role, dept, sha256(n)]);
    await expect(insert('ROOT', null, 'c1')).rejects.toThrow(/api_keys_role_valid/);
    await expect(insert('MANAGER', null, 'c2')).rejects.toThrow(/api_keys_manager_department/);
    await expect(insert('ADMIN', salesId, 'c3')).rejects.toThrow(/api_keys_manager_department/);
  });

  it('tells every role who it is and what it may do', async () => {
    for (const viewer of [viewers.admin, viewers.executive, viewers.integration, viewers.manager(salesId)]) {
      const v = (await t.ok(VIEWER, {}, { viewer })).viewer;
      expect(v.role).toBe(viewer.role);
      expect(v.department).toEqual(viewer.departmentId ? { code: 'SALES' } : null);
      const expected = Object.entries(Permission).filter(([, p]) => ROLE_PERMISSIONS[viewer.role].has(p)).map(([k]) => k);
      expect(v.permissions).toEqual(expected);
    }
  });
});
