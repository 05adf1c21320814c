import { createTestApp, TestApp } from './support/test-app';
import { Receiver } from './webhooks-receiver';
import { createWebhookWorker } from '../src/modules/webhooks/worker';

let t: TestApp;
const standard = new Receiver('');
const slack = new Receiver('');
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await standard.stop();
  await slack.stop();
  await t.close();
});

const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id } } }`;

/** Polls until a poll attempts nothing. */
async function drain(): Promise<void> {
  const worker = createWebhookWorker(t.deps, t.app.services);
  for (let i = 0; i < 30; i++) if ((await worker.runOnce()).attempted === 0) return;
}

describe('webhooks end to end', () => {
  let std: { secret: string; endpoint: { id: string } };
  let sl: { secret: string; endpoint: { id: string } };
  beforeAll(async () => {
    const [pStd, pSlack] = [await standard.start(), await slack.start()];
    std = (await t.ok(CREATE, { input: { url: `http://127.0.0.1:${pStd}/`, eventTypes: ['response.stored', 'response.detractor', 'action_item.created', 'action_item.changed'] } }))
      .createWebhookEndpoint;
    sl = (await t.ok(CREATE, { input: { url: `http://127.0.0.1:${pSlack}/`, eventTypes: ['response.detractor'], format: 'SLACK' } })).createWebhookEndpoint;
    (standard as any).secret = std.secret;
    (slack as any).secret = sl.secret;
  });

  it('delivers what createActionItem and updateActionItem wrote, signed, once each, in order per item', async () => {
    const item = (await t.ok(`mutation { createActionItem(input: { title: "Call back", externalRef: "e2e-item" }) { id } }`)).createActionItem;
    for (const status of ['IN_PROGRESS', 'BLOCKED', 'IN_PROGRESS', 'DONE']) {
      await t.ok(`mutation($s: ActionItemStatus!) { updateActionItem(input: { externalRef: "e2e-item", status: $s }) { id } }`, { s: status });
    }
    await drain();
    const pending = await t.deps.ds.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status <> 'DELIVERED'`);
    expect(pending[0].n).toBe(0);
    const mine = standard.received.filter((r) => r.json.data.item?.id === item.id);
    expect(mine.every((r) => r.signatureValid && r.status === 200)).toBe(true);
    expect(new Set(mine.map((r) => r.id)).size).toBe(5);
    expect(mine.map((r) => r.json.type)).toEqual(['action_item.created', 'action_item.changed', 'action_item.changed', 'action_item.changed', 'action_item.changed']);
    expect(mine.map((r) => r.json.data.item.status)).toEqual(['OPEN', 'IN_PROGRESS', 'BLOCKED', 'IN_PROGRESS', 'DONE']);
    expect(slack.received).toHaveLength(0);
  });
});
