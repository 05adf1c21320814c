/**
 * Walks EVERY query and mutation of the schema with every role and checks it is allowed exactly
 * when the role holds the permissions the operation needs (table below), and FORBIDDEN otherwise.
 * A new operation without an entry here fails the first test: add a minimal valid call.
 *
 * With WRITE_ACCESS_MATRIX=1 the roles-by-operations matrix observed here is written to
 * docs/access-matrix.md.
 */
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { GraphQLObjectType } from 'graphql';
import { buildAppSchema } from '../src/schema';
import { Permission, ROLE_PERMISSIONS } from '../src/modules/auth/permissions';
import { Role, Viewer } from '../src/modules/auth/viewer';
import { codes, createTestApp, TestApp, viewers } from './support/test-app';

const P = Permission;
type Vars = Record<string, unknown>;

/** Ids of the fixture rows. The MANAGER is confined to A (children: A1); B is A's sibling. */
interface Fx {
  co: string;
  a: string;
  b: string;
  pa: string;
  survey: string;
  customerA: string;
  responseA: string;
  segment: string;
  targetA: string;
  itemA: string;
  endpoint: string;
  benchmark: string;
  standard: string;
  theme: string;
  initiativeA: string;
  alertRule: string;
  alert: string;
}

interface Entry {
  /** Every permission the operation needs; empty: any valid key. */
  needs: Permission[];
  /** A minimal call that succeeds for an allowed role (the MANAGER's stays inside its subtree). */
  query: string;
  /** Variables; `n` is unique per call, so repeated mutations do not collide. */
  vars?: (fx: Fx, n: number, t: TestApp) => Vars | Promise<Vars>;
  /** For the doc: what a MANAGER gets is confined to its subtree (lists, aggregates, items it may touch). */
  subtree?: true;
  /** For calls that report per-item results: a problem with an allowed call's data, or null. */
  check?: (data: any) => string | null;
}

const FROM = '2026-01-01T00:00:00Z';
const TO = '2026-07-01T00:00:00Z';

const QUERIES: Record<string, Entry> = {
  viewer: { needs: [], query: `{ viewer { name role } }` },
  apiKeys: { needs: [P.ADMIN_KEYS], query: `{ apiKeys { id } }` },
  departments: { needs: [P.READ_ORG], subtree: true, query: `{ departments { id } }` },
  department: { needs: [P.READ_ORG], query: `query($id: ID!) { department(id: $id) { id } }`, vars: (fx) => ({ id: fx.a }) },
  people: { needs: [P.READ_ORG], subtree: true, query: `{ people { id } }` },
  person: { needs: [P.READ_ORG], query: `query($id: ID!) { person(id: $id) { id } }`, vars: (fx) => ({ id: fx.pa }) },
  surveys: { needs: [P.READ_ORG], query: `{ surveys { id } }` },
  survey: { needs: [P.READ_ORG], query: `query($id: ID!) { survey(id: $id) { id } }`, vars: (fx) => ({ id: fx.survey }) },
  segments: { needs: [P.READ_ORG], query: `{ segments { id name } }` },
  segment: { needs: [P.READ_ORG], query: `query($id: ID!) { segment(id: $id) { id name } }`, vars: (fx) => ({ id: fx.segment }) },
  customer: { needs: [P.READ_RESPONSES], subtree: true, query: `query($id: ID!) { customer(id: $id) { id } }`, vars: (fx) => ({ id: fx.customerA }) },
  customers: { needs: [P.READ_RESPONSES], subtree: true, query: `{ customers { totalCount } }` },
  responses: { needs: [P.READ_RESPONSES], subtree: true, query: `{ responses { totalCount } }` },
  response: { needs: [P.READ_RESPONSES], subtree: true, query: `query($id: ID!) { response(id: $id) { id } }`, vars: (fx) => ({ id: fx.responseA }) },
  npsSummary: { needs: [P.READ_REPORTS], subtree: true, query: `{ npsSummary { responses } }` },
  npsTrend: {
    needs: [P.READ_REPORTS], subtree: true,
    query: `query($f: ResponseFilter) { npsTrend(interval: MONTH, filter: $f) { periodStart } }`,
    vars: () => ({ f: { from: FROM, to: TO } }),
  },
  departmentScores: { needs: [P.READ_REPORTS], subtree: true, query: `{ departmentScores { score { responses } } }` },
  npsBreakdown: { needs: [P.READ_REPORTS], subtree: true, query: `{ npsBreakdown(by: CHANNEL) { score { responses } } }` },
  npsComparison: {
    needs: [P.READ_REPORTS], subtree: true,
    query: `query($f: ResponseFilter!) { npsComparison(filter: $f) { __typename } }`,
    vars: () => ({ f: { from: FROM, to: TO } }),
  },
  movers: {
    needs: [P.READ_REPORTS], subtree: true,
    query: `query($f: ResponseFilter!) { movers(filter: $f) { tests movers { label } } }`,
    vars: () => ({ f: { from: FROM, to: TO } }),
  },
  executiveSummary: {
    needs: [P.READ_REPORTS], subtree: true,
    query: `query($from: DateTimeISO!, $to: DateTimeISO!) { executiveSummary(from: $from, to: $to) { company { current { responses } } } }`,
    vars: () => ({ from: FROM, to: TO }),
  },
  closedLoop: { needs: [P.READ_REPORTS], subtree: true, query: `{ closedLoop { __typename } }` },
  closedLoopByDepartment: { needs: [P.READ_REPORTS], subtree: true, query: `{ closedLoopByDepartment { __typename } }` },
  closedLoopTrend: {
    needs: [P.READ_REPORTS], subtree: true,
    query: `query($f: ResponseFilter) { closedLoopTrend(interval: MONTH, filter: $f) { __typename } }`,
    vars: () => ({ f: { from: FROM, to: TO } }),
  },
  kpiTargets: { needs: [P.READ_TARGETS], subtree: true, query: `{ kpiTargets { id } }` },
  kpiTarget: { needs: [P.READ_TARGETS], subtree: true, query: `query($id: ID!) { kpiTarget(id: $id) { id } }`, vars: (fx) => ({ id: fx.targetA }) },
  scorecard: {
    needs: [P.READ_TARGETS, P.READ_REPORTS], subtree: true,
    query: `query($o: ID!) { scorecard(ownerId: $o) { counts { total } } }`,
    vars: (fx) => ({ o: fx.pa }),
  },
  actionItems: { needs: [P.READ_ACTION_ITEMS], subtree: true, query: `{ actionItems { totalCount } }` },
  actionItem: { needs: [P.READ_ACTION_ITEMS], subtree: true, query: `query($id: ID!) { actionItem(id: $id) { id } }`, vars: (fx) => ({ id: fx.itemA }) },
  webhookEndpoints: { needs: [P.ADMIN_WEBHOOKS], query: `{ webhookEndpoints { id } }` },
  webhookEventTypes: { needs: [P.ADMIN_WEBHOOKS], query: `{ webhookEventTypes }` },
  webhookDeliveries: { needs: [P.ADMIN_WEBHOOKS], query: `{ webhookDeliveries { totalCount } }` },
  // Reference and organisation data, not customer data nor report figures: every role (a score's
  // benchmarks comparisons are NpsScore.benchmarks, reached only through READ_REPORTS).
  benchmarks: { needs: [P.READ_ORG], query: `{ benchmarks { id } }` },
  standards: { needs: [P.READ_ORG], query: `{ standards { id } }` },
  // Themes exist for the analysis of verbatims: report readers only (INTEGRATION keys read nothing derived from verbatims).
  themes: { needs: [P.READ_REPORTS], query: `{ themes { id } }` },
  theme: { needs: [P.READ_REPORTS], query: `query($id: ID!) { theme(id: $id) { id } }`, vars: (fx) => ({ id: fx.theme }) },
  themeTagging: { needs: [P.READ_REPORTS], query: `{ themeTagging { status } }` },
  drivers: { needs: [P.READ_REPORTS, P.READ_RESPONSES], subtree: true, query: `{ drivers { verbatims themes { samples { text } } } }` },
  // Invitations and contact rules: rates are report figures; eligibility is for the systems that send invitations.
  responseRates: { needs: [P.READ_REPORTS], subtree: true, query: `{ responseRates(by: [DEPARTMENT]) { invitations rate } }` },
  contactRules: { needs: [P.READ_ORG], query: `{ contactRules { id } }` },
  contactEligibility: {
    needs: [P.WRITE_RESPONSES],
    query: `query($c: [String!]!) { contactEligibility(surveyCode: "NPS", customerRefs: $c) { eligible } }`,
    vars: () => ({ c: ['C-A', 'unknown-customer'] }),
  },
  initiatives: { needs: [P.READ_REPORTS], subtree: true, query: `{ initiatives { id effect { verdict } } }` },
  initiative: { needs: [P.READ_REPORTS], subtree: true, query: `query($id: ID!) { initiative(id: $id) { id effect { verdict } progress { actionItems } } }`, vars: (fx) => ({ id: fx.initiativeA }) },
  alerts: { needs: [P.READ_REPORTS], subtree: true, query: `{ alerts { id history { action } } }` },
  alert: { needs: [P.READ_REPORTS], subtree: true, query: `query($id: ID!) { alert(id: $id) { id } }`, vars: (fx) => ({ id: fx.alert }) },
  alertRules: { needs: [P.READ_REPORTS], subtree: true, query: `{ alertRules { id } }` },
};

const MUTATIONS: Record<string, Entry> = {
  createApiKey: {
    needs: [P.ADMIN_KEYS],
    query: `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }`,
    vars: (_fx, n) => ({ i: { name: `matrix-${n}`, role: 'EXECUTIVE' } }),
  },
  revokeApiKey: {
    needs: [P.ADMIN_KEYS],
    query: `mutation($id: ID!) { revokeApiKey(id: $id) { id } }`,
    vars: async (_fx, n, t) => ({ id: (await t.app.services.apiKeys.create(t.ctx(), { name: `to-revoke-${n}`, role: Role.INTEGRATION })).apiKey.id }),
  },
  setApiKeyRateLimit: {
    needs: [P.ADMIN_KEYS],
    query: `mutation($id: ID!) { setApiKeyRateLimit(id: $id, rateLimit: 1000) { id rateLimit } }`,
    vars: async (_fx, n, t) => ({ id: (await t.app.services.apiKeys.create(t.ctx(), { name: `to-limit-${n}`, role: Role.INTEGRATION })).apiKey.id }),
  },
  upsertDepartment: {
    needs: [P.WRITE_ORG],
    query: `mutation($i: DepartmentInput!) { upsertDepartment(input: $i) { id } }`,
    vars: (_fx, n) => ({ i: { code: `NEW-${n}`, name: 'New', parentCode: 'A' } }),
  },
  upsertPerson: {
    needs: [P.WRITE_ORG],
    query: `mutation($i: PersonInput!) { upsertPerson(input: $i) { id } }`,
    vars: (_fx, n) => ({ i: { email: `new${n}@example.com`, name: 'New Person', departmentCode: 'A' } }),
  },
  upsertSurvey: {
    needs: [P.WRITE_ORG],
    query: `mutation($i: SurveyInput!) { upsertSurvey(input: $i) { id } }`,
    vars: (_fx, n) => ({ i: { code: `SV-${n}`, name: 'Survey', kind: 'TRANSACTIONAL' } }),
  },
  upsertCustomers: {
    needs: [P.WRITE_RESPONSES],
    query: `mutation($c: [CustomerInput!]!) { upsertCustomers(customers: $c) { id } }`,
    vars: (_fx, n) => ({ c: [{ externalRef: `CUST-${n}`, region: 'EU' }] }),
  },
  eraseCustomer: {
    needs: [P.ERASE_PERSONAL_DATA],
    query: `mutation($r: String!) { eraseCustomer(externalRef: $r) { refHash } }`,
    vars: async (_fx, n, t) => {
      await t.deps.ds.query(`INSERT INTO customers (external_ref) VALUES ($1)`, [`ERASE-${n}`]);
      return { r: `ERASE-${n}` };
    },
  },
  submitResponses: {
    needs: [P.WRITE_RESPONSES],
    query: `mutation($r: [ResponseInput!]!) { submitResponses(responses: $r) { accepted results { error { message } } } }`,
    vars: (_fx, n) => ({ r: [{ externalRef: `R-${n}`, surveyCode: 'NPS', score: 9, respondedAt: '2026-03-10T10:00:00Z', departmentCode: 'A' }] }),
    check: (d) => (d.submitResponses.accepted === 1 ? null : JSON.stringify(d.submitResponses.results)),
  },
  submitResponseRows: {
    needs: [P.WRITE_RESPONSES],
    query: `mutation($r: [JSON]!) { submitResponseRows(rows: $r) { accepted results { error { message } } } }`,
    vars: (_fx, n) => ({ r: [{ externalRef: `RL-${n}`, surveyCode: 'NPS', score: 9, respondedAt: '2026-03-10T10:00:00Z', departmentCode: 'A' }] }),
    check: (d) => (d.submitResponseRows.accepted === 1 ? null : JSON.stringify(d.submitResponseRows.results)),
  },
  correctResponses: {
    needs: [P.WRITE_RESPONSES],
    query: `mutation($c: [ResponseCorrectionInput!]!) { correctResponses(corrections: $c) { corrected results { error { message } } } }`,
    vars: async (_fx, n, t) => {
      const ref = `RC-${n}`;
      await t.app.services.ingest.submit(t.ctx(), [{ externalRef: ref, surveyCode: 'NPS', score: 9, respondedAt: new Date('2026-03-10T10:00:00Z'), departmentCode: 'A' }]);
      return { c: [{ externalRef: ref, expectedVersion: 1, score: 3 }] };
    },
    check: (d) => (d.correctResponses.corrected === 1 ? null : JSON.stringify(d.correctResponses.results)),
  },
  deleteResponses: {
    needs: [P.WRITE_RESPONSES],
    query: `mutation($refs: [String!]!) { deleteResponses(externalRefs: $refs) { deleted } }`,
    vars: async (_fx, n, t) => {
      const ref = `RD-${n}`;
      await t.app.services.ingest.submit(t.ctx(), [{ externalRef: ref, surveyCode: 'NPS', score: 9, respondedAt: new Date('2026-03-10T10:00:00Z'), departmentCode: 'A' }]);
      return { refs: [ref] };
    },
    check: (d) => (d.deleteResponses.deleted === 1 ? null : JSON.stringify(d.deleteResponses)),
  },
  createSegment: {
    needs: [P.WRITE_SEGMENTS],
    query: `mutation($i: CreateSegmentInput!) { createSegment(input: $i) { id } }`,
    vars: (_fx, n) => ({ i: { name: `Segment ${n}`, filter: { channels: ['email'] } } }),
  },
  updateSegment: {
    needs: [P.WRITE_SEGMENTS],
    query: `mutation($id: ID!, $i: UpdateSegmentInput!) { updateSegment(id: $id, input: $i) { id } }`,
    vars: (fx, n) => ({ id: fx.segment, i: { description: `changed ${n}` } }),
  },
  deleteSegment: {
    needs: [P.WRITE_SEGMENTS],
    query: `mutation($id: ID!) { deleteSegment(id: $id) }`,
    vars: async (_fx, n, t) => ({ id: await insertOne(t, `INSERT INTO segments (name, filter) VALUES ($1, '{}') RETURNING id`, [`doomed ${n}`]) }),
  },
  createKpiTarget: {
    needs: [P.WRITE_TARGETS],
    query: `mutation($i: CreateKpiTargetInput!) { createKpiTarget(input: $i) { id } }`,
    vars: (fx, n) => ({ i: { ownerId: fx.pa, metric: 'NPS', target: n % 100, periodStart: FROM, periodEnd: TO, departmentId: fx.a } }),
  },
  updateKpiTarget: {
    needs: [P.WRITE_TARGETS],
    query: `mutation($id: ID!, $i: UpdateKpiTargetInput!) { updateKpiTarget(id: $id, input: $i) { id } }`,
    vars: (fx, n) => ({ id: fx.targetA, i: { target: n % 100 } }),
  },
  deleteKpiTarget: {
    needs: [P.WRITE_TARGETS],
    query: `mutation($id: ID!) { deleteKpiTarget(id: $id) }`,
    vars: async (fx, _n, t) => ({ id: await insertTarget(t, fx.pa, fx.a) }),
  },
  createActionItem: {
    needs: [P.WRITE_ACTION_ITEMS], subtree: true,
    query: `mutation($i: CreateActionItemInput!) { createActionItem(input: $i) { id } }`,
    vars: (fx, n) => ({ i: { title: `Call back ${n}`, externalRef: `T-${n}`, departmentId: fx.a } }),
  },
  updateActionItem: {
    needs: [P.WRITE_ACTION_ITEMS], subtree: true,
    query: `mutation($i: UpdateActionItemInput!) { updateActionItem(input: $i) { id } }`,
    vars: (fx, n) => ({ i: { id: fx.itemA, title: `Renamed ${n}` } }),
  },
  bulkUpdateActionItems: {
    needs: [P.WRITE_ACTION_ITEMS], subtree: true,
    query: `mutation($u: [UpdateActionItemInput!]!) { bulkUpdateActionItems(updates: $u) { updated results { error { code message } } } }`,
    vars: (fx, n) => ({ u: [{ id: fx.itemA, title: `Bulk ${n}` }] }),
    check: (d) => (d.bulkUpdateActionItems.updated === 1 ? null : JSON.stringify(d.bulkUpdateActionItems.results)),
  },
  createBenchmark: {
    needs: [P.WRITE_BENCHMARKS],
    query: `mutation($i: CreateBenchmarkInput!) { createBenchmark(input: $i) { id } }`,
    vars: (_fx, n) => ({ i: { name: `Benchmark ${n}`, industry: 'Retail', surveyKind: 'RELATIONSHIP', value: 30, source: 'Illustrative', year: 2026 } }),
  },
  updateBenchmark: {
    needs: [P.WRITE_BENCHMARKS],
    query: `mutation($id: ID!, $i: UpdateBenchmarkInput!) { updateBenchmark(id: $id, input: $i) { id } }`,
    vars: (fx, n) => ({ id: fx.benchmark, i: { value: n % 100 } }),
  },
  deleteBenchmark: {
    needs: [P.WRITE_BENCHMARKS],
    query: `mutation($id: ID!) { deleteBenchmark(id: $id) }`,
    vars: async (_fx, n, t) => ({ id: await insertBenchmark(t, `doomed ${n}`) }),
  },
  createStandard: {
    needs: [P.WRITE_BENCHMARKS],
    query: `mutation($i: CreateStandardInput!) { createStandard(input: $i) { id } }`,
    // one standard per scope and kind: a department of its own for each call
    vars: async (fx, n, t) => ({ i: { name: `Standard ${n}`, value: 30, departmentId: await insertDepartment(t, `STD-${n}`, fx.b) } }),
  },
  updateStandard: {
    needs: [P.WRITE_BENCHMARKS],
    query: `mutation($id: ID!, $i: UpdateStandardInput!) { updateStandard(id: $id, input: $i) { id } }`,
    vars: (fx, n) => ({ id: fx.standard, i: { value: n % 100 } }),
  },
  deleteStandard: {
    needs: [P.WRITE_BENCHMARKS],
    query: `mutation($id: ID!) { deleteStandard(id: $id) }`,
    vars: async (fx, n, t) => ({ id: await insertStandard(t, await insertDepartment(t, `DOOMED-STD-${n}`, fx.b)) }),
  },
  createTheme: {
    needs: [P.WRITE_THEMES],
    query: `mutation($i: CreateThemeInput!) { createTheme(input: $i) { id } }`,
    vars: (_fx, n) => ({ i: { code: `matrix_${n}`, name: `Matrix ${n}`, keywords: [`matrix${n}`], active: false } }),
  },
  updateTheme: {
    needs: [P.WRITE_THEMES],
    query: `mutation($id: ID!, $i: UpdateThemeInput!) { updateTheme(id: $id, input: $i) { id } }`,
    vars: (fx, n) => ({ id: fx.theme, i: { name: `Price ${n}` } }),
  },
  deleteTheme: {
    needs: [P.WRITE_THEMES],
    query: `mutation($id: ID!) { deleteTheme(id: $id) }`,
    vars: async (_fx, n, t) => ({ id: await insertOne(t, `INSERT INTO themes (code, name, keywords) VALUES ($1, 'Doomed', '{doomed}') RETURNING id`, [`doomed_${n}`]) }),
  },
  retagThemes: { needs: [P.WRITE_THEMES], query: `mutation { retagThemes { status } }` },
  createAlertRule: {
    needs: [P.WRITE_ALERTS], subtree: true,
    query: `mutation($i: CreateAlertRuleInput!) { createAlertRule(input: $i) { id } }`,
    vars: (fx, n) => ({ i: { name: `Rule ${n}`, metric: 'NPS', window: 'WEEK', departmentId: fx.a } }),
  },
  updateAlertRule: {
    needs: [P.WRITE_ALERTS], subtree: true,
    query: `mutation($id: ID!, $i: UpdateAlertRuleInput!) { updateAlertRule(id: $id, input: $i) { id } }`,
    vars: (fx, n) => ({ id: fx.alertRule, i: { minSample: 10 + n } }),
  },
  deleteAlertRule: {
    needs: [P.WRITE_ALERTS], subtree: true,
    query: `mutation($id: ID!) { deleteAlertRule(id: $id) }`,
    vars: async (fx, n, t) => ({ id: await insertAlertRule(t, fx.a, `doomed ${n}`) }),
  },
  acknowledgeAlert: {
    needs: [P.WRITE_ALERTS], subtree: true,
    query: `mutation($id: ID!) { acknowledgeAlert(id: $id) { id } }`,
    vars: async (fx, n, t) => ({ id: await insertAlert(t, fx.alertRule, fx.a, n) }),
  },
  snoozeAlert: {
    needs: [P.WRITE_ALERTS], subtree: true,
    query: `mutation($id: ID!) { snoozeAlert(id: $id, until: "2099-01-01T00:00:00Z") { id } }`,
    vars: async (fx, n, t) => ({ id: await insertAlert(t, fx.alertRule, fx.a, n) }),
  },
  resolveAlert: {
    needs: [P.WRITE_ALERTS], subtree: true,
    query: `mutation($id: ID!) { resolveAlert(id: $id) { id } }`,
    vars: async (fx, n, t) => ({ id: await insertAlert(t, fx.alertRule, fx.a, n) }),
  },
  createWebhookEndpoint: {
    needs: [P.ADMIN_WEBHOOKS],
    query: `mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { __typename } }`,
    vars: (_fx, n) => ({ i: { url: `https://hooks.example.com/${n}`, eventTypes: ['response.stored'] } }),
  },
  updateWebhookEndpoint: {
    needs: [P.ADMIN_WEBHOOKS],
    query: `mutation($id: ID!, $i: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(id: $id, input: $i) { id } }`,
    vars: (fx, n) => ({ id: fx.endpoint, i: { url: `https://hooks.example.com/changed/${n}` } }),
  },
  deleteWebhookEndpoint: {
    needs: [P.ADMIN_WEBHOOKS],
    query: `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`,
    vars: async (_fx, n, t) => ({ id: await createEndpoint(t, `https://hooks.example.com/doomed/${n}`) }),
  },
  recordSurveyInvitations: {
    needs: [P.WRITE_RESPONSES],
    query: `mutation($i: [SurveyInvitationInput!]!) { recordSurveyInvitations(invitations: $i) { accepted results { error { message } } } }`,
    vars: (_fx, n) => ({ i: [{ externalRef: `INV-${n}`, customerRef: 'C-A', surveyCode: 'NPS', channel: 'email', departmentCode: 'A', sentAt: '2026-03-09T10:00:00Z' }] }),
    check: (d) => (d.recordSurveyInvitations.accepted === 1 ? null : JSON.stringify(d.recordSurveyInvitations.results)),
  },
  setContactRule: {
    needs: [P.WRITE_ORG],
    query: `mutation($i: ContactRuleInput!) { setContactRule(input: $i) { id } }`,
    vars: (_fx, n) => ({ i: { surveyCode: 'NPS', minDaysSinceInvitation: 1 + (n % 90) } }),
  },
  deleteContactRule: { needs: [P.WRITE_ORG], query: `mutation { deleteContactRule(surveyCode: "NPS") }` },
  setDoNotContact: {
    needs: [P.WRITE_RESPONSES],
    query: `mutation($c: [String!]!) { setDoNotContact(customerRefs: $c, reason: "unsubscribed") }`,
    vars: (_fx, n) => ({ c: [`DNC-${n}`] }),
  },
  createInitiative: {
    needs: [P.WRITE_INITIATIVES], subtree: true,
    query: `mutation($i: CreateInitiativeInput!) { createInitiative(input: $i) { id } }`,
    vars: (fx, n) => ({ i: { title: `Plan ${n}`, ownerId: fx.pa, departmentId: fx.a, startsAt: FROM, expectedEffect: 5 } }),
  },
  setInitiativeActionItems: {
    needs: [P.WRITE_INITIATIVES], subtree: true,
    query: `mutation($i: ID!, $a: [ID!]!) { setInitiativeActionItems(initiativeId: $i, actionItemIds: $a) { id } }`,
    vars: (fx) => ({ i: fx.initiativeA, a: [fx.itemA] }),
  },
  redeliverWebhook: {
    needs: [P.ADMIN_WEBHOOKS],
    query: `mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id } }`,
    vars: async (fx, _n, t) => ({ id: await insertFailedDelivery(t, fx.endpoint) }),
  },
};

async function insertOne(t: TestApp, sql: string, params: unknown[] = []): Promise<string> {
  const [row] = await t.db.dataSource.query(sql, params);
  return row.id;
}

const insertBenchmark = (t: TestApp, name: string) =>
  insertOne(t, `INSERT INTO benchmarks (name, industry, survey_kind, value, source, year) VALUES ($1, 'Retail', 'RELATIONSHIP', 30, 'Illustrative', 2026) RETURNING id`, [name]);

const insertDepartment = (t: TestApp, code: string, parent: string) =>
  insertOne(t, `INSERT INTO departments (code, name, parent_id) VALUES ($1, $1, $2) RETURNING id`, [code, parent]);

const insertStandard = (t: TestApp, dept: string) =>
  insertOne(t, `INSERT INTO nps_standards (name, value, department_id) VALUES ('Standard', 30, $1) RETURNING id`, [dept]);

const insertTarget = (t: TestApp, owner: string, dept: string) =>
  insertOne(t, `INSERT INTO kpi_targets (owner_id, metric, target, period_start, period_end, department_id) VALUES ($1, 'NPS', 20, $2, $3, $4) RETURNING id`, [owner, FROM, TO, dept]);

const insertAlertRule = (t: TestApp, dept: string, name: string) =>
  insertOne(t, `INSERT INTO alert_rules (name, metric, department_id, window_unit, time_zone, compare_to, min_sample) VALUES ($1, 'NPS', $2, 'WEEK', 'UTC', 'PREVIOUS_WINDOW', 30) RETURNING id`, [name, dept]);

/** An OPEN alert of the rule for the n-th week after 5 Jan 2026 (one per rule and window). */
const insertAlert = (t: TestApp, rule: string, dept: string, n: number) =>
  insertOne(
    t,
    `INSERT INTO alerts (rule_id, department_id, metric, window_unit, time_zone, compare_to, window_start, window_end, comparison_start, comparison_end,
       direction, previous_value, current_value, delta, previous_sample, current_sample, z_score, p_value, adjusted_pvalue, family_size, false_discovery_rate, detected_at)
     SELECT $1, $2, 'NPS', 'WEEK', 'UTC', 'PREVIOUS_WINDOW', w, w + interval '7 days', w - interval '7 days', w, 'DOWN', 40, 10, -30, 100, 100, -3.5, 0.0005, 0.001, 1, 0.05, now()
     FROM (SELECT timestamptz '2026-01-05T00:00:00Z' + $3 * interval '7 days' AS w) x RETURNING id`,
    [rule, dept, n],
  );

async function createEndpoint(t: TestApp, url: string): Promise<string> {
  const data = await t.ok(`mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { endpoint { id } } }`, {
    i: { url, eventTypes: ['response.stored'] },
  });
  return data.createWebhookEndpoint.endpoint.id;
}

async function insertFailedDelivery(t: TestApp, endpoint: string): Promise<string> {
  const aggregateId = randomUUID();
  await t.app.services.outbox.enqueue(t.ctx(), [{ type: 'response.stored', aggregateId, payload: {} }]);
  const [event] = await t.db.dataSource.query('SELECT id, seq FROM outbox_events WHERE aggregate_id = $1', [aggregateId]);
  return insertOne(
    t,
    `INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, event_seq, status, attempts) VALUES ($1, $2, 'response.stored', $3, 'FAILED', 5) RETURNING id`,
    [endpoint, event.id, event.seq],
  );
}

/** The viewers walked, one per role. */
const roleViewers = (fx: Fx): [Role, Viewer][] => [
  [Role.ADMIN, viewers.admin],
  [Role.EXECUTIVE, viewers.executive],
  [Role.MANAGER, viewers.manager(fx.a)],
  [Role.INTEGRATION, viewers.integration],
];

let t: TestApp;
let fx: Fx;
let operations: { Query: string[]; Mutation: string[] };
let counter = 0;
/** What was observed: operation → role → 'allowed' | 'FORBIDDEN' | something else (a failure). */
const observed = new Map<string, Record<string, string>>();

beforeAll(async () => {
  t = await createTestApp();
  const schema = await buildAppSchema();
  const names = (type: GraphQLObjectType | null | undefined) => Object.keys(type?.getFields() ?? {});
  operations = { Query: names(schema.getQueryType()), Mutation: names(schema.getMutationType()) };
  fx = await createFixtures(t);
});

afterAll(async () => {
  if (process.env.WRITE_ACCESS_MATRIX === '1') writeMatrixDoc();
  await t?.close();
});

async function createFixtures(t: TestApp): Promise<Fx> {
  const one = (sql: string, params: unknown[] = []) => insertOne(t, sql, params);
  const co = await one(`INSERT INTO departments (code, name) VALUES ('CO', 'Company') RETURNING id`);
  const a = await one(`INSERT INTO departments (code, name, parent_id) VALUES ('A', 'Dept A', $1) RETURNING id`, [co]);
  await one(`INSERT INTO departments (code, name, parent_id) VALUES ('A1', 'Team A1', $1) RETURNING id`, [a]);
  const b = await one(`INSERT INTO departments (code, name, parent_id) VALUES ('B', 'Dept B', $1) RETURNING id`, [co]);
  const pa = await one(`INSERT INTO people (name, email, department_id) VALUES ('Ann', 'ann@example.com', $1) RETURNING id`, [a]);
  const survey = await one(`INSERT INTO surveys (code, name, kind) VALUES ('NPS', 'Relationship NPS', 'RELATIONSHIP') RETURNING id`);
  const customerA = await one(`INSERT INTO customers (external_ref, region, plan) VALUES ('C-A', 'EU', 'pro') RETURNING id`);
  const responseA = await one(
    `INSERT INTO responses (external_ref, survey_id, score, comment, channel, department_id, customer_id, responded_at)
     VALUES ('resp-a', $1, 3, 'slow support', 'email', $2, $3, '2026-03-01T10:00:00Z') RETURNING id`,
    [survey, a, customerA],
  );
  await one(
    `INSERT INTO responses (external_ref, survey_id, score, channel, department_id, responded_at) VALUES ('resp-b', $1, 10, 'web', $2, '2026-03-02T10:00:00Z') RETURNING id`,
    [survey, b],
  );
  const segment = await one(`INSERT INTO segments (name, filter) VALUES ('Email', '{"channels":["email"]}') RETURNING id`);
  const targetA = await insertTarget(t, pa, a);
  const itemA = await one(`INSERT INTO action_items (title, department_id, response_id) VALUES ('Call Ann''s customer', $1, $2) RETURNING id`, [a, responseA]);
  const endpoint = await createEndpoint(t, 'https://hooks.example.com/fixture');
  const benchmark = await insertBenchmark(t, 'Fixture benchmark');
  const standard = await insertStandard(t, a);
  const theme = await one(`SELECT id FROM themes WHERE code = 'price'`);
  const initiativeA = await one(`INSERT INTO initiatives (title, owner_id, department_id, starts_at) VALUES ('Plan A', $1, $2, $3) RETURNING id`, [pa, a, '2026-03-01T00:00:00Z']);
  const alertRule = await insertAlertRule(t, a, 'Dept A weekly NPS');
  const alert = await insertAlert(t, alertRule, a, 0);
  return { co, a, b, pa, survey, customerA, responseA, segment, targetA, itemA, endpoint, benchmark, standard, theme, initiativeA, alertRule, alert };
}

const allowed = (role: Role, entry: Entry) => entry.needs.every((p) => ROLE_PERMISSIONS[role].has(p));

/** No data came back: none at all, or null for a nullable root field (which an error nulls without nulling data). */
const refused = (data: unknown) => data == null || Object.values(data as object).every((v) => v === null);

async function walk(kind: 'Query' | 'Mutation', name: string, entry: Entry): Promise<void> {
  const got: Record<string, string> = {};
  const want: Record<string, string> = {};
  for (const [role, viewer] of roleViewers(fx)) {
    const vars = entry.vars ? await entry.vars(fx, ++counter, t) : {};
    const res = await t.exec(entry.query, vars, { viewer });
    const c = codes(res);
    const problem = !res.errors?.length && entry.check ? entry.check(res.data) : null;
    got[role] = problem ? `allowed, but ${problem}` : !res.errors?.length ? 'allowed' : c.length === 1 && c[0] === 'FORBIDDEN' && refused(res.data) ? 'FORBIDDEN' : `${c.join(',')}: ${res.errors[0].message}`;
    want[role] = allowed(role, entry) ? 'allowed' : 'FORBIDDEN';
  }
  observed.set(`${kind}.${name}`, got);
  expect({ [name]: got }).toEqual({ [name]: want });
}

describe('the roles', () => {
  it('grant what the issue says: ADMIN everything; EXECUTIVE reads everything and manages targets, segments, benchmarks, standards, themes and initiatives; MANAGER reads and acts (initiatives too); INTEGRATION writes responses and action items', () => {
    const sorted = (s: ReadonlySet<Permission>) => [...s].sort();
    expect(sorted(ROLE_PERMISSIONS[Role.ADMIN])).toEqual(Object.values(Permission).sort());
    expect(sorted(ROLE_PERMISSIONS[Role.EXECUTIVE])).toEqual(
      [P.READ_ORG, P.READ_REPORTS, P.READ_RESPONSES, P.READ_TARGETS, P.READ_ACTION_ITEMS, P.WRITE_SEGMENTS, P.WRITE_TARGETS, P.WRITE_BENCHMARKS, P.WRITE_THEMES, P.WRITE_INITIATIVES, P.WRITE_ALERTS].sort(),
    );
    expect(sorted(ROLE_PERMISSIONS[Role.MANAGER])).toEqual([P.READ_ORG, P.READ_REPORTS, P.READ_RESPONSES, P.READ_TARGETS, P.READ_ACTION_ITEMS, P.WRITE_ACTION_ITEMS, P.WRITE_INITIATIVES, P.WRITE_ALERTS].sort());
    // No verbatims or customer details (READ_RESPONSES), no reports: what a script needs to push data.
    expect(sorted(ROLE_PERMISSIONS[Role.INTEGRATION])).toEqual([P.READ_ORG, P.READ_ACTION_ITEMS, P.WRITE_RESPONSES, P.WRITE_ACTION_ITEMS].sort());
  });
});

describe('every operation with every role', () => {
  it('has an entry in the matrix for every Query and Mutation field of the schema', () => {
    expect({ Query: operations.Query.filter((n) => !QUERIES[n]), Mutation: operations.Mutation.filter((n) => !MUTATIONS[n]) }).toEqual({ Query: [], Mutation: [] });
  });

  for (const [name, entry] of Object.entries(QUERIES)) {
    it(`query ${name}`, async () => {
      if (!operations.Query.includes(name)) return; // not (yet) in the schema
      await walk('Query', name, entry);
    });
  }
  for (const [name, entry] of Object.entries(MUTATIONS)) {
    it(`mutation ${name}`, async () => {
      if (!operations.Mutation.includes(name)) return;
      await walk('Mutation', name, entry);
    });
  }
});

/** docs/access-matrix.md from what this run observed. */
function writeMatrixDoc(): void {
  const roles = [Role.ADMIN, Role.EXECUTIVE, Role.MANAGER, Role.INTEGRATION];
  const cell = (v: string | undefined, role: Role, entry: Entry | undefined) =>
    v === 'allowed' ? (role === Role.MANAGER && entry?.subtree ? 'yes (subtree)' : 'yes') : v === 'FORBIDDEN' ? 'FORBIDDEN' : `UNEXPECTED: ${v ?? 'not run'}`;
  const lines = [
    '# Access matrix: roles by operations',
    '',
    'Generated by `WRITE_ACCESS_MATRIX=1 npx jest tests/access-matrix.test.ts` from the calls that test made: every query and',
    'mutation of the schema, called once with a key of each role. "yes" means the call succeeded, FORBIDDEN that it was refused',
    'with extensions.code FORBIDDEN. The permission column is what the operation needs (src/modules/auth/permissions.ts), spelled',
    'as the schema\'s `Permission` enum spells it; a refusal for a missing permission names it in its message and in',
    '`extensions.permission` (e.g. "Your key (role INTEGRATION) does not have the permission READ_REPORTS").',
    '',
    '"yes (subtree)": a MANAGER key is confined to one department subtree. Its lists and aggregates (npsSummary, npsTrend,',
    'departmentScores, responses, actionItems, people, closed-loop metrics, KPI targets...) cover only that subtree, and',
    'naming a department or item outside it is FORBIDDEN (tests/access-matrix-scope.test.ts); an unknown id is NOT_FOUND.',
    'Responses and customers outside the subtree are NOT_FOUND instead, as if unknown: `response(id)`, `customer(id)`, and',
    '`createActionItem` naming one by `responseId` or `responseExternalRef`. An action item\'s `assigneeId` / `ownerId` must',
    'be a person of the subtree (else FORBIDDEN naming the field).',
    '',
    'Nested fields keep the rules wherever the object is reached: e.g. `Segment.score` and `NpsScore.benchmarks` (the',
    'comparisons of a score with the benchmarks and standards that apply) need `READ_REPORTS`;',
    '`Response.comment`, `followUpAnswers`, `themes` and `customer` need `READ_RESPONSES` (so does everything derived from',
    'the verbatims: `drivers` and its samples, the THEME and FOLLOW_UP_ANSWER breakdowns, the `themeIds` and `search`',
    'filters); `ActionItem.response` needs',
    '`READ_RESPONSES` and, for a MANAGER, a response of the subtree (an item of theirs may follow up another department\'s',
    'response); a Customer\'s details (all fields but `id`, `externalRef`, `createdAt`, `updatedAt`) need `READ_RESPONSES`, so',
    'an INTEGRATION key\'s `upsertCustomers` results give it those four only. Such a field is refused with FORBIDDEN on its path.',
    '',
    'A request without a valid key is refused before any operation runs: HTTP 401, extensions.code UNAUTHENTICATED',
    '(tests/auth.test.ts).',
    '',
    'A MANAGER "yes" without "(subtree)" is organisation-wide: the names and structure of surveys and segments (a segment\'s',
    'score is still counted within the subtree), industry benchmarks and internal standards (of any department: a team',
    'inherits its ancestors\' standard), and `department(id)` / `person(id)`, which answer for any id.',
    '',
  ];
  for (const [kind, table] of [['Query', QUERIES], ['Mutation', MUTATIONS]] as const) {
    lines.push(`## ${kind}`, '', `| ${kind.toLowerCase()} | needs | ${roles.join(' | ')} |`, `|---|---|${roles.map(() => '---').join('|')}|`);
    for (const name of [...operations[kind]].sort()) {
      const needs = table[name]?.needs.map((p) => `\`${p}\``).join(', ') || 'any valid key';
      const got = observed.get(`${kind}.${name}`);
      lines.push(`| \`${name}\` | ${needs} | ${roles.map((r) => cell(got?.[r], r, table[name])).join(' | ')} |`);
    }
    lines.push('');
  }
  const file = path.join(__dirname, '..', 'docs', 'access-matrix.md');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, lines.join('\n'));
}
