import { GraphQLSchema, isObjectType } from 'graphql';
import { ANCHOR } from '../seeds';
import { DAY, windowStart } from '../seeds/calendar';

/** Ids the operations need, looked up after seeding. */
export interface BenchIds {
  companyId: string;
  segmentId: string;
}

export interface BenchOp {
  key: string;
  label: string;
  /** Schema coordinates that must exist, e.g. "Query.npsTrend(interval)"; otherwise the op is skipped. */
  requires: string[];
  query: string;
  variables: (ids: BenchIds, run: number) => Record<string, unknown>;
  /** Fewer runs for writes. */
  runs?: number;
}

const SCORE = 'responses promoters passives detractors nps promoterShare detractorShare band marginOfError lowSample';
const from = windowStart(ANCHOR).toISOString();
const to = ANCHOR.toISOString();

export const OPERATIONS: readonly BenchOp[] = [
  {
    key: 'summary',
    label: 'npsSummary, all responses',
    requires: ['Query.npsSummary'],
    query: `query { npsSummary { ${SCORE} } }`,
    variables: () => ({}),
  },
  {
    key: 'summaryFiltered',
    label: 'npsSummary, filter (6 months, EMEA, 2 channels, transactional)',
    requires: ['Query.npsSummary(filter)'],
    query: `query($f: ResponseFilter) { npsSummary(filter: $f) { ${SCORE} } }`,
    variables: () => ({ f: { from: new Date(ANCHOR.getTime() - 182 * DAY).toISOString(), to, regions: ['EMEA'], channels: ['email', 'phone'], surveyKind: 'TRANSACTIONAL' } }),
  },
  {
    key: 'trendMonth',
    label: 'npsTrend MONTH, 18 months',
    requires: ['Query.npsTrend(interval)', 'Query.npsTrend(filter)'],
    query: `query($f: ResponseFilter) { npsTrend(interval: MONTH, filter: $f) { periodStart periodEnd score { ${SCORE} } change { delta significant pValue } } }`,
    variables: () => ({ f: { from, to } }),
  },
  {
    key: 'trendWeek',
    label: 'npsTrend WEEK, 18 months (79 points)',
    requires: ['Query.npsTrend(interval)', 'Query.npsTrend(filter)'],
    query: `query($f: ResponseFilter) { npsTrend(interval: WEEK, filter: $f) { periodStart periodEnd score { ${SCORE} } change { delta significant pValue } } }`,
    variables: () => ({ f: { from, to } }),
  },
  {
    key: 'departmentScores',
    label: 'departmentScores under the company, nested departments',
    requires: ['Query.departmentScores(parentId)'],
    query: `query($p: ID) { departmentScores(parentId: $p) {
      department { code name owner { name title } parent { code } children { code name owner { name } children { code name } } }
      score { ${SCORE} } } }`,
    variables: (ids) => ({ p: ids.companyId }),
  },
  {
    key: 'segment',
    label: 'segment score (Enterprise EMEA)',
    requires: ['Query.segment(id)', 'Segment.score'],
    query: `query($id: ID!) { segment(id: $id) { name description score { ${SCORE} } } }`,
    variables: (ids) => ({ id: ids.segmentId }),
  },
  {
    key: 'responsesPage',
    label: 'responses, page of 50 with nested fields',
    requires: ['Query.responses(first)', 'Response.survey', 'Response.customer', 'Response.department', 'Response.agent'],
    query: `query { responses(first: 50) { totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { id externalRef score category comment respondedAt channel touchpoint
        survey { code name kind } customer { externalRef region plan } department { code name parent { code } } agent { name title } } } } }`,
    variables: () => ({}),
  },
  {
    key: 'kpiTargets',
    label: 'kpiTargets active now, with actuals (58 targets)',
    requires: ['Query.kpiTargets(activeAt)', 'KpiTarget.actual', 'KpiTarget.status', 'KpiTarget.score'],
    query: `query($at: DateTimeISO) { kpiTargets(activeAt: $at) { id name metric target actual gap status
      owner { name title } department { code } segment { name } score { responses nps marginOfError } } }`,
    variables: () => ({ at: new Date(ANCHOR.getTime() - DAY).toISOString() }),
  },
  {
    key: 'actionItemsOverdue',
    label: 'actionItems, overdue, page of 50 with nested fields',
    requires: ['Query.actionItems(filter)', 'ActionItem.response', 'ActionItem.assignee'],
    query: `query { actionItems(first: 50, filter: { overdue: true }) { totalCount
      edges { node { id title status priority dueAt response { score comment } department { code } assignee { name } } } } }`,
    variables: () => ({}),
  },
  {
    key: 'submit1000',
    label: 'submitResponses, 1,000 rows (new)',
    requires: ['Mutation.submitResponses(responses)'],
    runs: 5,
    query: `mutation($rows: [ResponseInput!]!) { submitResponses(responses: $rows) { accepted duplicates rejected } }`,
    variables: (_ids, run) => ({ rows: submitRows(run) }),
  },
];

const CHANNELS = ['email', 'sms', 'phone', 'web', 'in-app'];
const TEAMS = ['CX-SUP-EMEA', 'CX-SUP-AMER', 'CX-SUP-APAC'];

/** 1,000 new responses with unique references per run (now minus a few minutes, so never in the future). */
function submitRows(run: number) {
  const now = Date.now();
  return Array.from({ length: 1000 }, (_, i) => ({
    externalRef: `BENCH-${process.pid}-${run}-${i}`,
    surveyCode: 'TX-SUPPORT-CALL',
    score: (i * 7) % 11,
    respondedAt: new Date(now - (i + 1) * 60_000).toISOString(),
    comment: i % 3 ? null : 'Benchmark comment: the agent solved it on the first call.',
    channel: CHANNELS[i % CHANNELS.length],
    touchpoint: 'support_call',
    departmentCode: TEAMS[i % TEAMS.length],
    customer: { externalRef: `CUST-${10001 + (i % 2000)}` },
  }));
}

/** Which requirements the schema lacks ("Query.segment(id)" needs the field and the argument). */
export function missing(schema: GraphQLSchema, requires: readonly string[]): string[] {
  return requires.filter((req) => {
    const m = /^(\w+)\.(\w+)(?:\((\w+)\))?$/.exec(req);
    if (!m) return true;
    const type = schema.getType(m[1]);
    if (!type || !isObjectType(type)) return true;
    const field = type.getFields()[m[2]];
    if (!field) return true;
    return m[3] ? !field.args.some((a) => a.name === m[3]) : false;
  });
}
