import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { seedDemo, SeedSummary } from '../seeds';
import { projectRoot } from '../src/common/paths';
import { DEMO_ANCHOR, DEMO_ANCHOR_INSTANT } from './support/demo-anchor';
import { createTestApp, GqlResult, TestApp, viewers } from './support/test-app';

/**
 * The example dashboards (examples/dashboards/*.graphql with their variables files) run on the
 * demo loaded the way `npm start` loads it: anchored today. Each is one request (one operation),
 * answers without errors, with non-empty figures; the team one covers the manager's subtree only
 * and differs from the company's; the leadership one shows KPI targets of every status.
 */

const DIR = path.join(projectRoot(), 'examples', 'dashboards');
const CX_SUBTREE = ['CX', 'CX-SUP', 'CX-SUP-EMEA', 'CX-SUP-AMER', 'CX-SUP-APAC', 'CX-ONB'];

interface Body {
  query: string;
  variables: Record<string, any>;
}

const fromDisk = (name: string): Body => ({
  query: fs.readFileSync(path.join(DIR, `${name}.graphql`), 'utf8'),
  variables: JSON.parse(fs.readFileSync(path.join(DIR, `${name}.variables.json`), 'utf8')),
});

/** The request body the README's command prints for a demo loaded for `day`. */
const requestFor = (name: string, day: string): Body =>
  JSON.parse(execFileSync(process.execPath, [path.join(DIR, 'request.mjs'), name, day], { encoding: 'utf8' }));

const operations = (query: string) => (query.match(/^\s*(query|mutation|subscription)\b/gm) ?? []).length;

let t: TestApp;
let demo: SeedSummary;
let day: string;
const dept: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  demo = await seedDemo(t.deps.ds); // no anchor: today, as npm start loads it
  day = demo.anchor.slice(0, 10);
  for (const row of await t.db.dataSource.query('SELECT id, code FROM departments')) dept[row.code] = row.id;
}, 300_000);
afterAll(() => t?.close());

describe.each(['leadership', 'team'])('the %s dashboard files', (name) => {
  it('hold one query and variables for a demo loaded for DEMO_ANCHOR, which the README command moves to another day', () => {
    const file = fromDisk(name);
    expect(operations(file.query)).toBe(1);
    expect(file.variables.to).toBe(DEMO_ANCHOR_INSTANT.toISOString().replace('.000', ''));
    const moved = requestFor(name, day);
    expect(moved.query).toBe(file.query);
    const shift = Date.parse(demo.anchor) - Date.parse(`${DEMO_ANCHOR}T00:00:00Z`);
    expect(moved.variables).toEqual({
      ...file.variables,
      from: new Date(Date.parse(file.variables.from) + shift).toISOString(),
      to: demo.anchor,
    });
  });
});

describe('on the demo loaded today', () => {
  let lead: any;
  let team: any;
  let vars: Record<string, any>;
  let teamVars: Record<string, any>;

  beforeAll(async () => {
    const l = requestFor('leadership', day);
    vars = l.variables;
    const lr: GqlResult = await t.exec(l.query, l.variables, { viewer: viewers.executive });
    expect(lr.errors).toBeUndefined();
    lead = lr.data;
    const tm = requestFor('team', day);
    teamVars = tm.variables;
    const tr: GqlResult = await t.exec(tm.query, tm.variables, { viewer: viewers.manager(dept.CX) });
    expect(tr.errors).toBeUndefined();
    team = tr.data;
  }, 120_000);

  it('leadership: the company score and a monthly trend over the whole history', () => {
    expect(lead.company.current.responses).toBeGreaterThan(1000);
    expect(lead.company.current.nps).not.toBeNull();
    expect(lead.company.change.verdict).toMatch(/^(SIGNIFICANT_UP|SIGNIFICANT_DOWN|NO_SIGNIFICANT_CHANGE)$/);
    // 18 months of responses: 19 monthly buckets when the anchor is not the 1st (the first partial).
    expect(lead.trend.length).toBeGreaterThanOrEqual(18);
    expect(lead.trend.every((p: any) => p.score.responses > 0)).toBe(true);
    expect(lead.trend.at(-1).periodEnd <= vars.to || lead.trend.at(-1).partial).toBe(true);
  });

  it('leadership: the whole tree, each department with its own figures, change and standard', () => {
    const codes = lead.tree.map((r: any) => r.department.code);
    expect(new Set(codes)).toEqual(new Set(Object.keys(dept)));
    expect(lead.tree.every((r: any) => r.score.responses > 0 && r.change)).toBe(true);
    // department-specific: the divisions' scores differ from each other and from the company's
    const co = lead.tree.find((r: any) => r.department.code === 'CO');
    const divisions = lead.tree.filter((r: any) => r.depth === 2);
    expect(divisions.map((r: any) => r.department.code)).toEqual(['CX', 'OPS', 'PRD', 'SAL']);
    expect(new Set([co, ...divisions].map((r: any) => r.score.nps)).size).toBe(5);
    expect(lead.tree.every((r: any) => r.score.benchmarks.length > 0)).toBe(true); // a company-wide standard, inherited
    expect(co.depth).toBe(1);
    expect(lead.tree.find((r: any) => r.department.code === 'CX-SUP-EMEA')).toMatchObject({ depth: 4, parent: { code: 'CX-SUP' } });
  });

  it('leadership: the movers with the largest contributions, discoveries or not (significantOnly: false)', () => {
    const m = lead.movers;
    expect(m.tests).toBeGreaterThan(vars.moversLimit);
    expect(m.movers.length).toBe(vars.moversLimit);
    expect(m.movers.every((x: any) => x.discovery === (x.adjustedPValue <= 0.05))).toBe(true);
    expect(m.movers.some((x: any) => x.kind === 'DEPARTMENT')).toBe(true);
    expect(m.movers.map((x: any) => x.rank)).toEqual(m.movers.map((_: any, i: number) => i + 1));
    const abs = m.movers.map((x: any) => Math.abs(x.contribution));
    expect(abs).toEqual([...abs].sort((a, b) => b - a));
  });

  it('leadership: KPI targets of every status, NO_DATA for the quarter not begun', () => {
    const statuses = new Set(lead.targets.map((k: any) => k.status));
    expect([...statuses].sort()).toEqual(['AT_RISK', 'NO_DATA', 'OFF_TRACK', 'ON_TRACK']);
    const now = Date.now();
    // next quarter's (the CEO's and the VPs'), not begun; on a quarter's first day this quarter's may have no data yet too
    const next = lead.targets.filter((x: any) => Date.parse(x.periodStart) > now);
    expect(next.length).toBeGreaterThan(0);
    expect(next.every((k: any) => k.status === 'NO_DATA' && k.progress === 0)).toBe(true);
    // last quarter, this quarter and the next
    expect(new Set(lead.targets.map((k: any) => k.periodStart)).size).toBe(3);
    const running = lead.targets.filter((k: any) => Date.parse(k.periodStart) <= now && now < Date.parse(k.periodEnd));
    expect(running.length).toBeGreaterThan(0);
    expect(running.every((k: any) => k.progress > 0 && k.progress < 1)).toBe(true);
  });

  it('leadership: drivers and benchmarks', () => {
    expect(lead.drivers.detractorDrivers.drivers.length).toBeGreaterThan(0);
    expect(lead.drivers.promoterDrivers.drivers.length).toBeGreaterThan(0);
    expect(lead.drivers.detractorDrivers.drivers[0].samples.length).toBeGreaterThan(0);
    const kinds = lead.summary.benchmarks.map((b: any) => b.surveyKind);
    expect(kinds).toContain(null); // every kind together: standards only
    expect(kinds).toEqual(expect.arrayContaining(['RELATIONSHIP', 'TRANSACTIONAL']));
    const industry = lead.summary.benchmarks.flatMap((b: any) => b.gaps.filter((g: any) => g.kind === 'INDUSTRY'));
    expect(industry.length).toBeGreaterThan(0);
    expect(industry.every((g: any) => g.gap !== null)).toBe(true);
  });

  it('team: the score of the manager subtree, not the company, as the executive reads CX', async () => {
    expect(team.team.current.responses).toBeGreaterThan(0);
    expect(team.team.current.responses).toBeLessThan(lead.company.current.responses);
    expect(team.team.current.nps).not.toBe(lead.company.current.nps);
    const cx = await t.ok(
      `query($f: DateTimeISO!, $t: DateTimeISO!) { npsComparison(filter: { from: $f, to: $t, departmentCodes: ["CX"] }) { current { nps responses } } }`,
      { f: vars.from, t: vars.to },
      { viewer: viewers.executive },
    );
    expect(team.team.current).toMatchObject(cx.npsComparison.current);
    const cxRow = lead.tree.find((r: any) => r.department.code === 'CX');
    expect(team.team.current.responses).toBe(cxRow.score.responses);
    expect(team.trend.length).toBeGreaterThanOrEqual(13);
    expect(team.trend.reduce((s: number, p: any) => s + p.score.responses, 0)).toBe(team.team.current.responses);
  });

  it('team: its departments and agents only, with the figures the leadership tree shows', () => {
    const codes = team.departments.map((r: any) => r.department.code);
    expect(codes.sort()).toEqual([...CX_SUBTREE].sort()); // the manager's department, then below it
    for (const r of team.departments) {
      const same = lead.tree.find((x: any) => x.department.code === r.department.code);
      expect(r.score.nps).toBe(same.score.nps);
      expect(r.score.responses).toBe(same.score.responses);
    }
    const named = team.agents.filter((a: any) => a.agent);
    expect(named.length).toBeGreaterThan(0);
    expect(named.every((a: any) => CX_SUBTREE.includes(a.agent.department.code))).toBe(true);
    expect(team.agents.every((a: any) => a.score.responses > 0)).toBe(true);
  });

  it('team: open and overdue action items of the subtree', async () => {
    const now = new Date().toISOString();
    expect(team.openItems.totalCount).toBeGreaterThan(0);
    expect(team.overdueItems.totalCount).toBeGreaterThan(0);
    expect(team.overdueItems.totalCount).toBeLessThanOrEqual(team.openItems.totalCount);
    for (const e of team.openItems.edges) {
      expect(['OPEN', 'IN_PROGRESS', 'BLOCKED']).toContain(e.node.status);
      expect(CX_SUBTREE).toContain(e.node.department.code);
    }
    for (const e of team.overdueItems.edges) {
      expect(['OPEN', 'IN_PROGRESS', 'BLOCKED']).toContain(e.node.status);
      expect(e.node.dueAt < now).toBe(true);
      expect(CX_SUBTREE).toContain(e.node.department.code);
    }
    const asExec = await t.ok(
      `query($d: [ID!]) { open: actionItems(filter: { departmentIds: $d, statuses: [OPEN, IN_PROGRESS, BLOCKED] }) { totalCount }
                          overdue: actionItems(filter: { departmentIds: $d, overdue: true }) { totalCount }
                          all: actionItems(filter: { overdue: true }) { totalCount } }`,
      { d: [dept.CX] },
      { viewer: viewers.executive },
    );
    expect(team.openItems.totalCount).toBe(asExec.open.totalCount);
    expect(team.overdueItems.totalCount).toBe(asExec.overdue.totalCount);
    expect(team.overdueItems.totalCount).toBeLessThan(asExec.all.totalCount);
  });

  it('team: the latest detractor verbatims of the period with their themes', () => {
    const v = team.detractorVerbatims;
    expect(v.edges.length).toBe(Math.min(teamVars.verbatimsFirst, v.totalCount));
    expect(v.edges.length).toBeGreaterThan(0);
    const at = v.edges.map((e: any) => e.node.respondedAt);
    expect(at).toEqual([...at].sort().reverse());
    for (const { node } of v.edges) {
      expect(node.score).toBeLessThanOrEqual(6);
      expect(node.comment).toBeTruthy();
      expect(CX_SUBTREE).toContain(node.department.code);
      expect(node.respondedAt >= teamVars.from && node.respondedAt < teamVars.to).toBe(true);
    }
    expect(v.edges.some((e: any) => e.node.themes.length > 0)).toBe(true);
  });
});
