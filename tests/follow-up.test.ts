import { createTestApp, TestApp } from './support/test-app';
import { Role, Viewer } from '../src/modules/auth/viewer';
import type { StoredResponseRow } from '../src/modules/action-items/follow-up.service';
import { transaction } from '../src/transaction';

let t: TestApp;
const q = (sql: string, params: unknown[] = []) => t.db.dataSource.query(sql, params);
const ids: Record<string, string> = {};
const surveys: Record<string, { id: string; threshold: number; auto: boolean; name: string }> = {};
const depts: Record<string, { id: string; sla: number; owner: string | null }> = {};
const INGEST: Viewer = { keyId: null, name: 'crm-sync', role: Role.INTEGRATION, departmentId: null };
const NOW = new Date('2026-05-04T08:00:00.000Z');
const HOUR = 3_600_000;

beforeAll(async () => {
  t = await createTestApp();
  const [alice] = await q(`INSERT INTO people (name, email) VALUES ('Alice', 'alice@example.com') RETURNING id`);
  ids.alice = alice.id;
  const [sales] = await q(`INSERT INTO departments (code, name, sla_hours, owner_id) VALUES ('SALES', 'Sales', 24, $1) RETURNING id, sla_hours`, [ids.alice]);
  depts.SALES = { id: sales.id, sla: sales.sla_hours, owner: ids.alice };
  // SUPPORT: no owner, the default SLA.
  const [support] = await q(`INSERT INTO departments (code, name) VALUES ('SUPPORT', 'Support') RETURNING id, sla_hours`);
  depts.SUPPORT = { id: support.id, sla: support.sla_hours, owner: null };
  for (const [code, threshold, auto] of [['default', null, null], ['strict', 8, true], ['off', 6, false]] as const) {
    const cols = ['code', 'name', 'kind'];
    const vals: unknown[] = [code, `Survey ${code}`, 'TRANSACTIONAL'];
    if (threshold !== null) (cols.push('follow_up_threshold'), vals.push(threshold));
    if (auto !== null) (cols.push('auto_follow_up'), vals.push(auto));
    const [row] = await q(
      `INSERT INTO surveys (${cols.join(', ')}) VALUES (${vals.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id, follow_up_threshold, auto_follow_up, name`,
      vals,
    );
    surveys[code] = { id: row.id, threshold: row.follow_up_threshold, auto: row.auto_follow_up, name: row.name };
  }
});
afterAll(() => t.close());

interface Spec {
  ref: string;
  survey: string;
  score: number;
  dept: string | null;
  comment?: string;
}

async function insertResponses(specs: Spec[]): Promise<StoredResponseRow[]> {
  const out: StoredResponseRow[] = [];
  for (const s of specs) {
    const [row] = await q(
      `INSERT INTO responses (external_ref, survey_id, score, department_id, comment, responded_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [s.ref, surveys[s.survey].id, s.score, s.dept ? depts[s.dept].id : null, s.comment ?? null, '2026-05-01T10:00:00Z'],
    );
    out.push({
      id: row.id,
      externalRef: row.external_ref,
      score: row.score,
      surveyId: row.survey_id,
      departmentId: row.department_id,
      customerId: null,
      respondedAt: row.responded_at,
    });
  }
  return out;
}

const openInTransaction = (rows: StoredResponseRow[], now = NOW) =>
  transaction(t.ctx(INGEST, () => now), (ctx) => t.app.services.followUps.openForResponses(ctx, rows));

/** Independent statement of the rule: which of these responses must get an automatic item. */
const qualifies = (s: Spec) => surveys[s.survey].auto && s.score <= surveys[s.survey].threshold;

const autoItemsOf = (responseIds: string[]) =>
  q(`SELECT * FROM action_items WHERE auto_created AND response_id = ANY($1::uuid[]) ORDER BY response_id`, [responseIds]);

describe('automatic follow-up', () => {
  it('opens one item per qualifying response with the department owner, the department SLA and a created event', async () => {
    const specs: Spec[] = [];
    for (const survey of ['default', 'strict', 'off']) {
      for (const score of [0, 5, 6, 7, 8, 9, 10]) {
        for (const dept of ['SALES', 'SUPPORT', null]) specs.push({ ref: `a-${survey}-${score}-${dept}`, survey, score, dept, comment: `said ${score}` });
      }
    }
    const rows = await insertResponses(specs);
    const created = await openInTransaction(rows);

    const expected = specs.map((s, i) => ({ s, id: rows[i].id })).filter(({ s }) => qualifies(s));
    expect(expected.length).toBe(3 * 3 + 5 * 3); // default: 0, 5, 6; strict: 0..8; off: none
    expect(created).toHaveLength(expected.length);
    const items = await autoItemsOf(rows.map((r) => r.id));
    expect(items.map((i: any) => i.response_id).sort()).toEqual(expected.map((e) => e.id).sort());
    for (const { s, id } of expected) {
      const item = items.find((i: any) => i.response_id === id);
      const dept = s.dept ? depts[s.dept] : null;
      expect(item).toMatchObject({
        status: 'OPEN',
        priority: 'MEDIUM',
        version: 1,
        auto_created: true,
        department_id: dept?.id ?? null,
        owner_id: dept?.owner ?? null,
        assignee_id: dept?.owner ?? null,
        title: `Follow up: score ${s.score}/10 on ${surveys[s.survey].name}`,
        description: null, // the verbatim stays on the response (integration keys read items)
        first_action_at: null,
        closed_at: null,
      });
      expect(item.created_at.toISOString()).toBe(NOW.toISOString());
      expect(item.due_at.getTime() - NOW.getTime()).toBe((dept?.sla ?? 48) * HOUR);
    }
    expect(depts.SUPPORT.sla).toBe(48); // the column default

    const events = await q(`SELECT * FROM action_item_events WHERE action_item_id = ANY($1::uuid[])`, [items.map((i: any) => i.id)]);
    expect(events).toHaveLength(items.length);
    for (const e of events) {
      expect(e).toMatchObject({ actor: 'system', field: 'created', from_value: null });
      expect(e.note).toContain('crm-sync');
      expect(e.at.toISOString()).toBe(NOW.toISOString());
    }
    const outbox = await q(`SELECT aggregate_id, payload FROM outbox_events WHERE type = 'action_item.created' AND aggregate_id = ANY($1::uuid[])`, [
      items.map((i: any) => i.id),
    ]);
    expect(outbox.map((o: any) => o.aggregate_id).sort()).toEqual(items.map((i: any) => i.id).sort());
    expect(outbox[0].payload.item).toMatchObject({ autoCreated: true, status: 'OPEN' });

    // Running again for the same rows opens nothing more.
    expect(await openInTransaction(rows)).toEqual([]);
    expect(await autoItemsOf(rows.map((r) => r.id))).toHaveLength(expected.length);
  });

  it('uses the survey settings at the time it runs (threshold raised, auto follow-up switched off)', async () => {
    const rows = await insertResponses([
      { ref: 'b-1', survey: 'default', score: 7, dept: 'SALES' },
      { ref: 'b-2', survey: 'default', score: 3, dept: 'SALES' },
    ]);
    await q(`UPDATE surveys SET follow_up_threshold = 7 WHERE id = $1`, [surveys.default.id]);
    await q(`UPDATE surveys SET auto_follow_up = false WHERE id = $1`, [surveys.strict.id]);
    const strictRows = await insertResponses([{ ref: 'b-3', survey: 'strict', score: 1, dept: 'SALES' }]);
    try {
      await openInTransaction([...rows, ...strictRows]);
      expect((await autoItemsOf([...rows, ...strictRows].map((r) => r.id))).map((i: any) => i.response_id).sort()).toEqual(rows.map((r) => r.id).sort());
    } finally {
      await q(`UPDATE surveys SET follow_up_threshold = 6 WHERE id = $1`, [surveys.default.id]);
      await q(`UPDATE surveys SET auto_follow_up = true WHERE id = $1`, [surveys.strict.id]);
    }
  });

  it('belongs to the ingest transaction: rolled back with it', async () => {
    const rows = await insertResponses([{ ref: 'c-1', survey: 'default', score: 2, dept: 'SALES' }]);
    await expect(
      transaction(t.ctx(INGEST, () => NOW), async (ctx) => {
        const created = await t.app.services.followUps.openForResponses(ctx, rows);
        expect(created).toHaveLength(1);
        throw new Error('ingest failed later');
      }),
    ).rejects.toThrow('ingest failed later');
    expect(await autoItemsOf([rows[0].id])).toEqual([]);
    expect(await q(`SELECT 1 FROM outbox_events WHERE type LIKE 'action_item.%' AND payload->'item'->>'responseId' = $1`, [rows[0].id])).toEqual([]);
  });

  it('opens exactly one item per detractor when the same rows are followed up concurrently', async () => {
    const specs: Spec[] = Array.from({ length: 40 }, (_, i) => ({ ref: `d-${i}`, survey: 'default', score: i % 11, dept: i % 2 ? 'SALES' : 'SUPPORT' }));
    const rows = await insertResponses(specs);
    const runs = await Promise.all(Array.from({ length: 6 }, () => openInTransaction(rows)));
    const expected = specs.filter(qualifies).length;
    expect(runs.reduce((n, r) => n + r.length, 0)).toBe(expected);
    const items = await autoItemsOf(rows.map((r) => r.id));
    expect(items).toHaveLength(expected);
    expect(new Set(items.map((i: any) => i.response_id)).size).toBe(expected);
    const [{ events }] = await q(`SELECT count(*)::int AS events FROM action_item_events WHERE action_item_id = ANY($1::uuid[])`, [items.map((i: any) => i.id)]);
    const [{ outbox }] = await q(`SELECT count(*)::int AS outbox FROM outbox_events WHERE aggregate_id = ANY($1::uuid[])`, [items.map((i: any) => i.id)]);
    expect({ events, outbox }).toEqual({ events: expected, outbox: expected });
  });
});

describe('automatic follow-up through submitResponses', () => {
  const SUBMIT = `mutation($responses: [ResponseInput!]!) { submitResponses(responses: $responses) { accepted duplicates rejected } }`;
  const ITEMS = `query($filter: ActionItemFilter) { actionItems(filter: $filter, first: 20) { totalCount edges { node { autoCreated status department { code } assignee { name } response { externalRef score } } } } }`;

  const LATER = new Date(NOW.getTime() + 24 * HOUR);

  it('opens one item per detractor of a batch, even when the batch is submitted several times at once', async () => {
    const batch = [0, 3, 6, 7, 9, 10, 2].map((score, i) => ({
      externalRef: `sub-${i}`,
      surveyCode: 'default',
      score,
      respondedAt: '2026-05-02T09:00:00Z',
      departmentCode: 'SALES',
    }));
    const results = await Promise.all([1, 2, 3].map(() => t.exec(SUBMIT, { responses: batch }, { viewer: INGEST, now: () => LATER })));
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    expect(results.reduce((n, r) => n + r.data!.submitResponses.accepted, 0)).toBe(batch.length);

    const listed = (await t.ok(ITEMS, { filter: { autoCreated: true, createdFrom: LATER.toISOString() } })).actionItems;
    expect(listed.totalCount).toBe(batch.filter((b) => b.score <= 6).length);
    const mine = listed.edges.map((e: any) => e.node);
    expect(mine.map((n: any) => n.response.externalRef).sort()).toEqual(batch.filter((b) => b.score <= 6).map((b) => b.externalRef).sort());
    for (const n of mine) expect(n).toMatchObject({ autoCreated: true, status: 'OPEN', department: { code: 'SALES' }, assignee: { name: 'Alice' } });
  });
});
