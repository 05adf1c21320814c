import { setupWebhookEndpoints } from './support/webhook-endpoints';

const w = setupWebhookEndpoints();

describe('webhooks end to end', () => {
  it('delivers what createActionItem and updateActionItem wrote, signed, once each, in order per item', async () => {
    const item = (await w.t.ok(`mutation { createActionItem(input: { title: "Call back", externalRef: "e2e-item" }) { id } }`)).createActionItem;
    for (const status of ['IN_PROGRESS', 'BLOCKED', 'IN_PROGRESS', 'DONE']) {
      await w.t.ok(`mutation($s: ActionItemStatus!) { updateActionItem(input: { externalRef: "e2e-item", status: $s }) { id } }`, { s: status });
    }
    await w.drain();
    const pending = await w.t.deps.ds.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status <> 'DELIVERED'`);
    expect(pending[0].n).toBe(0);
    const mine = w.standard.received.filter((r) => r.json.data.item?.id === item.id);
    expect(mine.every((r) => r.signatureValid && r.status === 200)).toBe(true);
    expect(new Set(mine.map((r) => r.id)).size).toBe(5);
    expect(mine.map((r) => r.json.type)).toEqual(['action_item.created', 'action_item.changed', 'action_item.changed', 'action_item.changed', 'action_item.changed']);
    expect(mine.map((r) => r.json.data.item.status)).toEqual(['OPEN', 'IN_PROGRESS', 'BLOCKED', 'IN_PROGRESS', 'DONE']);
    expect(w.slack.received).toHaveLength(0);
  });
});
