import { systemContext } from '../src/system-context';
import { evaluateAlertRules } from '../src/modules/alerts/alert-evaluator';
import { createWebhookWorker } from '../src/modules/webhooks/worker';
import { createTestApp, TestApp } from './support/test-app';
import { insertKpiTree, insertScores, Sql } from './support/org-fixture';
import { Receiver } from './webhooks-receiver';

/**
 * A significant shift goes out as nps.shift_detected to the endpoints subscribed to it: signed
 * Standard Webhooks JSON with the alert's figures, and a readable Slack message; an endpoint not
 * subscribed to it gets nothing.
 */
let t: TestApp;
let sql: Sql;
const ids: Record<string, string> = {};
const standard = new Receiver('');
const slack = new Receiver('');
const other = new Receiver('');
const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id } } }`;

beforeAll(async () => {
  t = await createTestApp();
  sql = (q, p) => t.db.dataSource.query(q, p);
  await insertKpiTree(sql, ids);
  ids.REL = (await sql(`INSERT INTO surveys (code, name, kind) VALUES ('REL', 'Relationship', 'RELATIONSHIP') RETURNING id`))[0].id;
  // Europe/Paris weeks: Monday 00:00 local is Sunday 23:00 UTC in November.
  await insertScores(sql, ids, 'SUP-EU', 'REL', [60, 30, 10], '2026-11-10T09:00:00Z');
  await insertScores(sql, ids, 'SUP-EU', 'REL', [20, 30, 50], '2026-11-17T09:00:00Z');
  const [ps, pk, po] = [await standard.start(), await slack.start(), await other.start()];
  const make = async (port: number, eventTypes: string[], format = 'STANDARD') => (await t.ok(CREATE, { input: { url: `http://127.0.0.1:${port}/`, eventTypes, format } })).createWebhookEndpoint;
  standard.secret = (await make(ps, ['nps.shift_detected'])).secret;
  slack.secret = (await make(pk, ['response.detractor', 'nps.shift_detected'], 'SLACK')).secret;
  other.secret = (await make(po, ['response.stored'])).secret;
  await t.ok(`mutation($i: CreateAlertRuleInput!) { createAlertRule(input: $i) { id } }`, {
    i: { name: 'Support <EU> NPS', metric: 'NPS', window: 'WEEK', timeZone: 'Europe/Paris', departmentId: ids.SUP },
  });
});
afterAll(async () => {
  await Promise.all([standard.stop(), slack.stop(), other.stop()]);
  await t?.close();
});

it('delivers the alert to the subscribed endpoints, in Standard Webhooks and Slack format', async () => {
  const stats = await evaluateAlertRules(systemContext(t.deps, { now: () => new Date('2026-11-24T08:00:00Z') }));
  expect(stats).toMatchObject({ families: 1, tests: 1, alerts: 1 });
  const [alert] = await sql(`SELECT id FROM alerts`);
  const worker = createWebhookWorker(t.deps, t.app.services);
  for (let i = 0; i < 10; i++) if ((await worker.runOnce()).attempted === 0) break;

  expect(standard.received).toHaveLength(1);
  const got = standard.received[0];
  expect(got.signatureValid).toBe(true);
  expect(got.json).toMatchObject({
    type: 'nps.shift_detected',
    data: {
      id: alert.id, ruleName: 'Support <EU> NPS', metric: 'NPS', direction: 'DOWN', scope: 'SUP (SUP) and below', timeZone: 'Europe/Paris',
      windowStart: '2026-11-15T23:00:00.000Z', windowEnd: '2026-11-22T23:00:00.000Z', comparisonStart: '2026-11-08T23:00:00.000Z',
      previousValue: 50, currentValue: -30, delta: -80, previousSample: 100, currentSample: 100, familySize: 1, falseDiscoveryRate: 0.05,
    },
  });
  expect(got.json.data.adjustedPValue).toBeLessThan(0.05);

  expect(slack.received).toHaveLength(1);
  expect(slack.received[0].signatureValid).toBe(true);
  const text: string = slack.received[0].json.text;
  expect(text.split('\n')).toEqual([
    ':chart_with_downwards_trend: *Significant shift: NPS down 80.0 points* (Support &lt;EU&gt; NPS)',
    '*Scope:* SUP (SUP) and below',
    '*Window:* 2026-11-16 to 2026-11-22 (Europe/Paris): -30.0 on 100',
    '*Compared with:* 2026-11-09 to 2026-11-15: 50.0 on 100',
    expect.stringMatching(/^_p = \S+, adjusted for the rules tested together \(Benjamini-Hochberg\): \S+_$/),
  ]);
  expect(other.received).toHaveLength(0);
});
