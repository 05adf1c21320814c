import { Writable } from 'node:stream';
import pino from 'pino';
import { createTestApp, codes, TestApp } from './support/test-app';
import { Receiver, waitFor } from './webhooks-receiver';
import { loadConfig } from '../src/common/config';
import type { AppDeps } from '../src/context';
import { createWebhookWorker, startWebhookWorker, WebhookWorker, WebhookWorkerOptions } from '../src/modules/webhooks/worker';
import { DeliveryQueue } from '../src/modules/webhooks/delivery-queue';
import { transaction } from '../src/transaction';

const DAY = 86_400_000;
const onPostgres = !!process.env.TEST_DATABASE_URL;

let t: TestApp;
/** Answers what `respond` says (default 200); `other` always 200. */
let rx: Receiver;
let other: Receiver;
let rxUrl: string;
let otherUrl: string;
const workers: WebhookWorker[] = [];

beforeAll(async () => {
  t = await createTestApp();
  rx = new Receiver('');
  other = new Receiver('');
  rxUrl = `http://127.0.0.1:${await rx.start()}/`;
  otherUrl = `http://127.0.0.1:${await other.start()}/`;
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  rx.received.splice(0);
  other.received.splice(0);
  rx.respond = () => 200;
  await t.deps.ds.query('DELETE FROM webhook_endpoints');
  await t.deps.ds.query('DELETE FROM outbox_events');
});
afterAll(async () => {
  await rx.stop();
  await other.stop();
  await t.close();
});

const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(id: $id, input: $input) { id active } }`;

async function endpoint(url = rxUrl): Promise<string> {
  return (await t.ok(CREATE, { input: { url, eventTypes: ['response.stored'] } })).createWebhookEndpoint.endpoint.id;
}

/** One committed transaction per name: events {n: name}, in this order. */
async function enqueue(...names: string[]): Promise<void> {
  for (const n of names) {
    await transaction(t.ctx(), (ctx) => t.app.services.outbox.enqueue(ctx, [{ type: 'response.stored', aggregateId: null, payload: { n } }]));
  }
}

function worker(opts: WebhookWorkerOptions = {}, deps: AppDeps = t.deps): WebhookWorker {
  const w = createWebhookWorker(deps, t.app.services, opts);
  workers.push(w);
  return w;
}

/** Moves an event, and every delivery of it, `days` into the past (created, last changed, next due). */
async function age(n: string, days: number): Promise<void> {
  await t.deps.ds.query(
    `UPDATE webhook_deliveries SET created_at = created_at - make_interval(days => $2), updated_at = updated_at - make_interval(days => $2),
       next_attempt_at = next_attempt_at - make_interval(days => $2)
     WHERE event_id IN (SELECT id FROM outbox_events WHERE payload->>'n' = $1)`,
    [n, days],
  );
  const [, count] = await t.deps.ds.query(`UPDATE outbox_events SET created_at = created_at - make_interval(days => $2) WHERE payload->>'n' = $1`, [n, days]);
  expect(count).toBe(1);
}

/** The names of the events still in the outbox. */
const events = async (): Promise<string[]> =>
  (await t.deps.ds.query(`SELECT payload->>'n' AS n FROM outbox_events ORDER BY n`)).map((r: any) => r.n);

/** Every delivery as "event:status:attempt rows". */
const deliveries = async (): Promise<string[]> =>
  (
    await t.deps.ds.query(
      `SELECT e.payload->>'n' AS n, d.status, (SELECT count(*) FROM webhook_delivery_attempts a WHERE a.delivery_id = d.id)::int AS a
       FROM webhook_deliveries d JOIN outbox_events e ON e.id = d.event_id`,
    )
  )
    .map((r: any) => `${r.n}:${r.status}:${r.a}`)
    .sort();

const countAttempts = async (): Promise<number> => (await t.deps.ds.query('SELECT count(*)::int AS n FROM webhook_delivery_attempts'))[0].n;

const NOTHING = { deliveries: 0, attempts: 0, events: 0, complete: true };

describe('webhook retention purge', () => {
  it('deletes DELIVERED and FAILED deliveries with their attempts and events once their last change is older than the retention; keeps younger ones; logs the counts', async () => {
    await endpoint();
    rx.respond = (r) => (r.json.data.n === 'failed' ? 503 : 200);
    await enqueue('old', 'failed', 'edge', 'young');
    let clock = new Date();
    const lines: any[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, cb) => (lines.push(JSON.parse(String(chunk))), cb()) }));
    const w = worker({ now: () => clock, maxAttempts: 2, backoff: { baseMs: 1000, maxMs: 1000, jitter: false } }, { ...t.deps, logger });
    expect(await w.runOnce()).toMatchObject({ delivered: 3, retrying: 1 });
    clock = new Date(clock.getTime() + 1000);
    expect(await w.runOnce()).toMatchObject({ failed: 1 });
    expect(await deliveries()).toEqual(['edge:DELIVERED:1', 'failed:FAILED:2', 'old:DELIVERED:1', 'young:DELIVERED:1']);

    expect(await w.purge()).toEqual(NOTHING);
    await age('old', 31);
    await age('failed', 31);
    await age('edge', 29);
    // An old event whose delivery changed recently (e.g. delivered late, or redelivered) stays with it.
    await t.deps.ds.query(`UPDATE outbox_events SET created_at = created_at - interval '31 days' WHERE payload->>'n' = 'young'`);
    expect(await w.purge()).toEqual({ deliveries: 2, attempts: 3, events: 2, complete: true });
    expect(await deliveries()).toEqual(['edge:DELIVERED:1', 'young:DELIVERED:1']);
    expect(await events()).toEqual(['edge', 'young']);
    expect(await countAttempts()).toBe(2);
    const logged = lines.filter((l) => l.msg === 'webhook retention purge');
    expect(logged).toEqual([expect.objectContaining({ level: 30, component: 'webhooks', deliveries: 2, attempts: 3, events: 2, retentionDays: 30 })]);

    // Nothing more to do: nothing deleted, nothing logged.
    expect(await w.purge()).toEqual(NOTHING);
    expect(lines.filter((l) => l.msg === 'webhook retention purge')).toHaveLength(1);
  });

  it("measures age on the worker's clock against WEBHOOK_RETENTION_DAYS (default 30)", async () => {
    expect(t.deps.config.webhooks.retentionDays).toBe(30);
    await endpoint();
    await enqueue('a');
    const start = Date.now();
    let clock = new Date(start);
    const w30 = worker({ now: () => clock });
    const w7 = worker({ now: () => clock }, { ...t.deps, config: loadConfig({ NODE_ENV: 'test', WEBHOOK_RETENTION_DAYS: '7' }) });
    expect((await w30.runOnce()).delivered).toBe(1);

    clock = new Date(start + 6.9 * DAY);
    expect(await w7.purge()).toEqual(NOTHING);
    clock = new Date(start + 29 * DAY);
    expect(await w30.purge()).toEqual(NOTHING);
    clock = new Date(start + 7 * DAY + 60_000);
    expect(await w7.purge()).toEqual({ deliveries: 1, attempts: 1, events: 1, complete: true });
    expect(await events()).toEqual([]);
  });

  it('never deletes PENDING deliveries (retrying, or waiting on an inactive endpoint) whatever their age, nor their event; they are still delivered', async () => {
    const flaky = await endpoint();
    const paused = await endpoint();
    await endpoint(otherUrl);
    await enqueue('stuck');
    expect(await new DeliveryQueue().fanOut(t.ctx(), new Date())).toBe(3);
    await t.ok(UPDATE, { id: paused, input: { active: false } });
    rx.respond = () => 503;
    const w = worker({ backoff: { baseMs: 1000, maxMs: 1000, jitter: false } });
    expect(await w.runOnce()).toMatchObject({ attempted: 2, delivered: 1, retrying: 1 });
    expect(await deliveries()).toEqual(['stuck:DELIVERED:1', 'stuck:PENDING:0', 'stuck:PENDING:1']);

    await age('stuck', 365);
    // The delivered one goes; the event stays for the two pending ones.
    expect(await w.purge()).toEqual({ deliveries: 1, attempts: 1, events: 0, complete: true });
    expect(await deliveries()).toEqual(['stuck:PENDING:0', 'stuck:PENDING:1']);
    expect(await events()).toEqual(['stuck']);

    rx.respond = () => 200;
    expect(await w.runOnce()).toMatchObject({ attempted: 1, delivered: 1 });
    await t.ok(UPDATE, { id: paused, input: { active: true } });
    expect(await w.runOnce()).toMatchObject({ attempted: 1, delivered: 1 });
    expect(rx.accepted().map((r) => r.json.data)).toEqual([{ n: 'stuck' }, { n: 'stuck' }]);
    const ids = (await t.deps.ds.query(`SELECT id, endpoint_id FROM webhook_deliveries`)).map((r: any) => [r.endpoint_id, r.id]);
    expect(new Set(ids.map(([e]: string[]) => e))).toEqual(new Set([flaky, paused]));
    expect(new Set(rx.accepted().map((r) => r.id))).toEqual(new Set(ids.map(([, id]: string[]) => id)));

    // Once its last delivery has aged out, the event goes too.
    expect(await w.purge()).toEqual(NOTHING);
    expect(await worker({ now: () => new Date(Date.now() + 31 * DAY) }).purge()).toEqual({ deliveries: 2, attempts: 3, events: 1, complete: true });
    expect(await events()).toEqual([]);
  });

  it('keeps an event no endpoint wanted for the retention too, then deletes it', async () => {
    await endpoint();
    await transaction(t.ctx(), (ctx) =>
      t.app.services.outbox.enqueue(ctx, [{ type: 'action_item.changed', aggregateId: null, payload: { n: 'unwanted' } }]),
    );
    const w = worker();
    expect(await w.runOnce()).toMatchObject({ fannedOut: 0 });
    await age('unwanted', 29);
    expect(await w.purge()).toEqual(NOTHING);
    expect(await events()).toEqual(['unwanted']);
    await age('unwanted', 2);
    expect(await w.purge()).toEqual({ deliveries: 0, attempts: 0, events: 1, complete: true });
    expect(await events()).toEqual([]);
  });

  it('keeps an old event fan-out has not reached yet; it is delivered afterwards', async () => {
    await endpoint();
    await enqueue('late');
    await age('late', 40);
    const w = worker();
    expect(await w.purge()).toEqual(NOTHING);
    expect(await events()).toEqual(['late']);
    expect(await w.runOnce()).toMatchObject({ fannedOut: 1, delivered: 1 });
    expect(rx.accepted().map((r) => r.json.data)).toEqual([{ n: 'late' }]);
  });

  it('goes by fan-out snapshot, not seq: an event whose transaction was still open at the last fan-out is kept although a later one was passed', async () => {
    const ep = await endpoint();
    await enqueue('low', 'high');
    const rows = await t.deps.ds.query(`SELECT payload->>'n' AS n, seq, txid FROM outbox_events`);
    const low = rows.find((r: any) => r.n === 'low');
    const high = rows.find((r: any) => r.n === 'high');
    expect(Number(low.seq)).toBeLessThan(Number(high.seq));
    // As if low's transaction was in progress when the endpoint last fanned out past high.
    await t.deps.ds.query(`UPDATE webhook_endpoints SET fanout_snapshot = $2 WHERE id = $1`, [ep, `${low.txid}:${BigInt(high.txid) + 1n}:${low.txid}`]);
    await age('low', 40);
    await age('high', 40);
    const w = worker();
    expect(await w.purge()).toEqual({ deliveries: 0, attempts: 0, events: 1, complete: true });
    expect(await events()).toEqual(['low']);
    expect(await w.runOnce()).toMatchObject({ fannedOut: 1, delivered: 1 });
    expect(rx.accepted().map((r) => r.json.data)).toEqual([{ n: 'low' }]);
  });

  (onPostgres ? it : it.skip)('waits for an endpoint being created concurrently, whose snapshot may not show an event that committed meanwhile (PostgreSQL)', async () => {
    const ds = t.deps.ds;
    const writer = ds.createQueryRunner();
    const creator = ds.createQueryRunner();
    try {
      await writer.startTransaction();
      await writer.query(
        `INSERT INTO outbox_events (type, aggregate_id, payload, txid, created_at)
         VALUES ('response.stored', NULL, '{"n":"racing"}', pg_current_xact_id()::text::bigint, now() - interval '40 days')`,
      );
      await creator.startTransaction();
      const [row] = await creator.query(
        `INSERT INTO webhook_endpoints (url, event_types, secret, fanout_snapshot) VALUES ($1, ARRAY['response.stored'], 'whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0', pg_current_snapshot()::text)
         RETURNING id`,
        [rxUrl],
      );
      await writer.commitTransaction(); // committed, old, no deliveries, invisible to the new endpoint's snapshot
      let settled = false;
      const purge = worker()
        .purge()
        .finally(() => (settled = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(settled).toBe(false);
      await creator.commitTransaction();
      expect(await purge).toEqual(NOTHING);
      expect(await events()).toEqual(['racing']);
      expect(await worker().runOnce()).toMatchObject({ fannedOut: 1, delivered: 1 });
      expect(rx.accepted().map((r) => r.json.data)).toEqual([{ n: 'racing' }]);
      expect((await ds.query('SELECT endpoint_id FROM webhook_deliveries')).map((r: any) => r.endpoint_id)).toEqual([row.id]);
    } finally {
      if (writer.isTransactionActive) await writer.rollbackTransaction();
      if (creator.isTransactionActive) await creator.rollbackTransaction();
      await writer.release();
      await creator.release();
    }
  });

  it('leaves the delivery log query working: totals, pages across purged rows, attempt logs; a purged delivery is NOT_FOUND', async () => {
    const ep = await endpoint();
    await enqueue('d1', 'd2', 'd3', 'd4', 'd5');
    expect((await worker().runOnce()).delivered).toBe(5);
    const Q = `query($e: ID, $s: WebhookDeliveryStatus, $first: Int, $after: String) {
      webhookDeliveries(endpointId: $e, status: $s, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id status endpoint { id } attemptLog { attempt succeeded statusCode } } } } }`;
    const page1 = (await t.ok(Q, { e: ep, first: 2 })).webhookDeliveries;
    expect(page1.totalCount).toBe(5);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const byId = new Map<string, string>(
      (await t.deps.ds.query(`SELECT d.id, e.payload->>'n' AS n FROM webhook_deliveries d JOIN outbox_events e ON e.id = d.event_id`)).map((r: any) => [r.id, r.n]),
    );
    const all = (await t.ok(Q, { e: ep, first: 10 })).webhookDeliveries.edges.map((e: any) => e.node.id as string);
    // Purge the first page (the endCursor's row included) and the last row.
    const purged = [...page1.edges.map((e: any) => e.node.id as string), all[4]];
    for (const id of purged) await age(byId.get(id)!, 31);
    expect(await worker().purge()).toEqual({ deliveries: 3, attempts: 3, events: 3, complete: true });

    const kept = [all[2], all[3]];
    const next = (await t.ok(Q, { e: ep, first: 2, after: page1.pageInfo.endCursor })).webhookDeliveries;
    expect(next.totalCount).toBe(2);
    expect(next.edges.map((e: any) => e.node.id)).toEqual(kept);
    expect(next.edges.map((e: any) => e.node)).toEqual(
      kept.map((id) => ({ id, status: 'DELIVERED', endpoint: { id: ep }, attemptLog: [{ attempt: 1, succeeded: true, statusCode: 200 }] })),
    );
    const delivered = (await t.ok(Q, { s: 'DELIVERED' })).webhookDeliveries;
    expect(delivered.totalCount).toBe(2);
    expect(delivered.edges.map((e: any) => e.node.id)).toEqual(kept);
    const redo = await t.exec(`mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id } }`, { id: purged[0] });
    expect(codes(redo)).toEqual(['NOT_FOUND']);
  });

  it('deletes in short batches; a backlog larger than one purge is finished by the next', async () => {
    await endpoint();
    const names = ['b1', 'b2', 'b3', 'b4', 'b5'];
    await enqueue(...names);
    expect((await worker().runOnce()).delivered).toBe(5);
    // b1 oldest ... b5 youngest, both as events and as deliveries (attempts are recorded in any order).
    for (const [i, n] of names.entries()) await age(n, 36 - i);
    const w = worker({ purgeBatchSize: 2, purgeMaxBatches: 2 });
    expect(await w.purge()).toEqual({ deliveries: 4, attempts: 4, events: 4, complete: false });
    expect(await deliveries()).toEqual(['b5:DELIVERED:1']);
    expect(await w.purge()).toEqual({ deliveries: 1, attempts: 1, events: 1, complete: true });
    expect(await events()).toEqual([]);
    // Unlimited batches of 2: everything in one purge.
    await enqueue('c1', 'c2', 'c3', 'c4', 'c5');
    expect((await w.runOnce()).delivered).toBe(5);
    for (const n of ['c1', 'c2', 'c3', 'c4', 'c5']) await age(n, 31);
    expect(await worker({ purgeBatchSize: 2 }).purge()).toEqual({ deliveries: 5, attempts: 5, events: 5, complete: true });
  });

  it('the polling loop purges soon after start, then not again before the interval', async () => {
    await endpoint();
    await enqueue('first');
    expect((await worker().runOnce()).delivered).toBe(1);
    await age('first', 31);
    const loop = startWebhookWorker(t.deps, t.app.services, { pollIntervalMs: 10, purgeStartDelayMs: 50, purgeIntervalMs: 3_600_000 });
    workers.push(loop);
    await waitFor(async () => (await events()).length === 0, 10_000, 'the first purge');

    await enqueue('second');
    await waitFor(async () => (await deliveries()).join() === 'second:DELIVERED:1', 10_000, 'the loop to deliver');
    await age('second', 31);
    await new Promise((r) => setTimeout(r, 500));
    expect(await events()).toEqual(['second']);
    await loop.stop();

    const hourly = startWebhookWorker(t.deps, t.app.services, { pollIntervalMs: 10, purgeStartDelayMs: 3_600_000, purgeIntervalMs: 3_600_000 });
    workers.push(hourly);
    await new Promise((r) => setTimeout(r, 300));
    expect(await events()).toEqual(['second']);
    await hourly.stop();

    // The schedule is shared by every instance (scheduled_jobs): the first loop's purge took this
    // hour's slot, so a new worker purges right after start only once the slot is due again (as an
    // hour later); until then it leaves the purge to the instance that ran it.
    const fresh = startWebhookWorker(t.deps, t.app.services, { pollIntervalMs: 10, purgeStartDelayMs: 0 });
    workers.push(fresh);
    await new Promise((r) => setTimeout(r, 300));
    expect(await events()).toEqual(['second']);
    await fresh.stop();
    await t.db.dataSource.query(`UPDATE scheduled_jobs SET next_run_at = now() WHERE name = 'webhook-retention-purge'`);
    workers.push(startWebhookWorker(t.deps, t.app.services, { pollIntervalMs: 10, purgeStartDelayMs: 0 }));
    await waitFor(async () => (await events()).length === 0, 10_000, 'a purge right after start');
  });
});
