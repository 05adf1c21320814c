import { randomUUID } from 'node:crypto';
import { createTestApp, TestApp } from './support/test-app';
import { Receiver, reservePort, waitFor } from './webhooks-receiver';
import { createWebhookWorker, startWebhookWorker, WebhookWorker } from '../src/modules/webhooks/worker';
import type { OutboxInput } from '../src/modules/webhooks/outbox.service';
import { transaction } from '../src/transaction';

let t: TestApp;
const receivers: Receiver[] = [];
const workers: WebhookWorker[] = [];
beforeAll(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
  await t.deps.ds.query('DELETE FROM webhook_endpoints');
});
afterAll(() => t.close());

const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id url } } }`;
const ALL_TYPES = ['response.stored', 'response.detractor', 'action_item.created', 'action_item.changed'];

async function endpoint(url: string, eventTypes = ALL_TYPES, extra: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
  const d = await t.ok(CREATE, { input: { url, eventTypes, ...extra } });
  return { id: d.createWebhookEndpoint.endpoint.id, secret: d.createWebhookEndpoint.secret };
}

/** Enqueues events through the outbox service inside a transaction, as the features do. */
function enqueue(events: OutboxInput[]): Promise<void> {
  return transaction(t.ctx(), (ctx) => t.app.services.outbox.enqueue(ctx, events));
}

/** n events of one action item: created, then changed with a growing version. */
const itemEvents = (item: string, from: number, to: number): OutboxInput[] =>
  Array.from({ length: to - from + 1 }, (_, i) => {
    const version = from + i;
    return { type: version === 1 ? 'action_item.created' : 'action_item.changed', aggregateId: item, payload: { id: item, version } } as OutboxInput;
  });

const deliveryRows = (endpointId: string) =>
  t.deps.ds.query(`SELECT id, status, attempts, last_error, last_status_code, event_id FROM webhook_deliveries WHERE endpoint_id = $1`, [endpointId]);

function receiverFor(secret: string): Receiver {
  const r = new Receiver(secret);
  receivers.push(r);
  return r;
}

/** Each item's versions in arrival order (2xx answers only, first per webhook-id). */
function versionsByItem(r: Receiver): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const x of r.accepted()) {
    const id = x.json.data.id as string;
    out.set(id, [...(out.get(id) ?? []), x.json.data.version as number]);
  }
  return out;
}

describe('webhook delivery to a real receiver on 127.0.0.1', () => {
  it('delivers every event once per delivery id, signed and in order per item, to a receiver that is down at first and comes up later', async () => {
    const port = await reservePort();
    const ep = await endpoint(`http://127.0.0.1:${port}/hooks`);
    const items = [randomUUID(), randomUUID(), randomUUID()];
    // Interleaved transactions: item events spread over several commits.
    await enqueue([...itemEvents(items[0], 1, 2), ...itemEvents(items[1], 1, 1)]);
    await enqueue([...itemEvents(items[1], 2, 3), ...itemEvents(items[2], 1, 2), ...itemEvents(items[0], 3, 3)]);

    const worker = startWebhookWorker(t.deps, t.app.services, {
      pollIntervalMs: 20,
      backoff: { baseMs: 40, maxMs: 160, jitter: false },
      maxAttempts: 1000,
      timeoutMs: 2000,
    });
    workers.push(worker);

    // Nothing listens: attempts fail with a refused connection and are retried.
    await waitFor(async () => {
      const rows = await deliveryRows(ep.id);
      return rows.length === 8 && rows.some((r: any) => r.attempts >= 3);
    }, 15_000, 'retries while the receiver is down');
    let rows = await deliveryRows(ep.id);
    expect(rows.every((r: any) => r.status === 'PENDING')).toBe(true);
    const failedOnes = rows.filter((r: any) => r.attempts > 0);
    expect(failedOnes.length).toBeGreaterThan(0);
    expect(failedOnes.every((r: any) => r.last_error === 'connection failed: ECONNREFUSED' && r.last_status_code === null)).toBe(true);

    // More events while it is still down, then the receiver comes up on the reserved port.
    await enqueue([...itemEvents(items[2], 3, 5), ...itemEvents(items[0], 4, 4)]);
    const receiver = receiverFor(ep.secret);
    receiver.respond = async () => {
      await new Promise((r) => setTimeout(r, Math.random() * 15)); // uneven latency mixes items up
      return 200;
    };
    await receiver.start(port);

    await waitFor(async () => {
      const r = await deliveryRows(ep.id);
      return r.length === 12 && r.every((x: any) => x.status === 'DELIVERED');
    }, 20_000, 'all deliveries DELIVERED');
    await worker.stop();

    rows = await deliveryRows(ep.id);
    const ids = rows.map((r: any) => r.id).sort();
    // Every delivery arrived, exactly once per webhook-id, with a valid signature.
    expect(receiver.received.map((r) => r.id).sort()).toEqual(ids);
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(receiver.received.length);
    // Every event, in order per item.
    const byItem = versionsByItem(receiver);
    expect(byItem.get(items[0])).toEqual([1, 2, 3, 4]);
    expect(byItem.get(items[1])).toEqual([1, 2, 3]);
    expect(byItem.get(items[2])).toEqual([1, 2, 3, 4, 5]);
    // Standard Webhooks body and headers.
    const first = receiver.received.find((r) => r.json.data.id === items[0] && r.json.data.version === 1)!;
    expect(first.json).toEqual({ type: 'action_item.created', timestamp: expect.any(String), data: { id: items[0], version: 1 } });
    expect(Math.abs(first.timestamp - Date.now() / 1000)).toBeLessThan(60);

    // The delivery log tells the story: refused attempts, then a 200.
    const log = await t.ok(
      `query($e: ID!) { webhookDeliveries(endpointId: $e) { totalCount edges { node { id status attempts deliveredAt lastStatusCode
          attemptLog { attempt succeeded statusCode error startedAt } } } } }`,
      { e: ep.id },
    );
    expect(log.webhookDeliveries.totalCount).toBe(12);
    const retried = log.webhookDeliveries.edges.map((e: any) => e.node).filter((n: any) => n.attempts > 1);
    expect(retried.length).toBeGreaterThan(0);
    for (const n of retried) {
      expect(n.attemptLog).toHaveLength(n.attempts);
      expect(n.attemptLog.slice(0, -1).every((a: any) => !a.succeeded && a.error === 'connection failed: ECONNREFUSED')).toBe(true);
      expect(n.attemptLog.at(-1)).toMatchObject({ succeeded: true, statusCode: 200, error: null });
      expect(n.lastStatusCode).toBe(200);
    }
  });

  it('keeps per-item order across failures: a later event of an item waits while an earlier one is retried; other items go on', async () => {
    const ep0 = await reservePort();
    const receiver = new Receiver('');
    receivers.push(receiver);
    const port = await receiver.start(ep0);
    const ep = await endpoint(`http://127.0.0.1:${port}/`);
    (receiver as any).secret = ep.secret;
    const [a, b] = [randomUUID(), randomUUID()];
    // a@1 is refused twice before it is accepted.
    receiver.respond = (r, seen) => (r.json.data.id === a && r.json.data.version === 1 && seen < 2 ? 503 : 200);
    await enqueue([...itemEvents(a, 1, 3), ...itemEvents(b, 1, 3)]);
    let clock = new Date('2026-01-01T00:00:00Z');
    const worker = createWebhookWorker(t.deps, t.app.services, { now: () => clock, backoff: { baseMs: 1000, maxMs: 60_000, jitter: false } });
    workers.push(worker);

    for (let i = 0; i < 5; i++) await worker.runOnce();
    let byItem = versionsByItem(receiver);
    expect(byItem.get(b)).toEqual([1, 2, 3]);
    expect(byItem.get(a)).toBeUndefined();
    expect(receiver.received.filter((r) => r.json.data.id === a).map((r) => [r.json.data.version, r.status])).toEqual([[1, 503]]);

    clock = new Date(clock.getTime() + 1000); // first backoff: 1 s
    for (let i = 0; i < 3; i++) await worker.runOnce();
    expect(receiver.received.filter((r) => r.json.data.id === a).map((r) => [r.json.data.version, r.status])).toEqual([[1, 503], [1, 503]]);
    clock = new Date(clock.getTime() + 1999); // second backoff is 2 s: not yet due
    expect((await worker.runOnce()).attempted).toBe(0);
    clock = new Date(clock.getTime() + 1);
    for (let i = 0; i < 5; i++) await worker.runOnce();
    byItem = versionsByItem(receiver);
    expect(byItem.get(a)).toEqual([1, 2, 3]);
    // The same webhook-id on every retry of a@1, each signed validly.
    const a1 = receiver.received.filter((r) => r.json.data.id === a && r.json.data.version === 1);
    expect(new Set(a1.map((r) => r.id)).size).toBe(1);
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
  });

  it('backs off exponentially, records every attempt, gives up as FAILED after the maximum, and redelivers on request', async () => {
    const receiver = receiverFor('');
    receiver.respond = () => 503;
    const port = await receiver.start();
    const ep = await endpoint(`http://127.0.0.1:${port}/x`, ['response.stored']);
    const start = new Date('2026-02-01T10:00:00Z');
    let clock = start;
    const worker = createWebhookWorker(t.deps, t.app.services, { now: () => clock, maxAttempts: 4, backoff: { baseMs: 1000, maxMs: 3000, jitter: false } });
    workers.push(worker);
    await enqueue([{ type: 'response.stored', aggregateId: randomUUID(), payload: { n: 1 } }]);

    const offsets = [0, 1000, 3000, 6000]; // delays 1 s, 2 s, then 3 s (capped)
    for (const ms of offsets) {
      clock = new Date(start.getTime() + ms - 1);
      if (ms > 0) expect((await worker.runOnce()).attempted).toBe(0);
      clock = new Date(start.getTime() + ms);
      const stats = await worker.runOnce();
      expect(stats.attempted).toBe(1);
    }
    const q = `query($e: ID!, $s: WebhookDeliveryStatus) { webhookDeliveries(endpointId: $e, status: $s) { totalCount edges { node { id status attempts nextAttemptAt lastStatusCode lastError
      attemptLog { attempt startedAt succeeded statusCode error } } } } }`;
    let d = (await t.ok(q, { e: ep.id, s: 'FAILED' })).webhookDeliveries;
    expect(d.totalCount).toBe(1);
    const failed = d.edges[0].node;
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 4, nextAttemptAt: null, lastStatusCode: 503, lastError: 'HTTP 503' });
    expect(failed.attemptLog.map((a: any) => [a.attempt, new Date(a.startedAt).getTime() - start.getTime(), a.statusCode, a.succeeded])).toEqual([
      [1, 0, 503, false],
      [2, 1000, 503, false],
      [3, 3000, 503, false],
      [4, 6000, 503, false],
    ]);
    clock = new Date(start.getTime() + 3_600_000);
    expect((await worker.runOnce()).attempted).toBe(0);

    receiver.respond = () => 200;
    const redo = await t.ok(`mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id status attempts } }`, { id: failed.id }, { now: () => clock });
    expect(redo.redeliverWebhook).toEqual({ id: failed.id, status: 'PENDING', attempts: 0 });
    expect((await worker.runOnce()).delivered).toBe(1);
    d = (await t.ok(q, { e: ep.id, s: 'DELIVERED' })).webhookDeliveries;
    expect(d.edges[0].node).toMatchObject({ status: 'DELIVERED', attempts: 1, lastStatusCode: 200, lastError: null });
    expect(d.edges[0].node.attemptLog.map((a: any) => a.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(receiver.received.map((r) => r.id))).toEqual(new Set([failed.id]));
    expect(receiver.received).toHaveLength(5);
  });

  it('treats redirects, timeouts and refused connections as failures with a short reason', async () => {
    const receiver = receiverFor('');
    receiver.respond = async (r) => {
      if (r.json.data.kind === 'redirect') return 302;
      if (r.json.data.kind === 'slow') await new Promise((res) => setTimeout(res, 700));
      return 200;
    };
    const port = await receiver.start();
    const closed = await reservePort();
    const a = await endpoint(`http://127.0.0.1:${port}/r`, ['response.stored']);
    const b = await endpoint(`http://127.0.0.1:${closed}/nobody`, ['response.stored']);
    await enqueue([
      { type: 'response.stored', aggregateId: randomUUID(), payload: { kind: 'redirect' } },
      { type: 'response.stored', aggregateId: randomUUID(), payload: { kind: 'slow' } },
    ]);
    const worker = createWebhookWorker(t.deps, t.app.services, { timeoutMs: 200 });
    workers.push(worker);
    const stats = await worker.runOnce();
    expect(stats).toMatchObject({ fannedOut: 4, attempted: 4, delivered: 0, retrying: 4 });
    const rows = await t.deps.ds.query(
      `SELECT d.endpoint_id, e.payload->>'kind' AS kind, d.last_status_code, d.last_error, d.status FROM webhook_deliveries d JOIN outbox_events e ON e.id = d.event_id`,
    );
    const find = (ep: string, kind: string) => rows.find((r: any) => r.endpoint_id === ep && r.kind === kind);
    expect(find(a.id, 'redirect')).toMatchObject({ last_status_code: 302, last_error: 'HTTP 302', status: 'PENDING' });
    expect(find(a.id, 'slow')).toMatchObject({ last_status_code: null, last_error: 'timed out after 200 ms', status: 'PENDING' });
    expect(find(b.id, 'slow')).toMatchObject({ last_status_code: null, last_error: 'connection failed: ECONNREFUSED' });
    expect(rows.every((r: any) => !String(r.last_error).includes('127.0.0.1'))).toBe(true);
  });

  it('stop() lets the attempt in flight finish and be recorded, then resolves; nothing is attempted afterwards', async () => {
    const receiver = receiverFor('');
    let entered!: () => void;
    const inFlight = new Promise<void>((r) => (entered = r));
    receiver.respond = async () => {
      entered();
      await new Promise((r) => setTimeout(r, 300));
      return 204;
    };
    const port = await receiver.start();
    const ep = await endpoint(`http://127.0.0.1:${port}/`, ['response.stored']);
    const worker = startWebhookWorker(t.deps, t.app.services, { pollIntervalMs: 10 });
    await enqueue([{ type: 'response.stored', aggregateId: null, payload: { n: 1 } }]);
    await inFlight;
    await worker.stop();
    expect((await deliveryRows(ep.id)).map((r: any) => [r.status, r.last_status_code])).toEqual([['DELIVERED', 204]]);
    await enqueue([{ type: 'response.stored', aggregateId: null, payload: { n: 2 } }]);
    await new Promise((r) => setTimeout(r, 100));
    expect(await deliveryRows(ep.id)).toHaveLength(1);
    expect(receiver.received).toHaveLength(1);
  });

  it('two workers on one database deliver each event once and keep per-item order', async () => {
    const receiver = receiverFor('');
    receiver.respond = async () => {
      await new Promise((r) => setTimeout(r, Math.random() * 10));
      return 200;
    };
    const port = await receiver.start();
    const ep = await endpoint(`http://127.0.0.1:${port}/`, ['action_item.created', 'action_item.changed']);
    (receiver as any).secret = ep.secret;
    const items = Array.from({ length: 4 }, () => randomUUID());
    for (let v = 1; v <= 5; v++) await enqueue(items.map((id) => itemEvents(id, v, v)[0]));
    const opts = { pollIntervalMs: 5, batchSize: 3, backoff: { baseMs: 20, maxMs: 20, jitter: false } };
    workers.push(startWebhookWorker(t.deps, t.app.services, opts), startWebhookWorker(t.deps, t.app.services, opts));
    await waitFor(async () => {
      const r = await deliveryRows(ep.id);
      return r.length === 20 && r.every((x: any) => x.status === 'DELIVERED');
    }, 20_000, 'both workers to deliver everything');
    expect(receiver.received).toHaveLength(20);
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(20);
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
    const byItem = versionsByItem(receiver);
    for (const id of items) expect(byItem.get(id)).toEqual([1, 2, 3, 4, 5]);
  });
});
