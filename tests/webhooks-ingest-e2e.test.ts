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

describe('webhooks end to end (ingest)', () => {
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

  it('delivers what submitResponses wrote; the Slack endpoint gets a readable alert for the detractor only', async () => {
    await t.ok(`mutation { upsertDepartment(input: { code: "E2E-SUP", name: "Support Team" }) { id } }`);
    await t.ok(`mutation { upsertSurvey(input: { code: "e2e-call", name: "Support call survey", kind: TRANSACTIONAL }) { id } }`);
    const submitted = await t.ok(`mutation($r: [ResponseInput!]!) { submitResponses(responses: $r) { accepted } }`, {
      r: [
        { externalRef: 'e2e-1', surveyCode: 'e2e-call', score: 2, respondedAt: '2026-03-01T10:00:00Z', comment: 'Line dropped twice.', departmentCode: 'E2E-SUP' },
        { externalRef: 'e2e-2', surveyCode: 'e2e-call', score: 10, respondedAt: '2026-03-01T11:00:00Z', departmentCode: 'E2E-SUP' },
      ],
    });
    expect(submitted.submitResponses.accepted).toBe(2);
    const before = standard.received.length;
    await drain();
    const pending = await t.deps.ds.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status <> 'DELIVERED'`);
    expect(pending[0].n).toBe(0);
    const got = standard.received.slice(before);
    expect(got.every((r) => r.signatureValid && r.status === 200)).toBe(true);
    const responseEvents = got.filter((r) => r.json.type.startsWith('response.'));
    expect(responseEvents.map((r) => [r.json.type, r.json.data.externalRef]).sort()).toEqual([
      ['response.detractor', 'e2e-1'],
      ['response.stored', 'e2e-1'],
      ['response.stored', 'e2e-2'],
    ]);
    // Per response, stored comes before detractor.
    const e1 = responseEvents.filter((r) => r.json.data.externalRef === 'e2e-1').map((r) => r.json.type);
    expect(e1).toEqual(['response.stored', 'response.detractor']);

    expect(slack.received).toHaveLength(1);
    expect(slack.received[0].signatureValid).toBe(true);
    const text: string = slack.received[0].json.text;
    expect(text).toContain('score 2/10');
    expect(text).toContain('*Department:* Support Team');
    expect(text).toContain('*Survey:* Support call survey');
    expect(text).toContain('> Line dropped twice.');
  });
});
