import { randomUUID } from 'node:crypto';
import { createTestApp, codes, TestApp } from './support/test-app';
import { Receiver, reservePort, verifyStandardWebhook } from './webhooks-receiver';
import { createWebhookWorker } from '../src/modules/webhooks/worker';
import { DeliveryQueue } from '../src/modules/webhooks/delivery-queue';
import type { OutboxInput } from '../src/modules/webhooks/outbox.service';
import { Role, Viewer } from '../src/modules/auth/viewer';
import { transaction, withManager } from '../src/transaction';

let t: TestApp;
let closedPort: number;
beforeAll(async () => {
  t = await createTestApp();
  closedPort = await reservePort();
});
afterEach(() => t.deps.ds.query('DELETE FROM webhook_endpoints'));
afterAll(() => t.close());

const ENDPOINT_FIELDS = 'id url eventTypes format active createdAt updatedAt';
const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { ${ENDPOINT_FIELDS} } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(id: $id, input: $input) { ${ENDPOINT_FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`;
const LIST = `{ webhookEndpoints { ${ENDPOINT_FIELDS} } }`;
const DELIVERIES = `query($e: ID, $s: WebhookDeliveryStatus, $first: Int, $after: String) {
  webhookDeliveries(endpointId: $e, status: $s, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id status eventType aggregateId attempts endpoint { id } } } } }`;

const url = (path = '/hook') => `http://127.0.0.1:${closedPort}${path}`;
const enqueue = (events: OutboxInput[]) => transaction(t.ctx(), (ctx) => t.app.services.outbox.enqueue(ctx, events));
const fanOut = () => new DeliveryQueue().fanOut(t.ctx(), new Date());
const deliveredTypes = async (endpointId: string) =>
  (await t.deps.ds.query(`SELECT event_type FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY event_seq`, [endpointId])).map((r: any) => r.event_type);
const countEndpoints = async () => (await t.deps.ds.query('SELECT count(*)::int AS n FROM webhook_endpoints'))[0].n;

async function create(input: Record<string, unknown>) {
  return (await t.ok(CREATE, { input })).createWebhookEndpoint;
}

const viewer = (role: Role, departmentId: string | null = null): Viewer => ({ keyId: null, name: role.toLowerCase(), role, departmentId });

describe('webhook endpoints API', () => {
  it('creates an endpoint with a generated whsec_ secret shown once, lists it without the secret', async () => {
    const created = await create({ url: url(), eventTypes: ['action_item.changed', 'response.stored', 'response.stored'] });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(created.secret.slice(6), 'base64')).toHaveLength(32);
    expect(created.endpoint).toMatchObject({ url: url(), eventTypes: ['response.stored', 'action_item.changed'], format: 'STANDARD', active: true });
    const list = await t.ok(LIST);
    expect(list.webhookEndpoints).toEqual([created.endpoint]);
    const secretField = await t.exec(`{ webhookEndpoints { id secret } }`);
    expect(codes(secretField)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const again = await create({ url: url('/2'), eventTypes: ['response.stored'] });
    expect(again.secret).not.toBe(created.secret);
  });

  it('keeps a secret the admin gives', async () => {
    const secret = 'whsec_' + Buffer.alloc(24, 7).toString('base64');
    expect((await create({ url: url(), eventTypes: ['response.stored'], secret })).secret).toBe(secret);
    const plain = 'a-plain-shared-secret-for-signing';
    expect((await create({ url: url('/p'), eventTypes: ['response.stored'], secret: plain })).secret).toBe(plain);
    const [row] = await t.deps.ds.query(`SELECT secret FROM webhook_endpoints WHERE url = $1`, [url('/p')]);
    expect(row.secret).toBe(plain);
  });

  it('rejects bad input with BAD_USER_INPUT naming the field, and creates nothing', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ url: 'ftp://127.0.0.1/x', eventTypes: ['response.stored'] }, 'url', /http or https/],
      [{ url: 'not a url', eventTypes: ['response.stored'] }, 'url', /valid absolute URL/],
      [{ url: 'http://user:pw@127.0.0.1/x', eventTypes: ['response.stored'] }, 'url', /user name or password/],
      [{ url: 'javascript:alert(1)', eventTypes: ['response.stored'] }, 'url', /http or https/],
      [{ url: url(), eventTypes: ['response.stored', 'response.removed'] }, 'eventTypes', /unknown event types "response.removed"/],
      [{ url: url(), eventTypes: ['response.stored'], secret: 'short' }, 'secret', /24 to 256/],
      [{ url: url(), eventTypes: ['response.stored'], secret: 'whsec_notbase64!!' }, 'secret', /base64/],
      [{ url: url(), eventTypes: ['response.stored'], format: 'SLACK' }, 'eventTypes', /SLACK endpoint receives only response.detractor/],
    ];
    for (const [input, field, message] of cases) {
      const res = await t.exec(CREATE, { input });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0].extensions!.field).toBe(field);
      expect(res.errors![0].message).toMatch(message);
    }
    const empty = await t.exec(CREATE, { input: { url: url(), eventTypes: [] } });
    expect(codes(empty)).toEqual(['BAD_USER_INPUT']);
    expect(empty.errors![0].message).toMatch(/eventTypes/);
    const badFormat = await t.exec(CREATE, { input: { url: url(), eventTypes: ['response.stored'], format: 'XML' } });
    expect(codes(badFormat)).toEqual(['BAD_USER_INPUT']);
    expect(await countEndpoints()).toBe(0);
  });

  it('updates fields, validates the result, and changes nothing on bad input', async () => {
    const { endpoint } = await create({ url: url(), eventTypes: ['response.stored'] });
    const updated = await t.ok(UPDATE, { id: endpoint.id, input: { url: url('/v2'), eventTypes: ['response.detractor'] } });
    expect(updated.updateWebhookEndpoint).toMatchObject({ id: endpoint.id, url: url('/v2'), eventTypes: ['response.detractor'], format: 'STANDARD' });
    expect(new Date(updated.updateWebhookEndpoint.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(endpoint.updatedAt).getTime());
    // Now SLACK is allowed (detractors only); adding another type to a SLACK endpoint is not.
    expect((await t.ok(UPDATE, { id: endpoint.id, input: { format: 'SLACK' } })).updateWebhookEndpoint.format).toBe('SLACK');
    for (const input of [{ eventTypes: ['response.detractor', 'response.stored'] }, { url: 'mailto:x@example.com' }, { eventTypes: ['nope'] }, { secret: 'tiny' }]) {
      expect(codes(await t.exec(UPDATE, { id: endpoint.id, input }))).toEqual(['BAD_USER_INPUT']);
    }
    const [row] = (await t.ok(LIST)).webhookEndpoints;
    expect(row).toMatchObject({ url: url('/v2'), eventTypes: ['response.detractor'], format: 'SLACK' });
    expect(codes(await t.exec(UPDATE, { id: randomUUID(), input: { active: false } }))).toEqual(['NOT_FOUND']);
    expect(codes(await t.exec(UPDATE, { id: 'nope', input: { active: false } }))).toEqual(['BAD_USER_INPUT']);
  });

  it('rotates the secret: later attempts are signed with the new one', async () => {
    const receiver = new Receiver('');
    const port = await receiver.start();
    try {
      const { endpoint, secret: old } = await create({ url: `http://127.0.0.1:${port}/`, eventTypes: ['response.stored'] });
      const rotated = 'whsec_' + Buffer.alloc(32, 9).toString('base64');
      await t.ok(UPDATE, { id: endpoint.id, input: { secret: rotated } });
      await enqueue([{ type: 'response.stored', aggregateId: randomUUID(), payload: {} }]);
      await createWebhookWorker(t.deps, t.app.services).runOnce();
      const [got] = receiver.received;
      expect(verifyStandardWebhook(rotated, got.id, String(got.timestamp), got.body, got.signature)).toBe(true);
      expect(verifyStandardWebhook(old, got.id, String(got.timestamp), got.body, got.signature)).toBe(false);
    } finally {
      await receiver.stop();
    }
  });

  it('deletes an endpoint with its delivery log', async () => {
    const { endpoint } = await create({ url: url(), eventTypes: ['response.stored'] });
    await enqueue([{ type: 'response.stored', aggregateId: randomUUID(), payload: {} }]);
    expect(await fanOut()).toBe(1);
    expect((await t.ok(DELETE, { id: endpoint.id })).deleteWebhookEndpoint).toBe(endpoint.id);
    expect(await countEndpoints()).toBe(0);
    expect((await t.deps.ds.query('SELECT count(*)::int AS n FROM webhook_deliveries'))[0].n).toBe(0);
    expect(codes(await t.exec(DELETE, { id: endpoint.id }))).toEqual(['NOT_FOUND']);
  });

  it('lists the known event types', async () => {
    expect((await t.ok(`{ webhookEventTypes }`)).webhookEventTypes).toEqual([
      'response.stored',
      'response.detractor',
      'response.corrected',
      'response.deleted',
      'action_item.created',
      'action_item.changed',
      'customer.erased',
      'nps.shift_detected',
    ]);
  });

  it('is for admins only: every other role gets FORBIDDEN and changes nothing', async () => {
    const { endpoint } = await create({ url: url(), eventTypes: ['response.stored'] });
    const [dept] = await t.deps.ds.query(`INSERT INTO departments (code, name) VALUES ('wh-d', 'D') RETURNING id`);
    const ops: [string, Record<string, unknown>][] = [
      [LIST, {}],
      [`{ webhookEventTypes }`, {}],
      [DELIVERIES, {}],
      [CREATE, { input: { url: url('/x'), eventTypes: ['response.stored'] } }],
      [UPDATE, { id: endpoint.id, input: { active: false } }],
      [DELETE, { id: endpoint.id }],
      [`mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id } }`, { id: randomUUID() }],
    ];
    for (const v of [viewer(Role.EXECUTIVE), viewer(Role.MANAGER, dept.id), viewer(Role.INTEGRATION)]) {
      for (const [q, vars] of ops) {
        const res = await t.exec(q, vars, { viewer: v });
        expect([v.role, codes(res)]).toEqual([v.role, ['FORBIDDEN']]);
      }
    }
    expect((await t.ok(LIST)).webhookEndpoints).toEqual([endpoint]);
    await t.deps.ds.query(`DELETE FROM departments WHERE id = $1`, [dept.id]);
  });
});

describe('fan-out from the outbox', () => {
  it('sends only events committed after the endpoint was created, only of its types, never rolled-back ones', async () => {
    await enqueue([{ type: 'response.stored', aggregateId: randomUUID(), payload: { before: true } }]);
    const { endpoint: a } = await create({ url: url('/a'), eventTypes: ['action_item.created', 'action_item.changed'] });
    const { endpoint: b } = await create({ url: url('/b'), eventTypes: ['response.stored', 'response.detractor', 'action_item.created', 'action_item.changed'] });
    const item = randomUUID();
    const response = randomUUID();
    await enqueue([
      { type: 'response.stored', aggregateId: response, payload: {} },
      { type: 'response.detractor', aggregateId: response, payload: {} },
      { type: 'action_item.created', aggregateId: item, payload: {} },
    ]);
    await expect(
      transaction(t.ctx(), async (ctx) => {
        await t.app.services.outbox.enqueue(ctx, [{ type: 'action_item.changed', aggregateId: item, payload: { rolledBack: true } }]);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await enqueue([{ type: 'action_item.changed', aggregateId: item, payload: {} }]);
    expect(await fanOut()).toBe(6);
    expect(await fanOut()).toBe(0);
    expect(await deliveredTypes(a.id)).toEqual(['action_item.created', 'action_item.changed']);
    expect(await deliveredTypes(b.id)).toEqual(['response.stored', 'response.detractor', 'action_item.created', 'action_item.changed']);
    const rolledBack = await t.deps.ds.query(`SELECT 1 FROM webhook_deliveries d JOIN outbox_events e ON e.id = d.event_id WHERE e.payload ? 'rolledBack' OR e.payload ? 'before'`);
    expect(rolledBack).toEqual([]);
  });

  it('an inactive endpoint gets no deliveries; on resume it gets events from then on and its pending ones go out', async () => {
    const receiver = new Receiver('');
    const port = await receiver.start();
    try {
      const { endpoint } = await create({ url: `http://127.0.0.1:${port}/`, eventTypes: ['response.stored'] });
      await enqueue([{ type: 'response.stored', aggregateId: null, payload: { n: 1 } }]);
      expect(await fanOut()).toBe(1);
      await t.ok(UPDATE, { id: endpoint.id, input: { active: false } });
      await enqueue([{ type: 'response.stored', aggregateId: null, payload: { n: 2 } }]);
      const worker = createWebhookWorker(t.deps, t.app.services);
      expect(await worker.runOnce()).toMatchObject({ fannedOut: 0, attempted: 0 });
      await t.ok(UPDATE, { id: endpoint.id, input: { active: true } });
      await enqueue([{ type: 'response.stored', aggregateId: null, payload: { n: 3 } }]);
      expect(await worker.runOnce()).toMatchObject({ fannedOut: 1, attempted: 2, delivered: 2 });
      expect(receiver.received.map((r) => r.json.data.n).sort()).toEqual([1, 3]);
    } finally {
      await receiver.stop();
    }
  });

  it('does not skip an event whose transaction took an earlier seq but committed after a later one', async () => {
    if (t.db.kind !== 'postgres') return; // PGlite has one connection: two open transactions cannot overlap
    const { endpoint } = await create({ url: url(), eventTypes: ['response.stored'] });
    const slow = t.deps.ds.createQueryRunner();
    const fast = t.deps.ds.createQueryRunner();
    try {
      await slow.startTransaction();
      await t.app.services.outbox.enqueue(withManager(t.ctx(), slow.manager), [{ type: 'response.stored', aggregateId: null, payload: { tx: 'slow' } }]);
      await fast.startTransaction();
      await t.app.services.outbox.enqueue(withManager(t.ctx(), fast.manager), [{ type: 'response.stored', aggregateId: null, payload: { tx: 'fast' } }]);
      await fast.commitTransaction();
      expect(await fanOut()).toBe(1);
      await slow.commitTransaction();
      expect(await fanOut()).toBe(1);
    } finally {
      await slow.release();
      await fast.release();
    }
    const rows = await t.deps.ds.query(
      `SELECT e.payload->>'tx' AS tx, e.seq FROM webhook_deliveries d JOIN outbox_events e ON e.id = d.event_id WHERE d.endpoint_id = $1 ORDER BY d.created_at, e.seq`,
      [endpoint.id],
    );
    expect(rows.map((r: any) => r.tx)).toEqual(['fast', 'slow']);
    expect(Number(rows[1].seq)).toBeLessThan(Number(rows[0].seq));
  });
});

describe('delivery log', () => {
  it('pages newest first with a stable cursor, filters by endpoint and status, and validates arguments', async () => {
    const { endpoint: a } = await create({ url: url('/a'), eventTypes: ['response.stored'] });
    const { endpoint: b } = await create({ url: url('/b'), eventTypes: ['action_item.created'] });
    const queue = new DeliveryQueue();
    for (let i = 0; i < 7; i++) {
      await enqueue([{ type: 'response.stored', aggregateId: randomUUID(), payload: { i } }]);
      await queue.fanOut(t.ctx(), new Date(Date.UTC(2026, 0, 1, 0, 0, i)));
    }
    await enqueue([{ type: 'action_item.created', aggregateId: randomUUID(), payload: {} }]);
    await queue.fanOut(t.ctx(), new Date(Date.UTC(2026, 0, 2)));

    const seen: string[] = [];
    let after: string | null = null;
    const sizes: number[] = [];
    for (;;) {
      const page: any = (await t.ok(DELIVERIES, { e: a.id, first: 3, after })).webhookDeliveries;
      expect(page.totalCount).toBe(7);
      sizes.push(page.edges.length);
      seen.push(...page.edges.map((e: any) => e.node.id));
      expect(page.edges.every((e: any) => e.node.endpoint.id === a.id && e.node.eventType === 'response.stored')).toBe(true);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(sizes).toEqual([3, 3, 1]);
    const expected = (await t.deps.ds.query(`SELECT id FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY created_at DESC, id DESC`, [a.id])).map((r: any) => r.id);
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(7);

    const all = (await t.ok(DELIVERIES, {})).webhookDeliveries;
    expect(all.totalCount).toBe(8);
    expect(all.edges[0].node.endpoint.id).toBe(b.id); // the newest
    expect((await t.ok(DELIVERIES, { s: 'PENDING' })).webhookDeliveries.totalCount).toBe(8);
    expect((await t.ok(DELIVERIES, { s: 'DELIVERED' })).webhookDeliveries.totalCount).toBe(0);

    expect(codes(await t.exec(DELIVERIES, { after: 'garbage' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.exec(DELIVERIES, { first: 501 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.exec(DELIVERIES, { e: 'x' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.exec(DELIVERIES, { e: randomUUID() }))).toEqual(['NOT_FOUND']);
    expect(codes(await t.exec(DELIVERIES, { s: 'LOST' }))).toEqual(['BAD_USER_INPUT']);
  });

  it('redelivers only finished deliveries', async () => {
    const REDELIVER = `mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id status } }`;
    await create({ url: url(), eventTypes: ['response.stored'] });
    await enqueue([{ type: 'response.stored', aggregateId: null, payload: {} }]);
    await fanOut();
    const [d] = await t.deps.ds.query(`SELECT id FROM webhook_deliveries`);
    const pending = await t.exec(REDELIVER, { id: d.id });
    expect(codes(pending)).toEqual(['CONFLICT']);
    expect(codes(await t.exec(REDELIVER, { id: randomUUID() }))).toEqual(['NOT_FOUND']);
    expect(codes(await t.exec(REDELIVER, { id: '12' }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('Slack format', () => {
  it('posts detractor alerts as a readable message and nothing else', async () => {
    const [dept] = await t.deps.ds.query(`INSERT INTO departments (code, name) VALUES ('wh-sup', 'Customer Support') RETURNING id`);
    const [survey] = await t.deps.ds.query(`INSERT INTO surveys (code, name, kind) VALUES ('wh-call', 'After the support call', 'TRANSACTIONAL') RETURNING id`);
    const comment = 'I waited forty minutes on hold <@U123> and then the line dropped. ' + 'Nobody called back. '.repeat(30);
    const [resp] = await t.deps.ds.query(
      `INSERT INTO responses (external_ref, score, comment, channel, survey_id, department_id, responded_at) VALUES ('wh-r1', 3, $1, 'phone', $2, $3, now()) RETURNING id`,
      [comment, survey.id, dept.id],
    );
    const receiver = new Receiver('');
    const port = await receiver.start();
    try {
      const created = await create({ url: `http://127.0.0.1:${port}/services/T000/B000/XXXX`, eventTypes: ['response.detractor'], format: 'SLACK', role: 'EXECUTIVE' });
      (receiver as any).secret = created.secret;
      const payload = { id: resp.id, score: 3, surveyCode: 'wh-call', departmentCode: 'wh-sup', comment };
      await enqueue([
        { type: 'response.stored', aggregateId: resp.id, payload },
        { type: 'response.detractor', aggregateId: resp.id, payload },
      ]);
      const stats = await createWebhookWorker(t.deps, t.app.services).runOnce();
      expect(stats).toMatchObject({ fannedOut: 1, delivered: 1 });
      expect(receiver.received).toHaveLength(1);
      const { json, signatureValid } = receiver.received[0];
      expect(signatureValid).toBe(true);
      expect(Object.keys(json)).toEqual(['text']);
      const lines = json.text.split('\n');
      expect(lines[0]).toBe(':rotating_light: *Detractor response* (score 3/10)');
      expect(lines).toContain('*Department:* Customer Support');
      expect(lines).toContain('*Survey:* After the support call');
      expect(lines).toContain('*Channel / touchpoint:* phone');
      const quote = lines.find((l: string) => l.startsWith('> '))!;
      expect(quote).toMatch(/^> I waited forty minutes on hold &lt;@U123&gt; and then the line dropped\. Nobody called back\./);
      expect(quote.endsWith('…')).toBe(true);
      expect(quote.length).toBeLessThan(300);
      expect(json.text).not.toMatch(/https?:\/\//);
    } finally {
      await receiver.stop();
      await t.deps.ds.query(`DELETE FROM responses WHERE id = $1`, [resp.id]);
    }
  });
});
