/**
 * Survey invitations (recordSurveyInvitations, idempotent), responses linked to them
 * (ResponseInput.invitationRef), response rates with Wilson intervals checked by hand, and the
 * invitation rollup kept exact.
 */
import { codes, createTestApp, TestApp, viewers } from './support/test-app';

let t: TestApp;
const q = (sql: string, p: unknown[] = []) => t.db.dataSource.query(sql, p);
const id: Record<string, string> = {};
const NOW = new Date('2026-06-01T12:00:00Z');
const opts = { now: () => NOW };

const RECORD = `mutation($i: [SurveyInvitationInput!]!) { recordSurveyInvitations(invitations: $i) {
  accepted duplicates rejected results { index status invitation { externalRef answered } error { code field message } } } }`;
const SUBMIT = `mutation($r: [ResponseInput!]!) { submitResponses(responses: $r) { accepted duplicates rejected results { status error { code field } } } }`;
const RATES = `query($f: ResponseRateFilter, $by: [RateDimension!], $i: TrendInterval) { responseRates(filter: $f, by: $by, interval: $i) {
  surveyCode departmentCode channel periodStart invitations responses rate confidenceLow confidenceHigh } }`;

const inv = (n: number, o: Partial<Record<string, unknown>> = {}) => ({
  externalRef: `INV-${n}`,
  customerRef: `CUST-${n % 7}`,
  surveyCode: 'REL',
  channel: 'email',
  departmentCode: 'A',
  sentAt: '2026-05-01T09:00:00Z',
  ...o,
});

beforeAll(async () => {
  t = await createTestApp();
  id.co = (await q(`INSERT INTO departments (code, name) VALUES ('CO', 'Company') RETURNING id`))[0].id;
  id.a = (await q(`INSERT INTO departments (code, name, parent_id) VALUES ('A', 'A', $1) RETURNING id`, [id.co]))[0].id;
  id.b = (await q(`INSERT INTO departments (code, name, parent_id) VALUES ('B', 'B', $1) RETURNING id`, [id.co]))[0].id;
  await q(`INSERT INTO surveys (code, name, kind, auto_follow_up) VALUES ('REL', 'Relationship', 'RELATIONSHIP', false), ('TX', 'Support', 'TRANSACTIONAL', false)`);
});
afterAll(() => t.close());

async function rollupMatchesRecount(): Promise<void> {
  const recount = await q(`SELECT date_trunc('day', sent_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS b, survey_id, department_id, channel,
      count(*)::int AS invitations, count(response_id)::int AS responded FROM survey_invitations GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`);
  const rollup = await q(`SELECT bucket_start AS b, survey_id, department_id, channel, invitations, responded FROM invitation_rollup_day
      WHERE invitations <> 0 OR responded <> 0 ORDER BY 1, 2, 3, 4`);
  expect(rollup).toEqual(recount);
}

describe('recordSurveyInvitations', () => {
  it('stores each externalRef once, reports per row, creates unknown customers', async () => {
    const rows = [inv(1), inv(2), inv(1), inv(3, { surveyCode: 'NOPE' }), inv(4, { departmentCode: 'ZZ' }), inv(5, { sentAt: '2027-01-01T00:00:00Z' }), inv(6, { externalRef: ' x' })];
    const d = await t.ok(RECORD, { i: rows }, opts);
    expect(d.recordSurveyInvitations).toMatchObject({ accepted: 2, duplicates: 1, rejected: 4 });
    expect(d.recordSurveyInvitations.results.map((r: any) => [r.status, r.error?.code ?? null, r.error?.field ?? null])).toEqual([
      ['ACCEPTED', null, null],
      ['ACCEPTED', null, null],
      ['DUPLICATE', null, null],
      ['REJECTED', 'NOT_FOUND', 'surveyCode'],
      ['REJECTED', 'NOT_FOUND', 'departmentCode'],
      ['REJECTED', 'BAD_USER_INPUT', 'sentAt'],
      ['REJECTED', 'BAD_USER_INPUT', 'externalRef'],
    ]);
    // sent again: all duplicates, nothing more stored
    const again = await t.ok(RECORD, { i: [inv(1), inv(2)] }, opts);
    expect(again.recordSurveyInvitations).toMatchObject({ accepted: 0, duplicates: 2, rejected: 0 });
    expect((await q(`SELECT count(*)::int AS n FROM survey_invitations`))[0].n).toBe(2);
    expect((await q(`SELECT count(*)::int AS n FROM customers WHERE external_ref IN ('CUST-1', 'CUST-2')`))[0].n).toBe(2);
    await rollupMatchesRecount();
  });

  it('more than 1,000 rows: BAD_USER_INPUT, nothing stored', async () => {
    const res = await t.exec(RECORD, { i: Array.from({ length: 1001 }, (_, i) => inv(10_000 + i)) }, opts);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect((await q(`SELECT count(*)::int AS n FROM survey_invitations WHERE external_ref LIKE 'INV-1____'`))[0].n).toBe(0);
  });

  it('a MANAGER or EXECUTIVE key may not record invitations; an INTEGRATION key may', async () => {
    expect(codes(await t.exec(RECORD, { i: [inv(20)] }, { ...opts, viewer: viewers.manager(id.a) }))).toEqual(['FORBIDDEN']);
    expect(codes(await t.exec(RECORD, { i: [inv(20)] }, { ...opts, viewer: viewers.executive }))).toEqual(['FORBIDDEN']);
    const d = await t.ok(RECORD, { i: [inv(20)] }, { ...opts, viewer: viewers.integration });
    expect(d.recordSurveyInvitations.accepted).toBe(1);
  });
});

describe('responses linked to their invitation', () => {
  const resp = (n: number, o: Partial<Record<string, unknown>> = {}) => ({
    externalRef: `R-${n}`, surveyCode: 'REL', score: 9, respondedAt: '2026-05-02T10:00:00Z', departmentCode: 'A', ...o,
  });

  it('links, and rejects unknown, foreign, mismatched and already-answered invitations row by row', async () => {
    await t.ok(RECORD, { i: [inv(30, { customerRef: 'LINK-1' }), inv(31, { customerRef: 'LINK-2' }), inv(32, { surveyCode: 'TX', customerRef: 'LINK-3' })] }, opts);
    const d = await t.ok(
      SUBMIT,
      {
        r: [
          resp(1, { invitationRef: 'INV-30', customer: { externalRef: 'LINK-1' } }),
          resp(2, { invitationRef: 'INV-404' }),
          resp(3, { invitationRef: 'INV-32' }),
          resp(4, { invitationRef: 'INV-31', customer: { externalRef: 'SOMEONE-ELSE' } }),
          resp(5, { invitationRef: 'INV-30' }),
          resp(6, { invitationRef: 'INV-31' }),
        ],
      },
      opts,
    );
    expect(d.submitResponses.results.map((r: any) => [r.status, r.error?.code ?? null])).toEqual([
      ['ACCEPTED', null],
      ['REJECTED', 'NOT_FOUND'],
      ['REJECTED', 'BAD_USER_INPUT'],
      ['REJECTED', 'BAD_USER_INPUT'],
      ['REJECTED', 'CONFLICT'],
      ['ACCEPTED', null],
    ]);
    const linked = await q(`SELECT i.external_ref, r.external_ref AS response FROM survey_invitations i JOIN responses r ON r.id = i.response_id ORDER BY 1`);
    expect(linked).toEqual([
      { external_ref: 'INV-30', response: 'R-1' },
      { external_ref: 'INV-31', response: 'R-6' },
    ]);
    // the same response sent again is a DUPLICATE, not a conflict with its own invitation
    const again = await t.ok(SUBMIT, { r: [resp(1, { invitationRef: 'INV-30', customer: { externalRef: 'LINK-1' } })] }, opts);
    expect(again.submitResponses.results[0].status).toBe('DUPLICATE');
    await rollupMatchesRecount();
  });
});

describe('responseRates', () => {
  beforeAll(async () => {
    await q(`DELETE FROM survey_invitations`);
    // By hand: REL/A/email in May: 20 invitations, 4 answered. REL/B/sms in May: 10 invitations, 0 answered.
    // TX/A/email in June: 5 invitations, 5 answered.
    const [rel] = await q(`SELECT id FROM surveys WHERE code = 'REL'`);
    const [tx] = await q(`SELECT id FROM surveys WHERE code = 'TX'`);
    const [c] = await q(`INSERT INTO customers (external_ref) VALUES ('RATE-C') RETURNING id`);
    const add = async (prefix: string, n: number, answered: number, survey: string, dept: string, channel: string, day: string) => {
      for (let i = 0; i < n; i++) {
        let responseId: string | null = null;
        if (i < answered) {
          [{ id: responseId }] = await q(`INSERT INTO responses (external_ref, survey_id, score, department_id, customer_id, responded_at) VALUES ($1, $2, 9, $3, $4, $5) RETURNING id`, [
            `${prefix}-resp-${i}`, survey, dept, c.id, day,
          ]);
        }
        await q(`INSERT INTO survey_invitations (external_ref, customer_id, survey_id, department_id, channel, sent_at) VALUES ($1, $2, $3, $4, $5, $6)`, [
          `${prefix}-${i}`, c.id, survey, dept, channel, day,
        ]);
        // linked afterwards, as ingest does: the rollup follows the update
        if (responseId) await q(`UPDATE survey_invitations SET response_id = $1 WHERE external_ref = $2`, [responseId, `${prefix}-${i}`]);
      }
    };
    await add('rel-a', 20, 4, rel.id, id.a, 'email', '2026-05-03T08:00:00Z');
    await add('rel-b', 10, 0, rel.id, id.b, 'sms', '2026-05-20T08:00:00Z');
    await add('tx-a', 5, 5, tx.id, id.a, 'email', '2026-06-01T08:00:00Z');
  });

  it('overall and by survey, with Wilson intervals checked by hand', async () => {
    const all = (await t.ok(RATES, {}, opts)).responseRates;
    // 9 of 35: p = 0.257143, z^2/n = 0.109760, centre = (0.257143 + 0.054880)/1.109760 = 0.281162
    // half = 1.96/1.109760 * sqrt(0.257143*0.742857/35 + 3.8416/4900) = 1.766147 * sqrt(0.00545773 + 0.00078400) = 1.766147 * 0.0790048 = 0.139534
    // -> [14.1628, 42.0696]
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ invitations: 35, responses: 9 });
    expect(all[0].rate).toBeCloseTo(25.7143, 3);
    expect(all[0].confidenceLow).toBeCloseTo(14.1628, 2);
    expect(all[0].confidenceHigh).toBeCloseTo(42.0696, 2);

    const bySurvey = (await t.ok(RATES, { by: ['SURVEY'] }, opts)).responseRates;
    expect(bySurvey.map((r: any) => [r.surveyCode, r.invitations, r.responses])).toEqual([
      ['REL', 30, 4],
      ['TX', 5, 5],
    ]);
    // 5 of 5: upper bound 100, lower 100 - 43.4482 (mirror of 0 of 5: centre = 0.38416/1.76832 = 0.217244 = half -> 0..43.4488)
    expect(bySurvey[1].confidenceHigh).toBeCloseTo(100, 6);
    expect(bySurvey[1].confidenceLow).toBeCloseTo(56.551, 2);
  });

  it('by department, channel and month; filters', async () => {
    const rows = (await t.ok(RATES, { by: ['DEPARTMENT', 'CHANNEL'], i: 'MONTH' }, opts)).responseRates;
    expect(rows.map((r: any) => [r.periodStart, r.departmentCode, r.channel, r.invitations, r.responses])).toEqual([
      ['2026-05-01T00:00:00.000Z', 'A', 'email', 20, 4],
      ['2026-05-01T00:00:00.000Z', 'B', 'sms', 10, 0],
      ['2026-06-01T00:00:00.000Z', 'A', 'email', 5, 5],
    ]);
    // 4 of 20: p 0.2, z^2/n 0.19208, centre (0.2 + 0.09604)/1.19208 = 0.248339, half = 1.644185 * sqrt(0.008 + 0.0024010) = 0.167679 -> [8.066, 41.602]
    expect(rows[0].confidenceLow).toBeCloseTo(8.066, 2);
    expect(rows[0].confidenceHigh).toBeCloseTo(41.602, 2);
    const may = (await t.ok(RATES, { f: { from: '2026-05-01T00:00:00Z', to: '2026-06-01T00:00:00Z', channels: ['sms'] } }, opts)).responseRates;
    expect(may.map((r: any) => [r.invitations, r.responses])).toEqual([[10, 0]]);
    const sub = (await t.ok(RATES, { f: { departmentCode: 'A', surveyCodes: ['REL'] } }, opts)).responseRates;
    expect(sub.map((r: any) => [r.invitations, r.responses])).toEqual([[20, 4]]);
  });

  it('a MANAGER key counts its subtree only, may not name another department; INTEGRATION may not read rates', async () => {
    const mine = (await t.ok(RATES, { by: ['DEPARTMENT'] }, { ...opts, viewer: viewers.manager(id.a) })).responseRates;
    expect(mine.map((r: any) => [r.departmentCode, r.invitations])).toEqual([['A', 25]]);
    expect(codes(await t.exec(RATES, { f: { departmentCode: 'B' } }, { ...opts, viewer: viewers.manager(id.a) }))).toEqual(['FORBIDDEN']);
    expect(codes(await t.exec(RATES, {}, { ...opts, viewer: viewers.integration }))).toEqual(['FORBIDDEN']);
  });

  it('the rollup stays exact through inserts, links, unlinks and deletes', async () => {
    await q(`UPDATE survey_invitations SET response_id = NULL WHERE external_ref = 'tx-a-0'`);
    await q(`DELETE FROM survey_invitations WHERE external_ref LIKE 'rel-b-%' AND external_ref < 'rel-b-5'`);
    await q(`DELETE FROM responses WHERE external_ref = 'rel-a-resp-0'`); // ON DELETE SET NULL unlinks it
    await rollupMatchesRecount();
    const all = (await t.ok(RATES, {}, opts)).responseRates;
    expect(all[0]).toMatchObject({ invitations: 30, responses: 7 });
  });
});
