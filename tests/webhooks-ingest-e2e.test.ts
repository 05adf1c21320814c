import { setupWebhookEndpoints } from './support/webhook-endpoints';

const w = setupWebhookEndpoints();

describe('webhooks end to end (ingest)', () => {
  it('delivers what submitResponses wrote; the Slack endpoint gets a readable alert for the detractor only', async () => {
    await w.t.ok(`mutation { upsertDepartment(input: { code: "E2E-SUP", name: "Support Team" }) { id } }`);
    await w.t.ok(`mutation { upsertSurvey(input: { code: "e2e-call", name: "Support call survey", kind: TRANSACTIONAL }) { id } }`);
    const submitted = await w.t.ok(`mutation($r: [ResponseInput!]!) { submitResponses(responses: $r) { accepted } }`, {
      r: [
        { externalRef: 'e2e-1', surveyCode: 'e2e-call', score: 2, respondedAt: '2026-03-01T10:00:00Z', comment: 'Line dropped twice.', departmentCode: 'E2E-SUP' },
        { externalRef: 'e2e-2', surveyCode: 'e2e-call', score: 10, respondedAt: '2026-03-01T11:00:00Z', departmentCode: 'E2E-SUP' },
      ],
    });
    expect(submitted.submitResponses.accepted).toBe(2);
    const before = w.standard.received.length;
    await w.drain();
    const pending = await w.t.deps.ds.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status <> 'DELIVERED'`);
    expect(pending[0].n).toBe(0);
    const got = w.standard.received.slice(before);
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

    expect(w.slack.received).toHaveLength(1);
    expect(w.slack.received[0].signatureValid).toBe(true);
    const text: string = w.slack.received[0].json.text;
    expect(text).toContain('score 2/10');
    expect(text).toContain('*Department:* Support Team');
    expect(text).toContain('*Survey:* Support call survey');
    expect(text).toContain('> Line dropped twice.');
  });
});
