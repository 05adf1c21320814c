import { DEFAULT_SEED, seedDemo, SeedSummary } from '../seeds';
import { DEMO_ANCHOR, DEMO_ANCHOR_INSTANT as ANCHOR } from './support/demo-anchor';
import { seededUuid } from '../seeds/random';
import { createTestApp, TestApp } from './support/test-app';
import { openTestDatabase, TestDatabase } from './support/test-db';
import type { Queryable } from '../seeds/insert';

let t: TestApp;
let summary: SeedSummary;
const q = (sql: string, params?: unknown[]) => t.deps.ds.query(sql, params);

beforeAll(async () => {
  t = await createTestApp();
  summary = await seedDemo(t.deps.ds, { anchor: DEMO_ANCHOR });
  console.log(`seeded ${summary.rows} rows in ${summary.ms} ms (generate ${summary.generateMs} ms, insert ${summary.insertMs} ms, ${summary.rowsPerSecond} rows/s) on ${t.db.kind}`);
}, 300_000);
afterAll(() => t.close());

/** NPS from counts, per group key. */
const npsBy = async (groupSql: string, from = 'responses r', where = 'TRUE'): Promise<Map<string, { n: number; nps: number }>> => {
  const rows: { k: string; n: number; p: number; d: number }[] = await q(
    `SELECT ${groupSql} AS k, count(*)::int AS n, count(*) FILTER (WHERE r.score >= 9)::int AS p, count(*) FILTER (WHERE r.score <= 6)::int AS d
     FROM ${from} WHERE ${where} GROUP BY 1`,
  );
  return new Map(rows.map((r) => [r.k, { n: r.n, nps: (100 * (r.p - r.d)) / r.n }]));
};
const spread = (m: Map<string, { nps: number }>) => Math.max(...[...m.values()].map((v) => v.nps)) - Math.min(...[...m.values()].map((v) => v.nps));

describe('demo data: shape', () => {
  it('reports what it inserted, matching the tables', async () => {
    const [c] = await q(`SELECT (SELECT count(*) FROM departments)::int AS departments, (SELECT count(*) FROM people)::int AS people,
      (SELECT count(*) FROM responses)::int AS responses, (SELECT count(*) FROM action_items)::int AS items,
      (SELECT count(*) FROM action_item_events)::int AS events, (SELECT count(*) FROM kpi_targets)::int AS targets,
      (SELECT count(*) FROM segments)::int AS segments, (SELECT count(*) FROM customers)::int AS customers,
      (SELECT count(*) FROM benchmarks)::int AS benchmarks, (SELECT count(*) FROM nps_standards)::int AS standards,
      (SELECT count(*) FROM alert_rules)::int AS alert_rules`);
    expect(c).toEqual({
      departments: summary.departments,
      people: summary.people,
      responses: summary.responses,
      items: summary.actionItems,
      events: summary.actionItemEvents,
      targets: summary.kpiTargets,
      segments: summary.segments,
      customers: summary.customers,
      benchmarks: summary.benchmarks,
      standards: summary.standards,
      alert_rules: summary.alertRules,
    });
    expect(summary.customers).toBeGreaterThanOrEqual(3000);
  });

  it('has an organisation at least three levels deep with about a dozen departments, each with an owner and an SLA', async () => {
    const [depth] = await q(`WITH RECURSIVE t(id, level) AS (SELECT id, 1 FROM departments WHERE parent_id IS NULL
      UNION ALL SELECT d.id, t.level + 1 FROM departments d JOIN t ON d.parent_id = t.id) SELECT max(level)::int AS levels, count(*)::int AS n FROM t`);
    expect(depth.levels).toBeGreaterThanOrEqual(3);
    const [d] = await q(`SELECT count(*)::int AS n, count(owner_id)::int AS owned, count(*) FILTER (WHERE parent_id IS NULL)::int AS roots, min(sla_hours)::int AS sla FROM departments`);
    expect(d.n).toBeGreaterThanOrEqual(12);
    expect(depth.n).toBe(d.n); // every department hangs off the one root
    expect(d).toMatchObject({ owned: d.n, roots: 1 });
    expect(d.sla).toBeGreaterThan(0);
  });

  it('has a few dozen people from the CEO to frontline agents, every one reaching the CEO through managers', async () => {
    const people: { title: string; email: string; manager_id: string | null; department_id: string | null }[] = await q('SELECT title, email, manager_id, department_id FROM people');
    expect(people.length).toBeGreaterThanOrEqual(30);
    const titles = people.map((p) => p.title);
    expect(titles).toContain('Chief Executive Officer');
    expect(titles.filter((x) => x.startsWith('VP ')).length).toBeGreaterThanOrEqual(3);
    expect(titles.filter((x) => /Lead|Head|Manager,/.test(x)).length).toBeGreaterThanOrEqual(5);
    expect(titles.filter((x) => /Agent|Specialist|Coordinator|Account Manager$/.test(x)).length).toBeGreaterThanOrEqual(15);
    expect(people.every((p) => p.email && p.department_id)).toBe(true);
    expect(people.filter((p) => p.manager_id === null)).toHaveLength(1);
    const rows: { id: string; manager_id: string | null; title: string }[] = await q('SELECT id, manager_id, title FROM people');
    const byId = new Map(rows.map((p) => [p.id, p]));
    for (const p of rows) {
      let top = p;
      for (let hops = 0; top.manager_id && hops < 10; hops++) top = byId.get(top.manager_id)!;
      expect(top.title).toBe('Chief Executive Officer');
    }
  });

  it('has relationship and transactional surveys over five channels and several touchpoints', async () => {
    const surveys: { kind: string; cadence_days: number | null }[] = await q('SELECT kind, cadence_days FROM surveys');
    expect(surveys.filter((s) => s.kind === 'RELATIONSHIP').map((s) => s.cadence_days)).toEqual([90]);
    expect(surveys.filter((s) => s.kind === 'TRANSACTIONAL').length).toBeGreaterThanOrEqual(3);
    const channels = (await q('SELECT DISTINCT channel FROM responses ORDER BY 1')).map((r: any) => r.channel);
    expect(channels).toEqual(['email', 'in-app', 'phone', 'sms', 'web']);
    const touchpoints = (await q('SELECT DISTINCT touchpoint FROM responses WHERE touchpoint IS NOT NULL')).map((r: any) => r.touchpoint);
    expect(touchpoints).toEqual(expect.arrayContaining(['support_call', 'delivery', 'onboarding']));
  });

  it('has at least 20,000 responses over the 18 months before the anchor, in every month', async () => {
    const [r] = await q(`SELECT count(*)::int AS n, min(responded_at) AS first, max(responded_at) AS last,
      count(DISTINCT date_trunc('month', responded_at AT TIME ZONE 'UTC'))::int AS months FROM responses`);
    expect(r.n).toBeGreaterThanOrEqual(20_000);
    expect(new Date(r.last).getTime()).toBeLessThan(ANCHOR.getTime());
    expect(ANCHOR.getTime() - new Date(r.first).getTime()).toBeGreaterThanOrEqual(540 * 86_400_000);
    expect(r.months).toBe(18);
    const [c] = await q(`SELECT count(*) FILTER (WHERE comment IS NOT NULL)::float / count(*) AS commented,
      count(*) FILTER (WHERE jsonb_array_length(follow_up_answers) > 0)::int AS follow_ups,
      count(*) FILTER (WHERE r.customer_id IS NULL OR r.department_id IS NULL)::int AS unattached FROM responses r`);
    expect(c.commented).toBeGreaterThan(0.3);
    expect(c.commented).toBeLessThan(0.8);
    expect(c.follow_ups).toBeGreaterThan(1000);
    expect(c.unattached).toBe(0);
  });

  it('has verbatims that fit the score: promoters praise, detractors complain', async () => {
    const rows: { score: number; comment: string }[] = await q(
      `SELECT r.score, r.comment FROM responses r JOIN surveys s ON s.id = r.survey_id WHERE s.code = 'TX-SUPPORT-CALL' AND r.comment IS NOT NULL`,
    );
    const praise = /\bsolved|fixed on|\bfriendly|patient|kind|knew|knowledgeable|short wait|hardly any wait|quick|brilliant|thank|made my day/i;
    const complaint = /long wait|on hold|ridiculous|unfriendly|not resolved|not fixed|nobody could|transferred|repeat myself|rude|did not care/i;
    const promoters = rows.filter((r) => r.score >= 9);
    const detractors = rows.filter((r) => r.score <= 6);
    expect(promoters.length).toBeGreaterThan(500);
    expect(detractors.length).toBeGreaterThan(300);
    expect(promoters.filter((r) => praise.test(r.comment) && !complaint.test(r.comment))).toHaveLength(promoters.length);
    expect(detractors.filter((r) => complaint.test(r.comment) && !praise.test(r.comment))).toHaveLength(detractors.length);
  });
});

describe('demo data: real differences', () => {
  it('between departments: best and worst team differ by at least 15 NPS points', async () => {
    const byTeam = await npsBy('d.code', 'responses r JOIN departments d ON d.id = r.department_id');
    expect(byTeam.size).toBeGreaterThanOrEqual(6);
    expect(spread(byTeam)).toBeGreaterThanOrEqual(15);
    expect(byTeam.get('CX-ONB')!.nps).toBeGreaterThan(byTeam.get('OPS-BILL')!.nps + 30);
  });

  it('between regions and channels', async () => {
    expect(spread(await npsBy('c.region', 'responses r JOIN customers c ON c.id = r.customer_id'))).toBeGreaterThanOrEqual(10);
    expect(spread(await npsBy('r.channel'))).toBeGreaterThanOrEqual(10);
  });

  it('over time: Support APAC improves, Delivery declines', async () => {
    const half = (code: string) =>
      npsBy(
        `CASE WHEN r.responded_at < '2025-11-01' THEN 'first' WHEN r.responded_at >= '2026-05-01' THEN 'last' END`,
        'responses r JOIN departments d ON d.id = r.department_id',
        `d.code = '${code}' AND (r.responded_at < '2025-11-01' OR r.responded_at >= '2026-05-01')`,
      );
    const apac = await half('CX-SUP-APAC');
    expect(apac.get('last')!.nps - apac.get('first')!.nps).toBeGreaterThanOrEqual(15);
    const delivery = await half('OPS-DEL');
    expect(delivery.get('first')!.nps - delivery.get('last')!.nps).toBeGreaterThanOrEqual(15);
  });
});

describe('demo data: closed loop, segments, targets', () => {
  it('opens exactly one automatic item per detractor of a survey with auto follow-up, and none otherwise', async () => {
    const [c] = await q(`SELECT
      (SELECT count(*) FROM responses r JOIN surveys s ON s.id = r.survey_id WHERE s.auto_follow_up AND r.score <= s.follow_up_threshold)::int AS detractors,
      (SELECT count(*) FROM action_items WHERE auto_created)::int AS auto_items,
      (SELECT count(DISTINCT response_id) FROM action_items WHERE auto_created)::int AS distinct_responses,
      (SELECT count(*) FROM action_items a JOIN responses r ON r.id = a.response_id JOIN surveys s ON s.id = r.survey_id
        WHERE a.auto_created AND (NOT s.auto_follow_up OR r.score > s.follow_up_threshold))::int AS wrong,
      (SELECT count(*) FROM action_items a JOIN responses r ON r.id = a.response_id JOIN departments d ON d.id = r.department_id
        JOIN surveys s ON s.id = r.survey_id
        WHERE a.auto_created AND (a.department_id <> r.department_id
          OR a.due_at <> coalesce((SELECT e.to_value::timestamptz FROM action_item_events e WHERE e.action_item_id = a.id AND e.field = 'dueAt' ORDER BY e.at DESC LIMIT 1),
                                  a.created_at + make_interval(hours => d.sla_hours))
          OR a.owner_id IS DISTINCT FROM d.owner_id OR a.created_at < r.responded_at OR a.description IS NOT NULL
          OR (SELECT (e.to_value::jsonb->>'dueAt')::timestamptz FROM action_item_events e WHERE e.action_item_id = a.id AND e.field = 'created')
             <> a.created_at + make_interval(hours => d.sla_hours)
          OR a.title <> 'Follow up: score ' || r.score || '/10 on ' || s.name))::int AS inconsistent`);
    expect(c.auto_items).toBe(c.detractors);
    expect(c.distinct_responses).toBe(c.auto_items);
    expect(c).toMatchObject({ wrong: 0, inconsistent: 0 });
  });

  it('has action items in every status, some overdue at the anchor, some with a new due date agreed, with state that matches their history', async () => {
    const statuses = await q(`SELECT status, count(*)::int AS n FROM action_items GROUP BY 1`);
    const by = Object.fromEntries(statuses.map((s: any) => [s.status, s.n]));
    for (const s of ['OPEN', 'IN_PROGRESS', 'BLOCKED', 'DONE', 'WONT_DO']) expect(by[s]).toBeGreaterThan(10);
    expect(summary.actionItemsByStatus).toEqual(by);
    const [o] = await q(`SELECT count(*)::int AS n FROM action_items WHERE closed_at IS NULL AND due_at < $1`, [ANCHOR]);
    expect(o.n).toBeGreaterThan(10);
    const [moved] = await q(`SELECT count(DISTINCT action_item_id)::int AS n FROM action_item_events WHERE field = 'dueAt'`);
    expect(moved.n).toBeGreaterThan(100);
    const [bad] = await q(`SELECT
      count(*) FILTER (WHERE (closed_at IS NOT NULL) <> (status IN ('DONE', 'WONT_DO')))::int AS closed_mismatch,
      count(*) FILTER (WHERE (first_action_at IS NULL) <> NOT EXISTS (SELECT 1 FROM action_item_events e WHERE e.action_item_id = a.id AND e.field = 'status'))::int AS first_action_mismatch,
      count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM action_item_events e WHERE e.action_item_id = a.id AND e.field = 'created' AND e.at = a.created_at))::int AS no_created_event,
      count(*) FILTER (WHERE a.status <> coalesce((SELECT e.to_value FROM action_item_events e WHERE e.action_item_id = a.id AND e.field = 'status' ORDER BY e.at DESC LIMIT 1), 'OPEN'))::int AS status_mismatch,
      count(*) FILTER (WHERE a.version <> 1 + (SELECT count(DISTINCT e.at) FROM action_item_events e WHERE e.action_item_id = a.id AND e.field <> 'created'))::int AS version_mismatch,
      count(*) FILTER (WHERE a.updated_at <> (SELECT max(e.at) FROM action_item_events e WHERE e.action_item_id = a.id))::int AS updated_mismatch,
      count(*) FILTER (WHERE a.closed_at > $1 OR a.updated_at > $1)::int AS after_anchor
      FROM action_items a`, [ANCHOR]);
    expect(bad).toEqual({ closed_mismatch: 0, first_action_mismatch: 0, no_created_event: 0, status_mismatch: 0, version_mismatch: 0, updated_mismatch: 0, after_anchor: 0 });
  });

  it('has segments and KPI targets from the CEO down to agents for the quarter of the anchor and the one before, and leadership targets for the next', async () => {
    const names = (await q('SELECT name FROM segments')).map((s: any) => s.name);
    expect(names).toEqual(expect.arrayContaining(['Enterprise EMEA', 'New customers (< 90 days)', 'Support detractors via phone']));
    const owners: { title: string; metric: string; period_start: Date }[] = await q(
      'SELECT p.title, k.metric, k.period_start FROM kpi_targets k JOIN people p ON p.id = k.owner_id',
    );
    const titles = new Set(owners.map((o) => o.title));
    for (const title of ['Chief Executive Officer', 'VP Customer Experience', 'Team Lead, Support EMEA', 'Support Agent']) expect(titles).toContain(title);
    expect(new Set(owners.map((o) => new Date(o.period_start).toISOString()))).toEqual(new Set(['2026-07-01T00:00:00.000Z', '2026-10-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']));
    const next = owners.filter((o) => new Date(o.period_start).toISOString() === '2027-01-01T00:00:00.000Z');
    expect(new Set(next.map((o) => o.title))).toEqual(new Set(['Chief Executive Officer', 'VP Customer Experience', 'VP Operations', 'VP Product', 'VP Sales & Accounts']));
    expect(new Set(owners.map((o) => o.metric))).toEqual(new Set(['NPS', 'PROMOTER_SHARE', 'DETRACTOR_SHARE', 'RESPONSE_COUNT', 'FOLLOW_UP_RATE', 'CLOSED_WITHIN_SLA_RATE']));
  });

  it('answers through the API: summary, segment scores and KPI targets with a mix of statuses', async () => {
    const data = await t.ok(
      `query($at: DateTimeISO!) {
        npsSummary { responses nps }
        segments { name score { responses } }
        kpiTargets(activeAt: $at) { metric actual status owner { title } }
      }`,
      { at: '2026-08-15T00:00:00Z' },
    );
    expect(data.npsSummary.responses).toBe(summary.responses);
    for (const s of data.segments) expect(s.score.responses).toBeGreaterThan(0);
    const targets = data.kpiTargets as { metric: string; actual: number | null; status: string }[];
    const [{ n: inQ3 }] = await q(`SELECT count(*)::int AS n FROM kpi_targets WHERE period_start = '2026-07-01T00:00:00Z'`);
    expect(targets.length).toBe(inQ3);
    expect(inQ3).toBeGreaterThan(40);
    expect(targets.every((k) => k.actual !== null)).toBe(true);
    const statuses = new Set(targets.map((k) => k.status));
    expect(statuses.has('ON_TRACK')).toBe(true);
    expect(statuses.has('OFF_TRACK') || statuses.has('AT_RISK')).toBe(true);
  });

  it('shows gaps to illustrative industry benchmarks and internal standards, both ways', async () => {
    const benchmarks = await q('SELECT source FROM benchmarks');
    expect(benchmarks.length).toBeGreaterThanOrEqual(3);
    for (const b of benchmarks) expect(b.source).toMatch(/^Illustrative/);
    const f = { from: '2026-08-01T00:00:00Z', to: '2026-11-01T00:00:00Z' };
    const [co] = await q(`SELECT id FROM departments WHERE code = 'CO'`);
    const [sup] = await q(`SELECT id FROM departments WHERE code = 'CX-SUP'`);
    const CMP = 'benchmarks { kind name inherited gap outcome }';
    const data = await t.ok(
      `query($f: ResponseFilter, $tx: ResponseFilter, $rel: ResponseFilter, $co: ID, $sup: ID) {
        divisions: departmentScores(parentId: $co, filter: $f) { department { code } score { ${CMP} } }
        support: departmentScores(parentId: $sup, filter: $tx) { department { code } score { ${CMP} } }
        relationship: npsSummary(filter: $rel) { ${CMP} }
      }`,
      { f, tx: { ...f, surveyKind: 'TRANSACTIONAL' }, rel: { ...f, surveyKind: 'RELATIONSHIP' }, co: co.id, sup: sup.id },
    );
    // every division inherits the company standard (no kind pinned: standards for any kind only)
    for (const d of data.divisions) expect(d.score.benchmarks).toEqual([expect.objectContaining({ kind: 'DEPARTMENT_STANDARD', name: 'Company NPS standard', inherited: true })]);
    const outcomes = (rows: any[]) => new Set(rows.flatMap((d) => d.score.benchmarks.map((b: any) => b.outcome)));
    expect([...outcomes(data.divisions)]).toEqual(expect.arrayContaining(['SIGNIFICANTLY_ABOVE', 'SIGNIFICANTLY_BELOW']));
    // the regional support teams inherit the after-call standard, and see the industry's transactional figure
    for (const d of data.support) {
      expect(d.score.benchmarks.map((b: any) => [b.kind, b.name, b.inherited])).toEqual([
        ['DEPARTMENT_STANDARD', 'Support standard (after a call)', true],
        ['INDUSTRY', 'B2B services, transactional NPS (all touchpoints)', false],
      ]);
    }
    expect(data.relationship.benchmarks.map((b: any) => [b.kind, b.name])).toEqual([
      ['INDUSTRY', 'B2B services, relationship NPS'],
      ['INDUSTRY', 'B2B services, relationship NPS'],
    ]);
  });
});

describe('demo data: determinism and re-runs', () => {
  let other: TestDatabase;
  afterAll(() => other?.close());

  const TABLES = ['departments', 'people', 'surveys', 'customers', 'responses', 'segments', 'kpi_targets', 'action_items', 'action_item_events', 'benchmarks', 'nps_standards', 'alert_rules'];
  /** One md5 per table over every column of every row, in id order: computed in the database. */
  const dump = async (db: Queryable) => {
    const out: Record<string, string> = {};
    for (const table of TABLES) {
      const [row] = await db.query(`SELECT md5(string_agg(x::text, '|' ORDER BY x.id)) AS h FROM ${table} x`);
      out[table] = row.h;
    }
    return out;
  };

  const SMALL = { responses: 3000, anchor: DEMO_ANCHOR };
  const wipe = (db: Queryable) => db.query(`TRUNCATE ${TABLES.join(', ')} CASCADE`);

  it('gives identical rows, ids included, for the same seed (two loads of a smaller set)', async () => {
    other = await openTestDatabase();
    const first = await seedDemo(other.dataSource, SMALL);
    const firstDump = await dump(other.dataSource);
    await wipe(other.dataSource);
    const second = await seedDemo(other.dataSource, SMALL);
    const timeless = (s: SeedSummary) => ({ ...s, generateMs: 0, insertMs: 0, ms: 0, rowsPerSecond: 0 });
    expect(timeless(second)).toEqual(timeless(first));
    expect(await dump(other.dataSource)).toEqual(firstDump);
    const [co] = await other.dataSource.query(`SELECT id FROM departments WHERE code = 'CO'`);
    expect(co.id).toBe(seededUuid(DEFAULT_SEED, 'department', 'CO'));
    // Another seed gives other data.
    await wipe(other.dataSource);
    await seedDemo(other.dataSource, { ...SMALL, seed: 42 });
    const otherSeed = await dump(other.dataSource);
    expect(otherSeed.responses).not.toBe(firstDump.responses);
    expect(otherSeed.action_items).not.toBe(firstDump.action_items);
    // Another anchor too: the data end on another day.
    await wipe(other.dataSource);
    const moved = await seedDemo(other.dataSource, { ...SMALL, anchor: '2026-05-17' });
    expect([moved.from, moved.to, moved.anchor]).toEqual(['2024-11-17T00:00:00.000Z', '2026-05-17T00:00:00.000Z', '2026-05-17T00:00:00.000Z']);
    expect((await dump(other.dataSource)).responses).not.toBe(firstDump.responses);
    await wipe(other.dataSource);
    await seedDemo(other.dataSource, SMALL);
  }, 300_000);

  it('adds nothing when loaded again: rows with the same keys are kept, not duplicated', async () => {
    const before = await dump(other.dataSource);
    const third = await seedDemo(other.dataSource, SMALL);
    expect(third).toMatchObject({ departments: 0, people: 0, surveys: 0, customers: 0, segments: 0, responses: 0, actionItems: 0, actionItemEvents: 0, kpiTargets: 0, benchmarks: 0, standards: 0, alertRules: 0, rows: 0 });
    expect(await dump(other.dataSource)).toEqual(before);
  }, 300_000);
});
