import { transaction } from '../src/transaction';
import { systemContext } from '../src/system-context';
import { claimScheduledRun } from '../src/db/scheduled-jobs';
import { startWebhookWorker, WebhookWorker, PURGE_JOB } from '../src/modules/webhooks/worker';
import { Receiver } from './webhooks-receiver';
import { createClusterDatabase, describeWithCluster, Instance, sleep, startInstance } from './support/replica-cluster';

/**
 * Two API instances on one PostgreSQL (the loopback cluster's primary, with its replica): each
 * runs its own webhook worker, and each would run the scheduled purge.
 */
describeWithCluster('several API instances (loopback cluster)', () => {
  let cluster: Awaited<ReturnType<typeof createClusterDatabase>>;
  let A: Instance;
  let B: Instance;
  const workers: WebhookWorker[] = [];
  const receiver = new Receiver('');

  beforeAll(async () => {
    cluster = await createClusterDatabase();
    [A, B] = await Promise.all([startInstance(cluster), startInstance(cluster)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await receiver.stop();
    await A?.close();
    await B?.close();
    await cluster?.drop();
  });

  it('delivers every webhook event once across two instances', async () => {
    const port = await receiver.start();
    const ctx = systemContext(A.app.services);
    const ep = await A.app.services.webhooks.create(ctx, { url: `http://127.0.0.1:${port}/`, eventTypes: ['response.stored'] } as any);
    receiver.secret = ep.secret;
    for (const inst of [A, B]) workers.push(startWebhookWorker(inst.deps, inst.app.services, { pollIntervalMs: 10, batchSize: 5 }));
    const EVENTS = 60;
    for (let i = 0; i < EVENTS; i += 10) {
      await transaction(systemContext(i % 20 ? A.app.services : B.app.services), (ctx) =>
        A.app.services.outbox.enqueue(
          ctx,
          Array.from({ length: 10 }, (_, j) => ({ type: 'response.stored' as const, aggregateId: null, payload: { n: i + j } })),
        ),
      );
    }
    const deadline = Date.now() + 30_000;
    while (new Set(receiver.received.map((r) => r.id)).size < EVENTS && Date.now() < deadline) await sleep(50);
    await sleep(500); // time for a duplicate to show up
    const ids = receiver.received.map((r) => r.id);
    expect(new Set(ids).size).toBe(EVENTS);
    expect(ids).toHaveLength(EVENTS);
    expect(new Set(receiver.received.map((r) => r.json.data.n))).toEqual(new Set(Array.from({ length: EVENTS }, (_, i) => i)));
  }, 60_000);

  it('gives each slot of a scheduled job to one caller, however many ask at once', async () => {
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) => claimScheduledRun(systemContext((i % 2 ? A : B).app.services), 'test-job', 60_000)),
    );
    expect(claims.filter((c) => c.claimed)).toHaveLength(1);
    expect(claims.every((c) => c.dueInMs > 55_000 && c.dueInMs <= 60_000)).toBe(true);
  });

  it('runs the scheduled purge once per schedule across two instances', async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    const INTERVAL = 600;
    const started = Date.now();
    const loops = [A, B].map((inst) => startWebhookWorker(inst.deps, inst.app.services, { pollIntervalMs: 20, purgeStartDelayMs: 0, purgeIntervalMs: INTERVAL }));
    workers.push(...loops);
    await sleep(2_000);
    await Promise.all(loops.map((w) => w.stop()));
    const elapsed = Date.now() - started;
    const [{ runs }] = await A.db.dataSource.query('SELECT runs::int AS runs FROM scheduled_jobs WHERE name = $1', [PURGE_JOB]);
    const ran = loops[0].purgesRun + loops[1].purgesRun;
    expect(ran).toBe(runs);
    // One per slot: at start, then every INTERVAL; each instance alone would have run as many.
    expect(ran).toBeGreaterThanOrEqual(2);
    expect(ran).toBeLessThanOrEqual(Math.floor(elapsed / INTERVAL) + 1);
  }, 30_000);
});
