import { createDataSource } from '../ormconfig';
import type { AppDeps } from '../src/context';
import { systemContext } from '../src/system-context';
import { evaluateAlertRules } from '../src/modules/alerts/alert-evaluator';
import { startAlertWorker } from '../src/modules/alerts/alert-worker';
import { codes, createTestApp, TestApp, viewers } from './support/test-app';
import { insertKpiTree, insertScores, Sql } from './support/org-fixture';

/**
 * Significant-shift alerts end to end: a shift injected on a known day (Monday 16 Nov 2026, the
 * week 16-23 Nov, UTC) fires exactly one alert per rule and window, never again for that window,
 * also with two evaluator runs racing (on PostgreSQL from two connection pools, as two workers
 * would); stable scopes fire none; the alerts can be listed, acknowledged, snoozed and resolved,
 * with an audit trail; a MANAGER sees and acts on its subtree's only.
 */
let t: TestApp;
let sql: Sql;
const ids: Record<string, string> = {};
const rule: Record<string, string> = {};
const AT = new Date('2026-11-24T12:00:00Z'); // the week 16-23 Nov is complete
const WINDOW = '2026-11-16T00:00:00.000Z';

const CREATE_RULE = `mutation($i: CreateAlertRuleInput!) { createAlertRule(input: $i) { id name metric window timeZone compareTo minSample active } }`;
const LIST = `query($f: AlertFilter) { alerts(filter: $f) { id metric direction status windowStart windowEnd comparisonStart comparisonEnd previousValue currentValue delta previousSample currentSample pValue adjustedPValue familySize falseDiscoveryRate rule { id name } department { code } history { action actor note snoozedUntil } } }`;

const evaluate = (at = AT, deps: AppDeps = t.deps) => evaluateAlertRules(systemContext(deps, { now: () => at }));

/** Detractors of a department and week with an action item that has left OPEN (followed up). */
async function followUp(code: string, from: string, to: string, share: number): Promise<void> {
  await sql(
    `INSERT INTO action_items (title, department_id, response_id, status, first_action_at)
     SELECT 'Call back', r.department_id, r.id, 'IN_PROGRESS', r.responded_at + interval '1 hour'
     FROM (SELECT r.*, row_number() OVER (ORDER BY r.id) AS n, count(*) OVER () AS m FROM responses r
           WHERE r.department_id = $1 AND r.score <= 6 AND r.responded_at >= $2 AND r.responded_at < $3) r
     WHERE r.n <= round(r.m * $4::float8)`,
    [ids[code], from, to, share],
  );
}

beforeAll(async () => {
  t = await createTestApp();
  sql = (q, p) => t.db.dataSource.query(q, p);
  await insertKpiTree(sql, ids);
  ids.REL = (await sql(`INSERT INTO surveys (code, name, kind) VALUES ('REL', 'Relationship', 'RELATIONSHIP') RETURNING id`))[0].id;
  // Week of 9 Nov: SUP-EU at NPS 50 (60/30/10), SALES at 30 (50/30/20).
  await insertScores(sql, ids, 'SUP-EU', 'REL', [60, 30, 10], '2026-11-10T09:00:00Z');
  await insertScores(sql, ids, 'SALES', 'REL', [50, 30, 20], '2026-11-10T09:00:00Z');
  // The shift, from Monday 16 Nov: SUP-EU falls to NPS -30 (20/30/50); SALES unchanged.
  await insertScores(sql, ids, 'SUP-EU', 'REL', [20, 30, 50], '2026-11-16T09:00:00Z');
  await insertScores(sql, ids, 'SALES', 'REL', [50, 30, 20], '2026-11-17T09:00:00Z');
  // SALES follows up 90% of its detractors both weeks (stable); SUP-EU 90% then 20% of them.
  await followUp('SALES', '2026-11-09', '2026-11-16', 0.9);
  await followUp('SALES', '2026-11-16', '2026-11-23', 0.9);
  await followUp('SUP-EU', '2026-11-09', '2026-11-16', 0.9);
  await followUp('SUP-EU', '2026-11-16', '2026-11-23', 0.2);
  const create = async (key: string, input: Record<string, unknown>) => {
    rule[key] = (await t.ok(CREATE_RULE, { i: { window: 'WEEK', minSample: 30, ...input } })).createAlertRule.id;
  };
  await create('supNps', { name: 'Support NPS weekly', metric: 'NPS', departmentId: ids.SUP });
  await create('salesNps', { name: 'Sales NPS weekly', metric: 'NPS', departmentId: ids.SALES });
  await create('companyDetractors', { name: 'Company detractor share', metric: 'DETRACTOR_SHARE' });
  await create('salesFollowUp', { name: 'Sales follow-up rate', metric: 'FOLLOW_UP_RATE', departmentId: ids.SALES, minSample: 10 });
  await create('supFollowUp', { name: 'Support follow-up rate', metric: 'FOLLOW_UP_RATE', departmentId: ids.SUP, minSample: 10 });
  await create('tooSmall', { name: 'Sales NPS, 500 minimum', metric: 'NPS', departmentId: ids.SALES, minSample: 500 });
});
afterAll(() => t?.close());

describe('evaluation of a window with a shift injected on a known day', () => {
  it('fires exactly one alert per shifted rule, with its figures, and none for the stable ones', async () => {
    const stats = await evaluate();
    expect(stats).toMatchObject({ families: 1, alreadyEvaluated: 0, rules: 6, tests: 5, alerts: 3 });
    const list = (await t.ok(LIST)).alerts;
    const byRule = Object.fromEntries(list.map((a: any) => [a.rule.name, a]));
    expect(Object.keys(byRule).sort()).toEqual(['Company detractor share', 'Support NPS weekly', 'Support follow-up rate']);
    expect(byRule['Support NPS weekly']).toMatchObject({
      metric: 'NPS', direction: 'DOWN', status: 'OPEN', windowStart: WINDOW, windowEnd: '2026-11-23T00:00:00.000Z',
      comparisonStart: '2026-11-09T00:00:00.000Z', comparisonEnd: WINDOW,
      previousValue: 50, currentValue: -30, delta: -80, previousSample: 100, currentSample: 100, familySize: 5, falseDiscoveryRate: 0.05,
      department: { code: 'SUP' }, history: [{ action: 'DETECTED', actor: 'system', note: null, snoozedUntil: null }],
    });
    // Company: detractors 30 of 200 (15%) -> 70 of 200 (35%).
    expect(byRule['Company detractor share']).toMatchObject({ metric: 'DETRACTOR_SHARE', direction: 'UP', previousValue: 15, currentValue: 35, previousSample: 200, currentSample: 200, department: null });
    // SUP-EU detractors followed up: 9 of 10 -> 10 of 50.
    expect(byRule['Support follow-up rate']).toMatchObject({ metric: 'FOLLOW_UP_RATE', direction: 'DOWN', previousValue: 90, currentValue: 20, previousSample: 10, currentSample: 50 });
    for (const a of list) {
      expect(a.pValue).toBeLessThan(0.05);
      expect(a.adjustedPValue).toBeGreaterThanOrEqual(a.pValue);
      expect(a.adjustedPValue).toBeLessThanOrEqual(0.05);
    }
    const [family] = await sql(`SELECT window_unit, time_zone, window_start, rules, tests, discoveries FROM alert_evaluations`);
    expect(family).toMatchObject({ window_unit: 'WEEK', time_zone: 'UTC', rules: 6, tests: 5, discoveries: 3 });
    expect(family.window_start.toISOString()).toBe(WINDOW);
    // One nps.shift_detected outbox event per alert, carrying its figures.
    const events = await sql(`SELECT aggregate_id, payload FROM outbox_events WHERE type = 'nps.shift_detected' ORDER BY seq`);
    expect(events.map((e: any) => e.aggregate_id).sort()).toEqual(list.map((a: any) => a.id).sort());
    expect(events.find((e: any) => e.aggregate_id === byRule['Support NPS weekly'].id).payload).toMatchObject({
      ruleName: 'Support NPS weekly', metric: 'NPS', direction: 'DOWN', scope: 'SUP (SUP) and below', previousValue: 50, currentValue: -30, windowStart: WINDOW,
    });
  });

  it('never tests the window again: later runs in the same week, and a restart, raise nothing', async () => {
    for (const at of [AT, new Date('2026-11-29T23:59:59Z')]) {
      expect(await evaluate(at)).toMatchObject({ families: 0, alreadyEvaluated: 1, alerts: 0 });
    }
    expect(await sql(`SELECT count(*)::int AS n FROM alerts`)).toEqual([{ n: 3 }]);
    expect(await sql(`SELECT count(*)::int AS n FROM outbox_events WHERE type = 'nps.shift_detected'`)).toEqual([{ n: 3 }]);
  });

  it('the next window is a new family: nothing in it, so nothing is tested (below the minimum sample)', async () => {
    expect(await evaluate(new Date('2026-12-01T08:00:00Z'))).toMatchObject({ families: 1, rules: 6, tests: 0, alerts: 0 });
  });

  it('the unique constraint refuses a second alert for the same rule and window', async () => {
    const copy = `INSERT INTO alerts (rule_id, department_id, metric, window_unit, time_zone, compare_to, window_start, window_end, comparison_start, comparison_end,
        direction, previous_value, current_value, delta, previous_sample, current_sample, z_score, p_value, adjusted_pvalue, family_size, false_discovery_rate, detected_at)
      SELECT rule_id, department_id, metric, window_unit, time_zone, compare_to, window_start, window_end, comparison_start, comparison_end,
        direction, previous_value, current_value, delta, previous_sample, current_sample, z_score, p_value, adjusted_pvalue, family_size, false_discovery_rate, now()
      FROM alerts WHERE rule_id = $1`;
    await expect(sql(copy, [rule.supNps])).rejects.toMatchObject({ code: '23505' });
  });
});

describe('two evaluators racing on one database', () => {
  it('raise each alert once and claim the window once, round after round', async () => {
    // A second pool (on PostgreSQL a second DataSource, as a second worker process has); PGlite has one connection.
    const ds2 = t.db.url ? createDataSource({ url: t.db.url, poolMax: 3 }) : null;
    if (ds2) await ds2.initialize();
    const deps2: AppDeps = ds2 ? { ...t.deps, ds: ds2, reports: ds2 } : t.deps;
    try {
      for (let round = 0; round < 4; round++) {
        await sql(`DELETE FROM alerts`);
        await sql(`DELETE FROM alert_evaluations`);
        await sql(`DELETE FROM outbox_events WHERE type = 'nps.shift_detected'`);
        const [a, b] = await Promise.all([evaluate(AT, t.deps), evaluate(AT, deps2)]);
        // One run evaluated the window; the other found it claimed.
        expect([a.families + b.families, a.alreadyEvaluated + b.alreadyEvaluated, a.alerts + b.alerts]).toEqual([1, 1, 3]);
        const rows = await sql(`SELECT rule_id, window_start, count(*)::int AS n FROM alerts GROUP BY 1, 2`);
        expect(rows.map((r: any) => r.n)).toEqual([1, 1, 1]);
        expect(await sql(`SELECT count(*)::int AS n FROM alert_evaluations`)).toEqual([{ n: 1 }]);
        expect(await sql(`SELECT count(*)::int AS n FROM outbox_events WHERE type = 'nps.shift_detected'`)).toEqual([{ n: 3 }]);
      }
    } finally {
      await ds2?.destroy();
    }
  });
});

describe('acting on alerts', () => {
  const ACK = `mutation($id: ID!, $n: String) { acknowledgeAlert(id: $id, note: $n) { id status } }`;
  const SNOOZE = `mutation($id: ID!, $u: DateTimeISO!, $n: String) { snoozeAlert(id: $id, until: $u, note: $n) { id status snoozedUntil } }`;
  const RESOLVE = `mutation($id: ID!, $n: String) { resolveAlert(id: $id, note: $n) { id status } }`;
  const alertOf = async (name: string) => (await t.ok(LIST)).alerts.find((a: any) => a.rule.name === name);

  it('acknowledge, snooze (OPEN again once it runs out), resolve; each step in the audit trail; resolved is final', async () => {
    const a = await alertOf('Support NPS weekly');
    const now = () => new Date('2026-11-25T10:00:00Z');
    expect((await t.ok(ACK, { id: a.id, n: 'Looking into it' }, { now })).acknowledgeAlert.status).toBe('ACKNOWLEDGED');
    const until = '2026-11-26T10:00:00.000Z';
    expect((await t.ok(SNOOZE, { id: a.id, u: until }, { now: () => new Date('2026-11-25T10:05:00Z') })).snoozeAlert).toMatchObject({ status: 'SNOOZED', snoozedUntil: until });
    const at = (iso: string) => ({ now: () => new Date(iso) });
    expect((await t.ok(LIST, { f: { statuses: ['SNOOZED'] } }, at('2026-11-25T12:00:00Z'))).alerts.map((x: any) => x.id)).toEqual([a.id]);
    const later = (await t.ok(LIST, { f: { statuses: ['OPEN'] } }, at('2026-11-27T00:00:00Z'))).alerts;
    expect(later.find((x: any) => x.id === a.id)).toMatchObject({ status: 'OPEN' });
    // A snooze into the past is refused and changes nothing.
    const past = await t.exec(SNOOZE, { id: a.id, u: '2026-11-20T00:00:00Z' }, { now });
    expect(codes(past)).toEqual(['BAD_USER_INPUT']);
    expect((await t.ok(RESOLVE, { id: a.id, n: 'Staffing fixed' }, at('2026-11-27T09:00:00Z'))).resolveAlert.status).toBe('RESOLVED');
    const again = await t.exec(ACK, { id: a.id }, { now });
    expect(codes(again)).toEqual(['CONFLICT']);
    const history = (await alertOf('Support NPS weekly')).history;
    expect(history.map((h: any) => [h.action, h.actor, h.note, h.snoozedUntil])).toEqual([
      ['DETECTED', 'system', null, null],
      ['ACKNOWLEDGED', 'system', 'Looking into it', null],
      ['SNOOZED', 'system', null, until],
      ['RESOLVED', 'system', 'Staffing fixed', null],
    ]);
    expect(codes(await t.exec(ACK, { id: '00000000-0000-4000-8000-000000000000' }))).toEqual(['NOT_FOUND']);
  });

  it('filters: status, metric, rule, department subtree, window', async () => {
    const ids_ = async (f: Record<string, unknown>) => (await t.ok(LIST, { f })).alerts.map((a: any) => a.rule.name).sort();
    expect(await ids_({ metrics: ['DETRACTOR_SHARE'] })).toEqual(['Company detractor share']);
    expect(await ids_({ departmentId: ids.SUP })).toEqual(['Support NPS weekly', 'Support follow-up rate']);
    expect(await ids_({ ruleId: rule.supFollowUp })).toEqual(['Support follow-up rate']);
    expect(await ids_({ statuses: ['RESOLVED'] })).toEqual(['Support NPS weekly']);
    expect(await ids_({ windowFrom: '2026-11-23T00:00:00Z' })).toEqual([]);
    expect(codes(await t.exec(LIST, { f: { windowFrom: '2026-11-23T00:00:00Z', windowTo: '2026-11-01T00:00:00Z' } }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('MANAGER scope and INTEGRATION limits', () => {
  const mgr = () => viewers.manager(ids.SUP);

  it('a MANAGER of SUP lists and reads its subtree\'s alerts and rules only', async () => {
    const mine = (await t.ok(LIST, {}, { viewer: mgr() })).alerts.map((a: any) => a.rule.name).sort();
    expect(mine).toEqual(['Support NPS weekly', 'Support follow-up rate']);
    const rules = (await t.ok(`{ alertRules { name } }`, {}, { viewer: mgr() })).alertRules.map((r: any) => r.name);
    expect(rules).toEqual(['Support NPS weekly', 'Support follow-up rate']);
    const company = (await t.ok(LIST)).alerts.find((a: any) => a.rule.name === 'Company detractor share');
    expect(codes(await t.exec(`query($id: ID!) { alert(id: $id) { id } }`, { id: company.id }, { viewer: mgr() }))).toEqual(['FORBIDDEN']);
    expect(codes(await t.exec(LIST, { f: { departmentId: ids.SALES } }, { viewer: mgr() }))).toEqual(['FORBIDDEN']);
  });

  it('a MANAGER acts on its subtree\'s alerts and rules only', async () => {
    const company = (await t.ok(LIST)).alerts.find((a: any) => a.rule.name === 'Company detractor share');
    const sup = (await t.ok(LIST)).alerts.find((a: any) => a.rule.name === 'Support follow-up rate');
    const ack = `mutation($id: ID!) { acknowledgeAlert(id: $id) { status } }`;
    expect(codes(await t.exec(ack, { id: company.id }, { viewer: mgr() }))).toEqual(['FORBIDDEN']);
    expect((await t.ok(ack, { id: sup.id }, { viewer: mgr() })).acknowledgeAlert.status).toBe('ACKNOWLEDGED');
    // Rules: inside the subtree yes; outside it, or company-wide, FORBIDDEN (and nothing is written).
    const before = await sql(`SELECT count(*)::int AS n FROM alert_rules`);
    expect(codes(await t.exec(CREATE_RULE, { i: { name: 'x', metric: 'NPS', window: 'MONTH', departmentId: ids.SALES } }, { viewer: mgr() }))).toEqual(['FORBIDDEN']);
    expect(codes(await t.exec(CREATE_RULE, { i: { name: 'x', metric: 'NPS', window: 'MONTH' } }, { viewer: mgr() }))).toEqual(['FORBIDDEN']);
    expect(await sql(`SELECT count(*)::int AS n FROM alert_rules`)).toEqual(before);
    const created = await t.ok(CREATE_RULE, { i: { name: 'EU monthly', metric: 'NPS', window: 'MONTH', timeZone: 'Europe/Paris', departmentId: ids['SUP-EU'] } }, { viewer: mgr() });
    expect(created.createAlertRule).toMatchObject({ window: 'MONTH', timeZone: 'Europe/Paris', compareTo: 'PREVIOUS_WINDOW', minSample: 30, active: true });
    const move = `mutation($id: ID!, $i: UpdateAlertRuleInput!) { updateAlertRule(id: $id, input: $i) { id } }`;
    expect(codes(await t.exec(move, { id: created.createAlertRule.id, i: { departmentId: ids.SALES } }, { viewer: mgr() }))).toEqual(['FORBIDDEN']);
    expect(codes(await t.exec(`mutation($id: ID!) { deleteAlertRule(id: $id) }`, { id: rule.salesNps }, { viewer: mgr() }))).toEqual(['FORBIDDEN']);
    expect((await t.ok(`mutation($id: ID!) { deleteAlertRule(id: $id) }`, { id: created.createAlertRule.id }, { viewer: mgr() })).deleteAlertRule).toBe(created.createAlertRule.id);
  });

  it('an INTEGRATION key can neither read nor act on alerts or rules', async () => {
    const a = (await t.ok(LIST)).alerts[0];
    for (const [q, v] of [
      [LIST, {}],
      [`{ alertRules { id } }`, {}],
      [`mutation($id: ID!) { resolveAlert(id: $id) { id } }`, { id: a.id }],
      [CREATE_RULE, { i: { name: 'x', metric: 'NPS', window: 'WEEK' } }],
    ] as const) {
      expect(codes(await t.exec(q, v as Record<string, unknown>, { viewer: viewers.integration }))).toEqual(['FORBIDDEN']);
    }
  });

  it('bad rule input: BAD_USER_INPUT or NOT_FOUND naming the field, nothing written', async () => {
    const before = await sql(`SELECT count(*)::int AS n FROM alert_rules`);
    const bad = async (i: Record<string, unknown>) => (await t.exec(CREATE_RULE, { i: { name: 'x', metric: 'NPS', window: 'WEEK', ...i } })).errors?.[0]?.extensions;
    expect(await bad({ timeZone: 'Mars/Olympus' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'timeZone' });
    expect(await bad({ minSample: 0 })).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await bad({ name: '  ' })).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await bad({ departmentId: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ code: 'NOT_FOUND', field: 'departmentId' });
    expect(await bad({ segmentId: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ code: 'NOT_FOUND', field: 'segmentId' });
    expect(await sql(`SELECT count(*)::int AS n FROM alert_rules`)).toEqual(before);
  });
});

describe('the worker on schedule', () => {
  it('evaluates a newly complete window once, however many times it polls', async () => {
    const at = new Date('2026-12-08T06:00:00Z'); // the week 30 Nov - 7 Dec is complete
    const worker = startAlertWorker(t.deps, t.app.services, { pollIntervalMs: 20, startDelayMs: 0, graceMs: 3_600_000, q: 0.05, now: () => at });
    try {
      const claimed = async () => (await sql(`SELECT count(*)::int AS n FROM alert_evaluations WHERE window_start = '2026-11-30T00:00:00Z'`))[0].n;
      for (let i = 0; i < 200 && (await claimed()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await claimed()).toBe(1);
      // More polls: the window is claimed, nothing is evaluated again.
      const again = await worker.runOnce();
      expect(again).toMatchObject({ families: 0, alreadyEvaluated: 1 });
      expect(await claimed()).toBe(1);
    } finally {
      await worker.stop();
    }
  });
});
