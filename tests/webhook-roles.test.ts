/**
 * A webhook endpoint's role decides what its events carry: every event carries the customer's
 * externalRef, agent, channel, touchpoint and survey code; verbatims and customer details only for
 * a role that may read them (README: "What each event holds, per endpoint role").
 */
import { codes, createTestApp, TestApp } from './support/test-app';
import { Receiver } from './webhooks-receiver';
import { createWebhookWorker } from '../src/modules/webhooks/worker';

let t: TestApp;
const rx: Record<string, Receiver> = {};
const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id role } } }`;
const ALL = ['response.stored', 'response.detractor', 'action_item.created', 'action_item.changed'];
const COMMENT = 'The courier left it in the rain, call me on +33 6 00 00 00 00';

async function endpoint(name: string, input: Record<string, unknown>): Promise<string> {
  rx[name] = new Receiver('');
  const port = await rx[name].start();
  const res = (await t.ok(CREATE, { input: { url: `http://127.0.0.1:${port}/`, ...input } })).createWebhookEndpoint;
  rx[name].secret = res.secret;
  return res.endpoint.role;
}

beforeAll(async () => {
  t = await createTestApp();
  expect(await endpoint('executive', { eventTypes: ALL, role: 'EXECUTIVE' })).toBe('EXECUTIVE');
  expect(await endpoint('integration', { eventTypes: ALL })).toBe('INTEGRATION'); // the default
  expect(await endpoint('admin', { eventTypes: ALL, role: 'ADMIN' })).toBe('ADMIN');
  await endpoint('slackIntegration', { eventTypes: ['response.detractor'], format: 'SLACK', role: 'INTEGRATION' });
  await t.ok(`mutation { upsertDepartment(input: { code: "SUP", name: "Support" }) { id } }`);
  await t.ok(`mutation { upsertPerson(input: { email: "agent@example.com", name: "Agent Smith", departmentCode: "SUP" }) { id } }`);
  await t.ok(`mutation { upsertSurvey(input: { code: "DELIV", name: "Delivery", kind: TRANSACTIONAL, autoFollowUp: true }) { id } }`);
  const res = await t.ok(`mutation($r: [ResponseInput!]!) { submitResponses(responses: $r) { accepted } }`, {
    r: [
      {
        externalRef: 'wr-1', surveyCode: 'DELIV', score: 1, respondedAt: '2026-03-01T10:00:00Z', departmentCode: 'SUP', agentEmail: 'agent@example.com',
        channel: 'sms', touchpoint: 'delivery', comment: COMMENT, followUpAnswers: [{ question: 'Why?', answer: 'wet parcel' }],
        customer: { externalRef: 'crm-77', region: 'EU', plan: 'pro', attributes: { phone: '+33 6 00 00 00 00' } },
      },
    ],
  });
  expect(res.submitResponses.accepted).toBe(1);
  const worker = createWebhookWorker(t.deps, t.app.services);
  for (let i = 0; i < 30; i++) if ((await worker.runOnce()).attempted === 0) break;
});
afterAll(async () => {
  for (const r of Object.values(rx)) await r.stop();
  await t.close();
});

const events = (name: string) => rx[name].received.map((r) => r.json);
const WHO = { customerExternalRef: 'crm-77', channel: 'sms', touchpoint: 'delivery', surveyCode: 'DELIV' };

describe('webhook payloads per endpoint role', () => {
  it('every role gets every event with the customer reference, agent, channel, touchpoint and survey code', async () => {
    for (const name of ['executive', 'integration', 'admin']) {
      const got = events(name);
      expect(got.map((e) => e.type).sort()).toEqual(['action_item.created', 'response.detractor', 'response.stored']);
      expect(rx[name].received.every((r) => r.signatureValid)).toBe(true);
      for (const e of got) {
        expect(e.data).toMatchObject(WHO);
        expect(e.data.agent).toMatchObject({ email: 'agent@example.com', name: 'Agent Smith' });
      }
    }
  });

  it('EXECUTIVE and ADMIN endpoints get the verbatims and customer details', async () => {
    for (const name of ['executive', 'admin']) {
      for (const e of events(name)) {
        expect(e.data.comment).toBe(COMMENT);
        expect(e.data.followUpAnswers).toEqual([{ question: 'Why?', answer: 'wet parcel' }]);
        expect(e.data.customer).toMatchObject({ externalRef: 'crm-77', region: 'EU', plan: 'pro', attributes: { phone: '+33 6 00 00 00 00' } });
      }
    }
  });

  it('an INTEGRATION endpoint gets no verbatim and no customer detail anywhere in the body', async () => {
    const bodies = rx.integration.received.map((r) => r.body);
    expect(bodies).toHaveLength(3);
    for (const body of bodies) {
      expect(body).not.toContain('courier');
      expect(body).not.toContain('wet parcel');
      expect(body).not.toContain('+33 6');
      const data = JSON.parse(body).data;
      expect(data).not.toHaveProperty('comment');
      expect(data).not.toHaveProperty('followUpAnswers');
      expect(data).not.toHaveProperty('customer');
    }
    const slack = rx.slackIntegration.received;
    expect(slack).toHaveLength(1);
    expect(slack[0].json.text).toContain("_Comment not shown (this endpoint's role may not read verbatims)._");
    expect(slack[0].body).not.toContain('courier');
  });

  it("a correction's changes of a verbatim go only to roles that may read verbatims", async () => {
    await endpoint('corrExecutive', { eventTypes: ['response.corrected'], role: 'EXECUTIVE' });
    await endpoint('corrIntegration', { eventTypes: ['response.corrected'], role: 'INTEGRATION' });
    const [{ version }] = await t.deps.ds.query(`SELECT version FROM responses WHERE external_ref = 'wr-1'`);
    const fixed = await t.ok(`mutation($c: [ResponseCorrectionInput!]!) { correctResponses(corrections: $c) { corrected } }`, {
      c: [{ externalRef: 'wr-1', expectedVersion: version, score: 4, comment: 'Parcel arrived dry after all' }],
    });
    expect(fixed.correctResponses.corrected).toBe(1);
    const worker = createWebhookWorker(t.deps, t.app.services);
    for (let i = 0; i < 30; i++) if ((await worker.runOnce()).attempted === 0) break;
    const [exec] = events('corrExecutive');
    const [integ] = events('corrIntegration');
    expect(exec.type).toBe('response.corrected');
    expect(exec.data.changes.map((c: any) => c.field).sort()).toEqual(['comment', 'score']);
    expect(JSON.stringify(exec.data)).toContain('courier'); // the old comment, for a role that may read it
    expect(integ.type).toBe('response.corrected');
    expect(integ.data.changes.map((c: any) => c.field)).toEqual(['score']);
    expect(rx.corrIntegration.received[0].body).not.toContain('courier');
    expect(rx.corrIntegration.received[0].body).not.toContain('dry after all');
  });

  it('refuses a MANAGER endpoint and an unknown role; the role can be changed', async () => {
    const res = await t.exec(CREATE, { input: { url: 'http://127.0.0.1:9/', eventTypes: ALL, role: 'MANAGER' } });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0].extensions!.field).toBe('role');
    expect(codes(await t.exec(CREATE, { input: { url: 'http://127.0.0.1:9/', eventTypes: ALL, role: 'NOBODY' } }))).toEqual(['BAD_USER_INPUT']);
    const [ep] = await t.deps.ds.query(`SELECT id FROM webhook_endpoints WHERE role = 'INTEGRATION' AND format = 'STANDARD'`);
    const up = await t.ok(`mutation($id: ID!) { updateWebhookEndpoint(id: $id, input: { role: EXECUTIVE }) { role } }`, { id: ep.id });
    expect(up.updateWebhookEndpoint.role).toBe('EXECUTIVE');
  });
});
