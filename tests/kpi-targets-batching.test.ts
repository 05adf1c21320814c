import { createTestApp, TestApp } from './support/test-app';
import { Role, Viewer } from '../src/modules/auth/viewer';
import { insertKpiTree } from './support/org-fixture';

/**
 * FOLLOW_UP_RATE and CLOSED_WITHIN_SLA_RATE targets are measured together: one closed-loop
 * statement for all of them, whatever their number, for an admin and for a manager (whose
 * subtree is read once per request, not once per target). The expected rates are counted here
 * from the fixture table, independently of the service.
 *
 *   CO ─┬─ SUP ── SUP-EU
 *       └─ SALES            Segment "EU": customers in region EU.
 */
let t: TestApp;
const ids: Record<string, string> = {};
const sql = (query: string, params: unknown[] = []) => t.deps.ds.query(query, params);

const NOW = new Date('2031-06-15T00:00:00.000Z');
const PERIODS = {
  Q1: { start: '2031-01-01T00:00:00.000Z', end: '2031-04-01T00:00:00.000Z' },
  H1: { start: '2031-01-01T00:00:00.000Z', end: '2031-07-01T00:00:00.000Z' },
};
const SUBTREE: Record<string, string[]> = { CO: ['CO', 'SUP', 'SUP-EU', 'SALES'], SUP: ['SUP', 'SUP-EU'], 'SUP-EU': ['SUP-EU'], SALES: ['SALES'] };

interface Item {
  first: string | null;
  closed: string | null;
  due: string | null;
}
interface Row {
  dept: string;
  region: 'EU' | 'US';
  at: string;
  score: number;
  item?: Item;
  /** A second action item on the same response (followed up counts the response once). */
  extra?: Item;
}

const d = (day: string) => `2031-${day}T10:00:00.000Z`;
const FIXTURE: Row[] = [
  { dept: 'SUP-EU', region: 'EU', at: d('01-10'), score: 2, item: { first: d('01-11'), closed: d('01-12'), due: d('01-13') } },
  { dept: 'SUP-EU', region: 'EU', at: d('02-10'), score: 5, item: { first: d('02-12'), closed: d('02-20'), due: d('02-13') }, extra: { first: d('02-11'), closed: d('02-12'), due: d('02-14') } },
  { dept: 'SUP-EU', region: 'US', at: d('03-10'), score: 0 },
  { dept: 'SUP-EU', region: 'EU', at: d('05-10'), score: 6, item: { first: null, closed: null, due: d('05-20') }, extra: { first: d('05-12'), closed: null, due: null } },
  { dept: 'SUP-EU', region: 'EU', at: d('05-11'), score: 10 },
  { dept: 'SUP', region: 'US', at: d('01-20'), score: 4, item: { first: d('01-21'), closed: d('01-22'), due: null } },
  { dept: 'SUP', region: 'EU', at: d('04-20'), score: 1, item: { first: d('04-21'), closed: d('04-22'), due: d('04-30') } },
  { dept: 'SUP', region: 'US', at: d('04-21'), score: 9 },
  { dept: 'SALES', region: 'EU', at: d('02-01'), score: 3, item: { first: d('02-02'), closed: d('02-03'), due: null } },
  { dept: 'SALES', region: 'US', at: d('06-01'), score: 8 },
  { dept: 'CO', region: 'US', at: d('03-03'), score: 6, item: { first: d('03-04'), closed: null, due: d('03-05') } },
  { dept: 'CO', region: 'EU', at: '2030-12-31T23:59:59.999Z', score: 0, item: { first: d('01-01'), closed: d('01-02'), due: d('01-03') } },
];

interface Spec {
  dept: string;
  metric: 'FOLLOW_UP_RATE' | 'CLOSED_WITHIN_SLA_RATE';
  segment: boolean;
  period: keyof typeof PERIODS;
}
const SPECS: Spec[] = [];
for (const dept of Object.keys(SUBTREE))
  for (const metric of ['FOLLOW_UP_RATE', 'CLOSED_WITHIN_SLA_RATE'] as const)
    for (const segment of [false, true]) for (const period of ['Q1', 'H1'] as const) SPECS.push({ dept, metric, segment, period });

/** The rate a target should report, counted from FIXTURE. */
function expectedRate(s: Spec): number | null {
  const p = PERIODS[s.period];
  const rows = FIXTURE.filter((r) => SUBTREE[s.dept].includes(r.dept) && (!s.segment || r.region === 'EU') && r.at >= p.start && r.at < p.end);
  if (s.metric === 'FOLLOW_UP_RATE') {
    const detractors = rows.filter((r) => r.score <= 6);
    const followed = detractors.filter((r) => r.item?.first || r.extra?.first);
    return detractors.length ? (100 * followed.length) / detractors.length : null;
  }
  const items = rows.flatMap((r) => [r.item, r.extra].filter((i): i is Item => !!i));
  const closedWithDue = items.filter((i) => i.closed && i.due);
  const inTime = closedWithDue.filter((i) => new Date(i.closed!) <= new Date(i.due!));
  return closedWithDue.length ? (100 * inTime.length) / closedWithDue.length : null;
}

const LIST = `query($metric: KpiMetric) { kpiTargets(activeAt: "2031-03-01T00:00:00Z", metric: $metric) {
  id metric actual gap status owner { name } department { code } segment { name } score { responses detractors } } }`;

async function run(viewer: Viewer | undefined, metric?: string): Promise<{ count: number; list: any[] }> {
  const spy = jest.spyOn(t.deps.ds.logger, 'logQuery');
  try {
    const data = await t.ok(LIST, metric ? { metric } : {}, { viewer, now: () => NOW });
    return { count: spy.mock.calls.length, list: data.kpiTargets };
  } finally {
    spy.mockRestore();
  }
}

const specOf = new Map<string, Spec>();

beforeAll(async () => {
  t = await createTestApp();
  await insertKpiTree(sql, ids);
  const [owner] = await sql(`INSERT INTO people (name, email, department_id) VALUES ('Olga Owner', 'olga@example.com', $1) RETURNING id`, [ids.CO]);
  const [survey] = await sql(`INSERT INTO surveys (code, name, kind) VALUES ('REL', 'Relationship', 'RELATIONSHIP') RETURNING id`);
  const customers: Record<string, string> = {};
  for (const region of ['EU', 'US']) {
    const [c] = await sql('INSERT INTO customers (external_ref, region) VALUES ($1, $2) RETURNING id', [`c-${region}`, region]);
    customers[region] = c.id;
  }
  const [segment] = await sql(`INSERT INTO segments (name, filter) VALUES ('EU', '{"regions": ["EU"]}') RETURNING id`);
  ids.segEU = segment.id;
  for (const [i, r] of FIXTURE.entries()) {
    const [resp] = await sql(
      'INSERT INTO responses (external_ref, score, survey_id, customer_id, department_id, responded_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
      [`r${i}`, r.score, survey.id, customers[r.region], ids[r.dept], r.at],
    );
    for (const item of [r.item, r.extra]) {
      if (!item) continue;
      await sql('INSERT INTO action_items (title, response_id, department_id, first_action_at, closed_at, due_at, status) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        `follow up r${i}`,
        resp.id,
        ids[r.dept],
        item.first,
        item.closed,
        item.due,
        item.closed ? 'DONE' : 'OPEN',
      ]);
    }
  }
  for (const s of SPECS) {
    const p = PERIODS[s.period];
    const [row] = await sql(
      'INSERT INTO kpi_targets (owner_id, metric, target, period_start, period_end, department_id, segment_id) VALUES ($1, $2, 50, $3, $4, $5, $6) RETURNING id',
      [owner.id, s.metric, p.start, p.end, ids[s.dept], s.segment ? segment.id : null],
    );
    specOf.set(row.id, s);
  }
});

afterAll(() => t?.close());

describe('closed-loop rate targets', () => {
  it('the fixture gives rates that differ between targets (so a mixed-up batch would show)', () => {
    const rates = new Set(SPECS.map((s) => expectedRate(s)));
    expect(rates.size).toBeGreaterThanOrEqual(6);
    expect(rates.has(null)).toBe(true);
  });

  it('each target reports the rate of its own scope, and a larger list takes no more statements', async () => {
    const all = await run(undefined);
    expect(all.list).toHaveLength(SPECS.length);
    for (const k of all.list) {
      const s = specOf.get(k.id)!;
      const rate = expectedRate(s);
      expect({ id: k.id, ...s, actual: k.actual }).toEqual({ id: k.id, ...s, actual: rate === null ? null : expect.closeTo(rate, 9) });
      expect(k.status).toBe(rate === null ? 'NO_DATA' : rate >= 50 ? 'ON_TRACK' : 'OFF_TRACK');
    }
    // list, people, departments, segments, one UNION ALL of counts, two closed-loop statements (the counters for
    // the department scopes, the raw rows for the segment-scoped ones, whose region the counters do not hold).
    expect(all.count).toBeLessThanOrEqual(7);
    const half = await run(undefined, 'FOLLOW_UP_RATE');
    expect(half.list).toHaveLength(SPECS.length / 2);
    expect(half.count).toBe(all.count);
  });

  it('each rate equals the closedLoop query over the same scope', async () => {
    const Q = `query($f: ResponseFilter) { closedLoop(filter: $f) { followUpRate closedWithinSlaRate } }`;
    const { list } = await run(undefined);
    for (const k of list) {
      const s = specOf.get(k.id)!;
      const p = PERIODS[s.period];
      const f = { from: p.start, to: p.end, departmentIds: [ids[s.dept]], segmentId: s.segment ? ids.segEU : undefined };
      const m = (await t.ok(Q, { f }, { now: () => NOW })).closedLoop;
      expect(k.actual).toBe(s.metric === 'FOLLOW_UP_RATE' ? m.followUpRate : m.closedWithinSlaRate);
    }
  });

  it('a manager gets the same figures for their subtree, with the subtree read once however many targets', async () => {
    const mgr: Viewer = { keyId: null, name: 'mgr', role: Role.MANAGER, departmentId: ids.SUP };
    const admin = new Map((await run(undefined)).list.map((k) => [k.id, k.actual]));
    const all = await run(mgr);
    const expected = SPECS.filter((s) => SUBTREE.SUP.includes(s.dept)).length;
    expect(all.list).toHaveLength(expected);
    expect(all.list.every((k) => ['SUP', 'SUP-EU'].includes(k.department.code))).toBe(true);
    for (const k of all.list) expect(k.actual).toBe(admin.get(k.id));
    // As for an admin, plus one read of the manager's subtree.
    expect(all.count).toBeLessThanOrEqual(8);
    const half = await run(mgr, 'CLOSED_WITHIN_SLA_RATE');
    expect(half.list).toHaveLength(expected / 2);
    expect(half.count).toBe(all.count);
  });
});

