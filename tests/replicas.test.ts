import { Client } from 'pg';
import { Role } from '../src/modules/auth/viewer';
import { systemContext } from '../src/system-context';
import { parseLsn } from '../src/db/replicas/lsn';
import { READ_AFTER_HEADER } from '../src/db/replicas/plugin';
import type { ReadRouter } from '../src/db/replicas/read-router';
import { clusterScript, createClusterDatabase, describeWithCluster, Instance, sleep, startInstance } from './support/replica-cluster';

/**
 * Read replicas on the loopback cluster of scripts/pg-cluster.sh (a primary and a streaming
 * replica): two API instances, A and B, share the primary, the replica and Redis, as two
 * instances behind a load balancer would. Reads are told apart by pausing the replica's replay
 * (pg_wal_replay_pause()): a write made meanwhile is on the primary only.
 */
const CREATE = `mutation($i: CreateBenchmarkInput!) { createBenchmark(input: $i) { id } }`;
const LIST = `query { benchmarks { id name } }`;
const REPORT = `query { npsSummary { detractors } benchmarks { id } }`;

describeWithCluster('read replicas (loopback cluster)', () => {
  let cluster: Awaited<ReturnType<typeof createClusterDatabase>>;
  let A: Instance;
  let B: Instance;
  let primary: Client;
  let replica: Client;
  let writer: string;
  let other: string;
  let n = 0;

  const names = (res: { body: any }) => {
    expect(res.body.errors).toBeUndefined();
    return (res.body.data.benchmarks as { name: string }[]).map((b) => b.name);
  };
  const create = (inst: Instance, key: string, name: string) =>
    inst.post(CREATE, { i: { name, industry: 'Test', source: 'replica test', surveyKind: 'RELATIONSHIP', value: 42, year: 2026 } }, { key });
  const waitReplayed = async () => {
    const [{ lsn }] = (await primary.query('SELECT pg_current_wal_lsn()::text AS lsn')).rows;
    for (;;) {
      const [{ ok }] = (await replica.query('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [lsn])).rows;
      if (ok) return;
      await sleep(10);
    }
  };
  const routerOf = (i: Instance) => i.deps.router as ReadRouter;

  beforeAll(async () => {
    cluster = await createClusterDatabase();
    // Both instances start at once on the empty database: the start-up lock makes one migrate.
    [A, B] = await Promise.all([startInstance(cluster, { REDIS_URL: 'redis://127.0.0.1:6379' }), startInstance(cluster, { REDIS_URL: 'redis://127.0.0.1:6379' })]);
    primary = new Client({ connectionString: cluster.primaryUrl });
    replica = new Client({ connectionString: cluster.replicaUrl });
    replica.on('error', () => undefined); // the fail-over test stops the replica under it
    await primary.connect();
    await replica.connect();
    const mk = async (name: string) => (await A.app.services.apiKeys.create(systemContext(A.app.services), { name, role: Role.ADMIN, departmentCode: null })).key;
    writer = await mk('writer');
    other = await mk('other');
    await waitReplayed();
  }, 120_000);

  afterAll(async () => {
    await replica?.query('SELECT pg_wal_replay_resume()').catch(() => undefined);
    await primary?.end();
    await replica?.end();
    await A?.close();
    await B?.close();
    await cluster?.drop();
  });

  it('migrated once although two instances started together', async () => {
    const { rows } = await primary.query('SELECT name, count(*)::int AS n FROM migrations GROUP BY name HAVING count(*) > 1');
    expect(rows).toEqual([]);
    const [{ n: applied }] = (await primary.query('SELECT count(*)::int AS n FROM migrations')).rows;
    expect(applied).toBe(A.db.dataSource.migrations.length);
  });

  it('sends reads to the replica, and writes to the primary', async () => {
    await replica.query('SELECT pg_wal_replay_pause()');
    try {
      const name = `paused-${++n}`;
      const res = await create(A, other, name);
      expect(res.body.errors).toBeUndefined();
      // `writer` wrote nothing: its reads go to the replica, which has not replayed the insert.
      const before = routerOf(B).primaryReads;
      expect(names(await B.post(LIST, {}, { key: writer }))).not.toContain(name);
      expect(names(await A.post(LIST, {}, { key: writer }))).not.toContain(name);
      expect(routerOf(B).primaryReads).toBe(before);
      expect((await primary.query('SELECT count(*)::int AS n FROM benchmarks WHERE name = $1', [name])).rows[0].n).toBe(1);
    } finally {
      await replica.query('SELECT pg_wal_replay_resume()');
    }
    await waitReplayed();
    expect(names(await B.post(LIST, {}, { key: writer }))).toContain(`paused-${n}`);
  });

  it('reads your writes through another instance while the replica is paused (Redis), and by the header without it', async () => {
    await replica.query('SELECT pg_wal_replay_pause()');
    let C: Instance | undefined;
    try {
      const name = `ryw-${++n}`;
      const res = await create(A, writer, name);
      expect(res.body.errors).toBeUndefined();
      const lsn = res.headers.get(READ_AFTER_HEADER)!;
      expect(lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
      // Written through A, read through B: B finds A's position in Redis and reads the primary.
      expect(names(await B.post(LIST, {}, { key: writer }))).toContain(name);
      expect(names(await A.post(LIST, {}, { key: writer }))).toContain(name);
      // Another key has no such position: the paused replica answers, without the row.
      expect(names(await B.post(LIST, {}, { key: other }))).not.toContain(name);

      // An instance without Redis knows nothing of A's write, unless the client sends the header back.
      C = await startInstance(cluster, {});
      expect(names(await C.post(LIST, {}, { key: writer }))).not.toContain(name);
      expect(names(await C.post(LIST, {}, { key: writer, headers: { [READ_AFTER_HEADER]: lsn } }))).toContain(name);
      // A malformed header is ignored (no error).
      expect(names(await C.post(LIST, {}, { key: writer, headers: { [READ_AFTER_HEADER]: 'nonsense' } }))).not.toContain(name);
    } finally {
      await replica.query('SELECT pg_wal_replay_resume()');
      await C?.close();
    }
    // Once replayed, the writer's reads are back on the replica.
    await waitReplayed();
    const reads = (await routerOf(B).status())[0].reads;
    expect(names(await B.post(LIST, {}, { key: writer }))).toContain(`ryw-${n}`);
    expect((await routerOf(B).status())[0].reads).toBe(reads + 1);
  });

  it('reports the replication lag in /readyz, without failing it', async () => {
    await replica.query('SELECT pg_wal_replay_pause()');
    try {
      await create(A, other, `lag-${++n}`);
      await sleep(50);
      const ready = await A.readyz();
      expect(ready.status).toBe('ready');
      expect(ready.replicas).toHaveLength(1);
      expect(ready.replicas[0]).toMatchObject({ healthy: true });
      expect(ready.replicas[0].lagBytes).toBeGreaterThan(0);
      expect(ready.replicas[0].lagSeconds).toBeGreaterThanOrEqual(0);
    } finally {
      await replica.query('SELECT pg_wal_replay_resume()');
    }
    await waitReplayed();
    const ready = await A.readyz();
    expect(ready.replicas[0].lagBytes).toBe(0);
    expect(ready.replicas[0].lagSeconds).toBe(0);
  });

  it('measures how long a write takes to reach the replica (the read-your-writes delay)', async () => {
    const delays: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await create(A, writer, `delay-${++n}`);
      const lsn = parseLsn(res.headers.get(READ_AFTER_HEADER)!);
      const t0 = performance.now();
      for (;;) {
        const [{ lsn: at }] = (await replica.query('SELECT pg_last_wal_replay_lsn()::text AS lsn')).rows;
        if (parseLsn(at) >= lsn) break;
        await sleep(1);
      }
      delays.push(performance.now() - t0);
    }
    delays.sort((a, b) => a - b);
    const ms = (x: number) => Math.round(x * 10) / 10;
    console.log(`replica replay after a write's answer: median ${ms(delays[10])} ms, max ${ms(delays[19])} ms (20 writes)`);
    expect(delays[19]).toBeLessThan(5_000);
  });

  it('fails over to the primary when the replica stops mid-test, with no error to the client, and uses it again once back', async () => {
    const results: any[] = [];
    const loop = (async () => {
      for (let i = 0; i < 30; i++) {
        results.push((await (i % 2 ? A : B).post(REPORT, {}, { key: other })).body);
        await sleep(20);
      }
    })();
    await sleep(150);
    clusterScript('stop-replica');
    await loop;
    expect(results.filter((r) => r.errors)).toEqual([]);
    expect(results).toHaveLength(30);
    const ready = await A.readyz();
    expect(ready.status).toBe('ready');
    expect(ready.replicas[0].healthy).toBe(false);

    clusterScript('start-replica');
    await replica.end().catch(() => undefined);
    replica = new Client({ connectionString: cluster.replicaUrl });
    replica.on('error', () => undefined);
    await replica.connect();
    await waitReplayed();
    await sleep(600); // REPLICA_RETRY_MS is 500 in these instances
    const before = (await routerOf(A).status())[0].reads;
    expect((await A.post(REPORT, {}, { key: other })).body.errors).toBeUndefined();
    expect((await routerOf(A).status())[0].reads).toBe(before + 1);
    expect((await A.readyz()).replicas[0].healthy).toBe(true);
  }, 60_000);

  it('goes round robin over the replicas, skips one that fails and tries it again later', async () => {
    // The replica listed twice, and a "replica" on a port nobody listens on.
    const dead = 'postgres://postgres@127.0.0.1:1/' + cluster.name;
    const C = await startInstance({ primaryUrl: cluster.primaryUrl, replicaUrl: [cluster.replicaUrl, dead, cluster.replicaUrl].join(',') });
    try {
      const router = routerOf(C);
      for (let i = 0; i < 6; i++) expect((await C.post(REPORT, {}, { key: other })).body.errors).toBeUndefined();
      let status = await router.status();
      // Six requests, three replicas in turn: the dead one got its turn, failed on connecting, and
      // its statements ran on the primary; the two live entries served the rest.
      expect(status.map((r) => r.healthy)).toEqual([true, false, true]);
      expect(status[1].fallbacks.unavailable).toBeGreaterThan(0);
      expect(status[0].reads + status[2].reads).toBeGreaterThanOrEqual(4);
      expect(Math.abs(status[0].reads - status[2].reads)).toBeLessThanOrEqual(1);
      const failures = status[1].fallbacks.unavailable;
      const deadReads = status[1].reads;
      // While left out, it is skipped: no new attempts.
      for (let i = 0; i < 4; i++) expect((await C.post(REPORT, {}, { key: other })).body.errors).toBeUndefined();
      status = await router.status();
      expect(status[1].reads).toBe(deadReads);
      // After REPLICA_RETRY_MS (500 ms) it is tried again, fails again, and is left out again.
      await sleep(600);
      for (let i = 0; i < 3; i++) expect((await C.post(REPORT, {}, { key: other })).body.errors).toBeUndefined();
      status = await router.status();
      expect(status[1].reads).toBe(deadReads + 1);
      expect(status[1].fallbacks.unavailable).toBeGreaterThan(failures);
    } finally {
      await C.close();
    }
  }, 60_000);

  it('retries on the primary a report the standby cancels (conflict with recovery), for reports and for the manager', async () => {
    await primary.query('CREATE TABLE conflict_probe AS SELECT g AS id FROM generate_series(1, 1000) g');
    for (const via of ['reports', 'manager'] as const) {
      await primary.query('INSERT INTO conflict_probe SELECT g FROM generate_series(1, 1000) g');
      await waitReplayed();
      const target = (await routerOf(A).pick(null))!;
      expect(target).not.toBeNull();
      const before = (await routerOf(A).status())[0].fallbacks['recovery-conflict'];
      const sql = 'SELECT count(*)::int AS n, pg_sleep(4) FROM conflict_probe';
      const running = via === 'reports' ? target.reports.query(sql) : target.ds.manager.query(sql);
      await sleep(300);
      // Removes the rows the replica's statement still sees: replaying the cleanup conflicts with
      // it, and after max_standby_streaming_delay (1 s) the standby cancels the statement.
      await primary.query('DELETE FROM conflict_probe');
      await primary.query('VACUUM conflict_probe');
      const rows = await running;
      // Answered by the primary, after the delete: the replica's snapshot would have counted 1000.
      expect(rows[0].n).toBe(0);
      expect((await routerOf(A).status())[0].fallbacks['recovery-conflict']).toBe(before + 1);
    }
  }, 60_000);
});
