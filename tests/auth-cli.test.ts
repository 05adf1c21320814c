import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createTestApp, HttpClient, listenHttp, TestApp } from './support/test-app';
import { run, UsageError } from '../src/cli/apikey';
import { ensureDemoKeys, formatDemoKeys } from '../src/modules/auth/demo-keys';
import { Role } from '../src/modules/auth/viewer';

describe('npm run apikey (the CLI)', () => {
  let t: TestApp;
  let lines: string[];
  let http: HttpClient | undefined;
  /** Runs the CLI against this file's test database (opening an embedded folder costs seconds). */
  const cli = async (...argv: string[]) => {
    lines = [];
    await run(argv, { out: (l) => lines.push(...l.split('\n')), env: { LOG_LEVEL: 'silent' }, open: async () => ({ dataSource: t.db.dataSource, close: async () => {} }) });
    return lines;
  };
  beforeAll(async () => {
    t = await createTestApp();
    await t.db.dataSource.query(`INSERT INTO departments (code, name) VALUES ('OPS', 'Operations')`);
  });
  afterAll(() => t.close());

  it('creates a key and prints it as the last line; the key works; lists and revokes by prefix, name or id', async () => {
    const out = await cli('create', '--name', 'ops', '--role', 'admin');
    const key = out[out.length - 1];
    expect(key).toMatch(/^nps_[A-Za-z0-9_-]{43}$/);
    expect(out.slice(0, -1).join('\n')).not.toContain(key);
    expect(out[0]).toMatch(/ADMIN.*name="ops"/);
    http = await listenHttp(t);
    expect((await http.post(`{ viewer { name role } }`, {}, { key })).body.data.viewer).toEqual({ name: 'ops', role: 'ADMIN' });

    const mgr = await cli('create', '--name', 'lead', '--role', 'MANAGER', '--department', 'OPS');
    expect(mgr[0]).toMatch(/MANAGER department=OPS/);
    const second = (await cli('create', '--name', 'crm', '--role', 'INTEGRATION')).at(-1)!;
    const listed = (await cli('list')).join('\n');
    expect(listed).toContain(key.slice(0, 12));
    expect(listed).toContain(second.slice(0, 12));
    expect(listed).not.toContain(key.slice(12));

    expect((await cli('revoke', key.slice(0, 12)))[0]).toMatch(/^Revoked: .*name="ops".*revoked/);
    expect((await http.post(`{ viewer { name } }`, {}, { key })).status).toBe(401);
    expect((await cli('revoke', 'crm'))[0]).toMatch(/^Revoked: .*name="crm"/);
    expect((await cli('list')).join('\n')).not.toMatch(/crm|ops/);
    const all = (await cli('list', '--all')).join('\n');
    expect(all.match(/revoked/g)).toHaveLength(2);
    // Revoked keys do not resolve by name any more; the id still does (idempotently).
    await expect(cli('revoke', 'crm')).rejects.toThrow(/does not exist/);
    const id = all.split('\n').find((l) => l.includes('name="crm"'))!.split(/\s+/)[0];
    expect((await cli('revoke', id))[0]).toMatch(/^Already revoked/);
  });

  it("gives a key its own rate-limit budget at creation or later (an import's, a benchmark's), and back its role's", async () => {
    const out = await cli('create', '--name', 'import', '--role', 'INTEGRATION', '--rate-limit', '5000000');
    const key = out.at(-1)!;
    expect(out[0]).toMatch(/INTEGRATION  name="import"  rate-limit=5000000 /);
    const client = (http ??= await listenHttp(t));
    const limitOf = async () => (await client.post(`{ viewer { name } }`, {}, { key })).headers.get('ratelimit-limit');
    expect(await limitOf()).toBe('5000000');

    expect((await cli('set-rate-limit', 'import', '250'))[0]).toMatch(/^Rate limit set to 250 points per window: .*rate-limit=250 /);
    expect(await limitOf()).toBe('250');
    expect((await cli('list')).join('\n')).toMatch(/name="import"  rate-limit=250 /);
    expect((await cli('set-rate-limit', key.slice(0, 12), 'default'))[0]).toMatch(/^Rate limit back to the role's default: /);
    expect((await cli('list')).find((l) => l.includes('name="import"'))).not.toContain('rate-limit=');
    expect(await limitOf()).toBe('120000');

    await expect(cli('set-rate-limit', 'import')).rejects.toThrow(/<POINTS\|default>/);
    await expect(cli('set-rate-limit', 'import', '1.5')).rejects.toThrow(/whole number of points/);
    await expect(cli('set-rate-limit', 'import', '3000000000')).rejects.toThrow(/from 1 to 2000000000/);
    await expect(cli('create', '--name', 'x', '--role', 'ADMIN', '--rate-limit', 'lots')).rejects.toThrow(/whole number of points/);
    await expect(cli('list', '--rate-limit', '5')).rejects.toThrow(/goes with create/);
    await cli('revoke', 'import');
  });

  it('refuses bad usage and bad input with a clear message, creating nothing', async () => {
    const before = (await cli('list', '--all')).length;
    await expect(cli()).rejects.toThrow(UsageError);
    await expect(cli('create', '--name', 'x')).rejects.toThrow(/--role/);
    await expect(cli('create', '--name', 'x', '--role', 'ROOT')).rejects.toThrow(/--role/);
    await expect(cli('create', '--role', 'ADMIN')).rejects.toThrow(/--name/);
    await expect(cli('revoke')).rejects.toThrow(/exactly one/);
    await expect(cli('frobnicate')).rejects.toThrow(/Unknown command/);
    await expect(cli('create', '--name', 'm', '--role', 'MANAGER')).rejects.toThrow(/--department CODE/);
    await expect(cli('create', '--name', 'm', '--role', 'MANAGER', '--department', 'NOPE')).rejects.toThrow(/NOPE/);
    await expect(cli('create', '--name', 'lead', '--role', 'EXECUTIVE')).rejects.toThrow(/already exists/);
    expect((await cli('list', '--all')).length).toBe(before);
  });

  it('refuses an embedded data folder another live process (the server) holds, saying why', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apikey-cli-'));
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      fs.writeFileSync(path.join(dir, 'owner.pid'), String(holder.pid));
      await expect(run(['list'], { out: () => {}, env: { DATA_DIR: dir } })).rejects.toThrow(/in use by process .*Stop it first, or go through the API/s);
      expect(fs.existsSync(path.join(dir, 'pgdata'))).toBe(false);
    } finally {
      holder.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('demo keys', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('creates one working key per role on a database without keys, the MANAGER one below the root; then never again', async () => {
    const q = (sql: string, p: unknown[] = []) => t.db.dataSource.query(sql, p);
    const [co] = await q(`INSERT INTO departments (code, name) VALUES ('CO', 'Company') RETURNING id`);
    await q(`INSERT INTO departments (code, name, parent_id) VALUES ('SUPPORT', 'Support', $1), ('ENG', 'Engineering', $1)`, [co.id]);
    await q(`INSERT INTO departments (code, name) VALUES ('AAA-ROOT', 'Another root')`);

    const keys = (await ensureDemoKeys(t.deps))!;
    expect(keys.map((k) => k.role)).toEqual([Role.ADMIN, Role.EXECUTIVE, Role.MANAGER, Role.INTEGRATION]);
    expect(keys.find((k) => k.role === Role.MANAGER)!.departmentCode).toBe('ENG');
    expect(await ensureDemoKeys(t.deps)).toBeNull();

    const http = await listenHttp(t);
    for (const k of keys) {
      const res = await http.post(`{ viewer { name role department { code } } }`, {}, { key: k.key });
      expect(res.status).toBe(200);
      expect(res.body.data.viewer).toEqual({ name: k.name, role: k.role, department: k.departmentCode ? { code: k.departmentCode } : null });
    }
    const printed = formatDemoKeys(keys);
    for (const k of keys) expect(printed).toContain(k.key);
    expect(printed).toContain(`authorization: Bearer ${keys[0].key}`);
  });
});
