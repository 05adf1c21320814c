import { createTestApp, TestApp } from './test-app';
import { Receiver } from '../webhooks-receiver';
import { createWebhookWorker } from '../../src/modules/webhooks/worker';

const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id } } }`;

export interface WebhookSetup {
  t: TestApp;
  /** Subscribed to every event type, Standard Webhooks format. */
  standard: Receiver;
  /** Subscribed to response.detractor only, Slack format. */
  slack: Receiver;
  /** Runs the delivery worker until a poll attempts nothing. */
  drain(): Promise<void>;
}

/**
 * Registers jest hooks for a file's webhook end-to-end tests: a test app, and two real receivers
 * on 127.0.0.1 registered through createWebhookEndpoint. Read the fields inside tests (they are
 * filled in beforeAll).
 */
export function setupWebhookEndpoints(): WebhookSetup {
  const setup = { standard: new Receiver(''), slack: new Receiver('') } as WebhookSetup;
  setup.drain = async () => {
    const worker = createWebhookWorker(setup.t.deps, setup.t.app.services);
    for (let i = 0; i < 30; i++) if ((await worker.runOnce()).attempted === 0) return;
  };
  beforeAll(async () => {
    setup.t = await createTestApp();
    const [pStd, pSlack] = [await setup.standard.start(), await setup.slack.start()];
    const std = (
      await setup.t.ok(CREATE, {
        input: { url: `http://127.0.0.1:${pStd}/`, eventTypes: ['response.stored', 'response.detractor', 'action_item.created', 'action_item.changed'], role: 'EXECUTIVE' },
      })
    ).createWebhookEndpoint;
    const sl = (await setup.t.ok(CREATE, { input: { url: `http://127.0.0.1:${pSlack}/`, eventTypes: ['response.detractor'], format: 'SLACK', role: 'EXECUTIVE' } }))
      .createWebhookEndpoint;
    setup.standard.secret = std.secret;
    setup.slack.secret = sl.secret;
  });
  afterAll(async () => {
    await setup.standard.stop();
    await setup.slack.stop();
    await setup.t?.close();
  });
  return setup;
}
