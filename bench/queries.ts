import type { Client } from 'pg';

/** Ids and instants the queries need, looked up in the loaded database. */
export interface BenchIds {
  cxId: string;
  supportId: string;
  segmentId: string;
  segmentPlans: string[];
  segmentRegions: string[];
  tenureSegmentId: string;
  agentId: string;
  ceoId: string;
  /** The wall clock at the start of the run; `to` defaults to it in the API. */
  now: Date;
  lastQuarterFrom: Date;
  lastQuarterTo: Date;
  yearAgo: Date;
}

export type Role = 'ADMIN' | 'MANAGER';

export interface BenchQuery {
  name: string;
  /** Which key: MANAGER is scoped to the support division (CX-SUP). */
  role: Role;
  query: string;
  variables: (ids: BenchIds) => Record<string, unknown>;
  /** The same aggregate(s) written by hand against responses, run in order through pg. */
  raw: (ids: BenchIds) => { text: string; values?: unknown[] }[];
}

const SCORE = 'responses promoters passives detractors nps promoterShare detractorShare band marginOfError lowSample';
const COUNTS = `count(*) FILTER (WHERE score >= 9) AS promoters, count(*) FILTER (WHERE score BETWEEN 7 AND 8) AS passives, count(*) FILTER (WHERE score <= 6) AS detractors`;
const RCOUNTS = COUNTS.replace(/score/g, 'r.score');
/** Every department with the root of each subtree it belongs to. */
const CLOSURE = `WITH RECURSIVE closure(root, id) AS (SELECT id, id FROM departments UNION ALL SELECT c.root, d.id FROM closure c JOIN departments d ON d.parent_id = c.id)`;
/** The start of the calendar quarter before the one starting at `from` (UTC). */
const quarterBefore = (from: Date) => new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() - 3, 1));
const subtree = (param: string) => `${CLOSURE} SELECT ${RCOUNTS} FROM responses r WHERE r.department_id IN (SELECT id FROM closure WHERE root = ${param})`;

const trend = (name: string, interval: 'WEEK' | 'MONTH', zone: string, fromYearAgo: boolean): BenchQuery => ({
  name,
  role: 'ADMIN',
  query: `query($f: ResponseFilter, $tz: String) { npsTrend(interval: ${interval}, timeZone: $tz, filter: $f) { periodStart periodEnd score { ${SCORE} } change { delta significant pValue } } }`,
  variables: (ids) => ({ tz: zone, f: fromYearAgo ? { from: ids.yearAgo.toISOString() } : null }),
  raw: (ids) => [
    {
      text: `SELECT date_trunc('${interval.toLowerCase()}', r.responded_at AT TIME ZONE $1) AS bucket, ${RCOUNTS}
             FROM responses r WHERE r.responded_at >= $2 AND r.responded_at < $3 GROUP BY 1 ORDER BY 1`,
      values: [zone, fromYearAgo ? ids.yearAgo : new Date(0), ids.now],
    },
  ],
});


const DRIVER_FIELDS = `theme { code name } mentions detractorMentions promoterMentions detractorMentionShare promoterMentionShare impact pValue verdict adjustedPValue
  mentioning { nps responses } notMentioning { nps } change { impactDelta detractorMentionShare { delta verdict } mentioning { delta verdict } }`;

/** drivers: per theme and category, mentioning and all, for the quarter and the one before. */
const driversRaw = (ids: BenchIds, scope: string, values: unknown[]) => [
  {
    text: `${CLOSURE} SELECT rt.theme_id, r.responded_at >= $2 AS current, ${RCOUNTS} FROM responses r JOIN response_themes rt ON rt.response_id = r.id
           WHERE r.responded_at >= $1 AND r.responded_at < $3 ${scope} GROUP BY 1, 2`,
    values: [quarterBefore(ids.lastQuarterFrom), ids.lastQuarterFrom, ids.lastQuarterTo, ...values],
  },
  {
    text: `${CLOSURE} SELECT r.responded_at >= $2 AS current, ${RCOUNTS} FROM responses r WHERE r.responded_at >= $1 AND r.responded_at < $3 ${scope} GROUP BY 1`,
    values: [quarterBefore(ids.lastQuarterFrom), ids.lastQuarterFrom, ids.lastQuarterTo, ...values],
  },
];

export const QUERIES: readonly BenchQuery[] = [
  {
    name: 'npsSummary all time',
    role: 'ADMIN',
    query: `query { npsSummary { ${SCORE} } }`,
    variables: () => ({}),
    raw: () => [{ text: `SELECT ${COUNTS} FROM responses` }],
  },
  {
    name: 'npsSummary last quarter',
    role: 'ADMIN',
    query: `query($f: ResponseFilter) { npsSummary(filter: $f) { ${SCORE} } }`,
    variables: (ids) => ({ f: { from: ids.lastQuarterFrom.toISOString(), to: ids.lastQuarterTo.toISOString() } }),
    raw: (ids) => [{ text: `SELECT ${COUNTS} FROM responses WHERE responded_at >= $1 AND responded_at < $2`, values: [ids.lastQuarterFrom, ids.lastQuarterTo] }],
  },
  {
    name: 'npsSummary department subtree (CX)',
    role: 'ADMIN',
    query: `query($f: ResponseFilter) { npsSummary(filter: $f) { ${SCORE} } }`,
    variables: (ids) => ({ f: { departmentIds: [ids.cxId] } }),
    raw: (ids) => [{ text: subtree('$1'), values: [ids.cxId] }],
  },
  {
    name: 'npsSummary segment (Enterprise EMEA)',
    role: 'ADMIN',
    query: `query($f: ResponseFilter) { npsSummary(filter: $f) { ${SCORE} } }`,
    variables: (ids) => ({ f: { segmentId: ids.segmentId } }),
    raw: (ids) => [
      {
        text: `SELECT ${RCOUNTS} FROM responses r JOIN customers c ON c.id = r.customer_id WHERE c.plan = ANY($1::text[]) AND c.region = ANY($2::text[])`,
        values: [ids.segmentPlans, ids.segmentRegions],
      },
    ],
  },
  {
    name: 'departmentScores roots',
    role: 'ADMIN',
    query: `query { departmentScores { department { code name owner { name } } score { ${SCORE} } } }`,
    variables: () => ({}),
    raw: () => [
      {
        text: `${CLOSURE} SELECT c.root, ${RCOUNTS} FROM responses r JOIN closure c ON c.id = r.department_id
               WHERE c.root IN (SELECT id FROM departments WHERE parent_id IS NULL) GROUP BY c.root`,
      },
    ],
  },
  {
    name: 'departmentScores middle (under CX)',
    role: 'ADMIN',
    query: `query($p: ID) { departmentScores(parentId: $p) { department { code name owner { name } children { code } } score { ${SCORE} } } }`,
    variables: (ids) => ({ p: ids.cxId }),
    raw: (ids) => [
      {
        text: `${CLOSURE} SELECT c.root, ${RCOUNTS} FROM responses r JOIN closure c ON c.id = r.department_id
               WHERE c.root IN (SELECT id FROM departments WHERE parent_id = $1) GROUP BY c.root`,
        values: [ids.cxId],
      },
    ],
  },
  trend('npsTrend WEEK 1y UTC', 'WEEK', 'UTC', true),
  trend('npsTrend WEEK 1y Europe/Paris', 'WEEK', 'Europe/Paris', true),
  trend('npsTrend MONTH all UTC', 'MONTH', 'UTC', false),
  trend('npsTrend MONTH all Europe/Paris', 'MONTH', 'Europe/Paris', false),
  {
    name: 'npsBreakdown REGION',
    role: 'ADMIN',
    query: `query { npsBreakdown(by: REGION) { value score { ${SCORE} } } }`,
    variables: () => ({}),
    raw: () => [{ text: `SELECT c.region, ${RCOUNTS} FROM responses r JOIN customers c ON c.id = r.customer_id GROUP BY 1` }],
  },
  {
    name: 'npsBreakdown CHANNEL',
    role: 'ADMIN',
    query: `query { npsBreakdown(by: CHANNEL) { value score { ${SCORE} } } }`,
    variables: () => ({}),
    raw: () => [{ text: `SELECT channel, ${COUNTS} FROM responses GROUP BY 1` }],
  },
  {
    name: 'npsComparison last quarter',
    role: 'ADMIN',
    query: `query($f: ResponseFilter!) { npsComparison(filter: $f) { currentFrom currentTo current { ${SCORE} } previous { ${SCORE} } change { delta significant pValue } } }`,
    variables: (ids) => ({ f: { from: ids.lastQuarterFrom.toISOString(), to: ids.lastQuarterTo.toISOString() } }),
    raw: (ids) => [
      {
        text: `SELECT r.responded_at >= $2 AS current, ${RCOUNTS} FROM responses r WHERE r.responded_at >= $1 AND r.responded_at < $3 GROUP BY 1`,
        values: [new Date(2 * ids.lastQuarterFrom.getTime() - ids.lastQuarterTo.getTime()), ids.lastQuarterFrom, ids.lastQuarterTo],
      },
    ],
  },
  {
    name: 'npsComparison last quarter vs a year before',
    role: 'ADMIN',
    query: `query($f: ResponseFilter!) { npsComparison(filter: $f, compareTo: SAME_PERIOD_LAST_YEAR, timeZone: "UTC") { previousFrom previousTo current { ${SCORE} } previous { ${SCORE} } change { delta verdict pValue } } }`,
    variables: (ids) => ({ f: { from: ids.lastQuarterFrom.toISOString(), to: ids.lastQuarterTo.toISOString() } }),
    raw: (ids) => {
      const yearBefore = (d: Date) => new Date(Date.UTC(d.getUTCFullYear() - 1, d.getUTCMonth(), d.getUTCDate()));
      return [
        {
          text: `SELECT r.responded_at >= $1 AS current, ${RCOUNTS} FROM responses r
                 WHERE (r.responded_at >= $1 AND r.responded_at < $2) OR (r.responded_at >= $3 AND r.responded_at < $4) GROUP BY 1`,
          values: [ids.lastQuarterFrom, ids.lastQuarterTo, yearBefore(ids.lastQuarterFrom), yearBefore(ids.lastQuarterTo)],
        },
      ];
    },
  },
  {
    name: 'movers last quarter vs the quarter before',
    role: 'ADMIN',
    query: `query($f: ResponseFilter!) { movers(filter: $f, compareTo: PREVIOUS_CALENDAR_PERIOD, timeZone: "UTC") {
      total { current { ${SCORE} } previous { nps responses } change { delta verdict } } totalSurveyMix { mixShifted mixAdjustedChange }
      partialPeriod tests discoveries
      movers { kind dimension label rank contribution adjustedPValue lowSample partial mixShifted
        current { nps responses } change { delta pValue verdict } surveyMix { rawChange mixAdjustedChange }
        department { code } segment { name } } } }`,
    variables: (ids) => ({ f: { from: ids.lastQuarterFrom.toISOString(), to: ids.lastQuarterTo.toISOString() } }),
    raw: (ids) => [
      {
        // Both quarters by survey kind and each family's group (segments left out: one more pass each).
        text: `SELECT r.responded_at >= $2 AS current, s.kind, r.department_id, r.channel, r.touchpoint, r.region, r.plan, r.survey_id, r.agent_id, ${RCOUNTS}
               FROM responses r JOIN surveys s ON s.id = r.survey_id WHERE r.responded_at >= $1 AND r.responded_at < $3
               GROUP BY GROUPING SETS ((1, 2), (1, 2, 3), (1, 2, 4), (1, 2, 5), (1, 2, 6), (1, 2, 7), (1, 8), (1, 2, 9))`,
        values: [quarterBefore(ids.lastQuarterFrom), ids.lastQuarterFrom, ids.lastQuarterTo],
      },
    ],
  },
  {
    name: 'MANAGER movers (CX-SUP) last quarter',
    role: 'MANAGER',
    query: `query($f: ResponseFilter!) { movers(filter: $f, compareTo: PREVIOUS_CALENDAR_PERIOD, kinds: [DEPARTMENT, BREAKDOWN], dimensions: [CHANNEL, AGENT]) {
      total { current { nps responses } change { delta verdict } } tests discoveries
      movers { kind dimension label rank contribution adjustedPValue lowSample mixShifted change { delta verdict } } } }`,
    variables: (ids) => ({ f: { from: ids.lastQuarterFrom.toISOString(), to: ids.lastQuarterTo.toISOString() } }),
    raw: (ids) => [
      {
        text: `${CLOSURE} SELECT r.responded_at >= $3 AS current, s.kind, r.department_id, r.channel, r.agent_id, ${RCOUNTS}
               FROM responses r JOIN surveys s ON s.id = r.survey_id
               WHERE r.department_id IN (SELECT id FROM closure WHERE root = $1) AND r.responded_at >= $2 AND r.responded_at < $4
               GROUP BY GROUPING SETS ((1, 2), (1, 2, 3), (1, 2, 4), (1, 2, 5))`,
        values: [ids.supportId, quarterBefore(ids.lastQuarterFrom), ids.lastQuarterFrom, ids.lastQuarterTo],
      },
    ],
  },
  {
    name: 'departmentScores whole tree with change',
    role: 'ADMIN',
    query: `query($f: ResponseFilter) { departmentScores(filter: $f, levels: 5, compareTo: PREVIOUS_CALENDAR_PERIOD) {
      depth department { code name } parent { code } score { ${SCORE} } change { delta pValue verdict previous { nps responses } } } }`,
    variables: (ids) => ({ f: { from: ids.lastQuarterFrom.toISOString(), to: ids.lastQuarterTo.toISOString() } }),
    raw: (ids) => [
      {
        text: `${CLOSURE} SELECT c.root, r.responded_at >= $2 AS current, ${RCOUNTS} FROM responses r JOIN closure c ON c.id = r.department_id
               WHERE r.responded_at >= $1 AND r.responded_at < $3 GROUP BY 1, 2`,
        values: [quarterBefore(ids.lastQuarterFrom), ids.lastQuarterFrom, ids.lastQuarterTo],
      },
    ],
  },
  {
    name: "kpiTargets CEO's tree",
    role: 'ADMIN',
    query: `query($o: ID) { kpiTargets(ownerId: $o, includeReports: true) { id name metric target actual gap status progress
      owner { name title } department { code } segment { name } score { responses nps marginOfError } } }`,
    variables: (ids) => ({ o: ids.ceoId }),
    raw: () => [
      {
        // Each target's counts over its department subtree and period (segments ignored).
        text: `${CLOSURE} SELECT k.id, x.* FROM kpi_targets k
               CROSS JOIN LATERAL (SELECT ${RCOUNTS} FROM responses r WHERE r.responded_at >= k.period_start AND r.responded_at < k.period_end
                 AND (k.department_id IS NULL OR r.department_id IN (SELECT id FROM closure WHERE root = k.department_id))) x`,
      },
    ],
  },
  {
    name: "kpiTargets CEO's tree with contributors",
    role: 'ADMIN',
    query: `query($o: ID) { kpiTargets(ownerId: $o, includeReports: true) { id name metric target actual gap status progress
      owner { name title } department { code } segment { name } score { responses nps marginOfError }
      contributors { kind label responses actual contribution } } }`,
    variables: (ids) => ({ o: ids.ceoId }),
    raw: () => [
      {
        // Each target's counts over its department subtree and period (segments ignored).
        text: `${CLOSURE} SELECT k.id, x.* FROM kpi_targets k
               CROSS JOIN LATERAL (SELECT ${RCOUNTS} FROM responses r WHERE r.responded_at >= k.period_start AND r.responded_at < k.period_end
                 AND (k.department_id IS NULL OR r.department_id IN (SELECT id FROM closure WHERE root = k.department_id))) x`,
      },
    ],
  },
  {
    name: "scorecard CEO",
    role: 'ADMIN',
    query: `query($o: ID!) { scorecard(ownerId: $o) { asOf counts { total onTrack atRisk offTrack noData }
      levels { level people counts { total onTrack atRisk offTrack noData } }
      people { level person { name title } counts { total onTrack atRisk offTrack noData }
        targets { id metric target actual gap status progress department { code } segment { name } } } } }`,
    variables: (ids) => ({ o: ids.ceoId }),
    raw: (ids) => [
      {
        // The CEO's chain, its targets active now, each target's counts over its department subtree and period (segments ignored).
        text: `${CLOSURE}, chain(id) AS (SELECT $1::uuid UNION SELECT p.id FROM people p JOIN chain ON p.manager_id = chain.id)
               SELECT k.id, x.* FROM kpi_targets k
               CROSS JOIN LATERAL (SELECT ${RCOUNTS} FROM responses r WHERE r.responded_at >= k.period_start AND r.responded_at < k.period_end
                 AND (k.department_id IS NULL OR r.department_id IN (SELECT id FROM closure WHERE root = k.department_id))) x
               WHERE k.owner_id IN (SELECT id FROM chain) AND k.period_start <= $2 AND k.period_end > $2`,
        values: [ids.ceoId, ids.now],
      },
    ],
  },
  {
    name: 'executiveSummary last quarter vs the quarter before',
    role: 'ADMIN',
    query: `query($from: DateTimeISO!, $to: DateTimeISO!) { executiveSummary(from: $from, to: $to, compareTo: PREVIOUS_CALENDAR_PERIOD, timeZone: "UTC") {
      asOf partialPeriod
      company { current { ${SCORE} confidenceLow confidenceHigh } change { delta pValue verdict } }
      volume { responses previousResponses changePercent }
      departments { department { code name } score { ${SCORE} } change { delta verdict } }
      movers { tests discoveries movers { kind dimension label rank contribution lowSample partial mixShifted change { delta verdict } department { code } } }
      kpis { counts { total onTrack atRisk offTrack noData } offTrack { target { name metric target actual gap owner { name title } department { code } } topContributors { label contribution } } }
      closedLoop { detractors followUpRate medianHoursToFirstAction medianHoursToClose closedWithinSlaRate open overdue }
      drivers(limit: 3) { verbatims untaggedShare
        detractorDrivers { responses untaggedShare themesMentioned drivers { ${DRIVER_FIELDS} samples { text question response { id score } } } }
        promoterDrivers { responses untaggedShare themesMentioned drivers { ${DRIVER_FIELDS} samples { text question response { id score } } } } }
      benchmarks { surveyKind score { nps responses marginOfError } gaps { kind name value gap significant } } } }`,
    variables: (ids) => ({ from: ids.lastQuarterFrom.toISOString(), to: ids.lastQuarterTo.toISOString() }),
    raw: (ids) => [
      {
        // Both quarters: the total, each survey kind, each division's subtree (below the root), each department's own
        // responses and each channel, touchpoint, region, plan, survey and agent (segments left out).
        text: `${CLOSURE} SELECT r.responded_at >= $2 AS current, s.kind, c.root, r.department_id, r.channel, r.touchpoint, r.region, r.plan, r.survey_id, r.agent_id, ${RCOUNTS}
               FROM responses r JOIN surveys s ON s.id = r.survey_id
               LEFT JOIN closure c ON c.id = r.department_id AND c.root IN (SELECT d.id FROM departments d JOIN departments p ON p.id = d.parent_id WHERE p.parent_id IS NULL)
               WHERE r.responded_at >= $1 AND r.responded_at < $3
               GROUP BY GROUPING SETS ((1, 2), (1, 3), (1, 2, 4), (1, 2, 5), (1, 2, 6), (1, 2, 7), (1, 2, 8), (1, 9), (1, 2, 10))`,
        values: [quarterBefore(ids.lastQuarterFrom), ids.lastQuarterFrom, ids.lastQuarterTo],
      },
      {
        // The targets running at the end of the quarter, each over its department subtree and period (segments ignored).
        text: `${CLOSURE} SELECT k.id, x.* FROM kpi_targets k
               CROSS JOIN LATERAL (SELECT ${RCOUNTS} FROM responses r WHERE r.responded_at >= k.period_start AND r.responded_at < k.period_end
                 AND (k.department_id IS NULL OR r.department_id IN (SELECT id FROM closure WHERE root = k.department_id))) x
               WHERE k.period_start <= $1 AND k.period_end > $1`,
        values: [new Date(ids.lastQuarterTo.getTime() - 1)],
      },
      {
        text: `SELECT count(DISTINCT r.id) AS detractors, count(a.id) AS items, count(a.closed_at) AS closed,
                      count(*) FILTER (WHERE a.closed_at <= a.due_at) AS within_sla, count(*) FILTER (WHERE a.closed_at IS NULL AND a.due_at < now()) AS overdue
               FROM responses r LEFT JOIN action_items a ON a.response_id = r.id WHERE r.score <= 6 AND r.responded_at >= $1 AND r.responded_at < $2`,
        values: [ids.lastQuarterFrom, ids.lastQuarterTo],
      },
      // The drivers section: per theme and category, mentioning and all, for both quarters.
      ...driversRaw(ids, '', []),
    ],
  },
  {
    name: 'closedLoop all time',
    role: 'ADMIN',
    query: `query { closedLoop { detractors actionItems followUpRate closed closedWithinSla closedWithinSlaRate } }`,
    variables: () => ({}),
    raw: () => [
      {
        text: `SELECT count(DISTINCT r.id) AS detractors, count(a.id) AS items, count(a.closed_at) AS closed,
                      count(*) FILTER (WHERE a.closed_at <= a.due_at) AS within_sla
               FROM responses r LEFT JOIN action_items a ON a.response_id = r.id WHERE r.score <= 6`,
      },
    ],
  },
  {
    name: 'responses page 50 + totalCount',
    role: 'ADMIN',
    query: `query { responses(first: 50) { totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { id externalRef score category comment respondedAt channel touchpoint
        survey { code name kind } customer { externalRef region plan } department { code name parent { code } } agent { name title } } } } }`,
    variables: () => ({}),
    raw: () => [
      { text: `SELECT count(*) FROM responses` },
      {
        text: `SELECT r.*, s.code, s.name, s.kind, c.external_ref, c.region, c.plan, d.code, d.name, p.code AS parent, a.name, a.title
               FROM responses r JOIN surveys s ON s.id = r.survey_id LEFT JOIN customers c ON c.id = r.customer_id
               JOIN departments d ON d.id = r.department_id LEFT JOIN departments p ON p.id = d.parent_id LEFT JOIN people a ON a.id = r.agent_id
               ORDER BY r.responded_at DESC, r.id DESC LIMIT 51`,
      },
    ],
  },
  {
    name: 'MANAGER team (CX-SUP) scores + summary',
    role: 'MANAGER',
    query: `query($p: ID, $f: ResponseFilter) { departmentScores(parentId: $p) { department { code } score { ${SCORE} } }
      npsSummary(filter: $f) { ${SCORE} } }`,
    variables: (ids) => ({ p: ids.supportId, f: { from: ids.lastQuarterFrom.toISOString(), to: ids.lastQuarterTo.toISOString() } }),
    raw: (ids) => [
      {
        text: `${CLOSURE} SELECT c.root, ${RCOUNTS} FROM responses r JOIN closure c ON c.id = r.department_id
               WHERE c.root IN (SELECT id FROM departments WHERE parent_id = $1) GROUP BY c.root`,
        values: [ids.supportId],
      },
      {
        text: `${CLOSURE} SELECT ${RCOUNTS} FROM responses r WHERE r.department_id IN (SELECT id FROM closure WHERE root = $1) AND r.responded_at >= $2 AND r.responded_at < $3`,
        values: [ids.supportId, ids.lastQuarterFrom, ids.lastQuarterTo],
      },
    ],
  },
  {
    name: 'drivers last quarter vs the one before',
    role: 'ADMIN',
    query: `query($f: ResponseFilter) { drivers(filter: $f, compareTo: PREVIOUS_CALENDAR_PERIOD) { score { ${SCORE} } verbatims untagged untaggedShare
      detractorDrivers { responses verbatims untaggedShare drivers { ${DRIVER_FIELDS} samples { text question response { id score } } } }
      promoterDrivers { responses verbatims untaggedShare drivers { ${DRIVER_FIELDS} samples { text question response { id score } } } }
      themes { theme { code } impact mentions } } }`,
    variables: (ids) => ({ f: { from: ids.lastQuarterFrom.toISOString(), to: ids.lastQuarterTo.toISOString() } }),
    raw: (ids) => driversRaw(ids, '', []),
  },
  {
    name: 'drivers MANAGER team (CX-SUP) last quarter',
    role: 'MANAGER',
    query: `query($f: ResponseFilter) { drivers(filter: $f, compareTo: PREVIOUS_CALENDAR_PERIOD) { score { ${SCORE} } untaggedShare
      detractorDrivers { drivers { ${DRIVER_FIELDS} samples { text question response { id score } } } } promoterDrivers { drivers { theme { code } promoterMentions impact } } } }`,
    variables: (ids) => ({ f: { from: ids.lastQuarterFrom.toISOString(), to: ids.lastQuarterTo.toISOString() } }),
    raw: (ids) => driversRaw(ids, 'AND r.department_id IN (SELECT id FROM closure WHERE root = $4)', [ids.supportId]),
  },
  {
    name: 'mix: Kolkata trend, agent, tenure segment',
    role: 'ADMIN',
    query: `query($agent: ResponseFilter, $tenure: ResponseFilter) {
      trend: npsTrend(interval: MONTH, timeZone: "Asia/Kolkata") { periodStart score { ${SCORE} } change { delta significant } }
      agent: npsSummary(filter: $agent) { ${SCORE} }
      tenure: npsSummary(filter: $tenure) { ${SCORE} }
      tenureByPlan: npsBreakdown(by: PLAN, filter: $tenure) { value score { ${SCORE} } } }`,
    variables: (ids) => ({ agent: { agentIds: [ids.agentId] }, tenure: { segmentId: ids.tenureSegmentId } }),
    raw: (ids) => [
      {
        text: `SELECT date_trunc('month', r.responded_at AT TIME ZONE 'Asia/Kolkata') AS bucket, ${RCOUNTS} FROM responses r WHERE r.responded_at < $1 GROUP BY 1 ORDER BY 1`,
        values: [ids.now],
      },
      { text: `SELECT ${COUNTS} FROM responses WHERE agent_id = $1`, values: [ids.agentId] },
      { text: `SELECT ${RCOUNTS} FROM responses r JOIN customers c ON c.id = r.customer_id WHERE r.responded_at - c.customer_since < interval '90 days'` },
      { text: `SELECT c.plan, ${RCOUNTS} FROM responses r JOIN customers c ON c.id = r.customer_id WHERE r.responded_at - c.customer_since < interval '90 days' GROUP BY 1` },
    ],
  },
];

/** What the throughput clients loop over: a leadership dashboard's questions. */
export const DASHBOARD = ['npsSummary all time', 'npsSummary last quarter', 'departmentScores roots', 'npsTrend WEEK 1y UTC', 'npsBreakdown REGION', "kpiTargets CEO's tree"];

/** The cheapest authenticated query. */
export const TRIVIAL = `query { viewer { name role } }`;

export async function lookupIds(c: Client, now: Date): Promise<BenchIds> {
  const one = async (sql: string, values: unknown[] = []) => {
    const { rows } = await c.query(sql, values);
    if (!rows.length) throw new Error(`bench: nothing for ${sql} ${JSON.stringify(values)}`);
    return rows[0];
  };
  const dept = async (code: string) => (await one(`SELECT id FROM departments WHERE code = $1`, [code])).id as string;
  const seg = await one(`SELECT id, filter FROM segments WHERE name = 'Enterprise EMEA'`);
  const tenure = await one(`SELECT id FROM segments WHERE name = 'New customers (< 90 days)'`);
  const agent = await one(`SELECT agent_id FROM responses WHERE agent_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`);
  const ceo = await one(`SELECT p.id FROM people p JOIN departments d ON d.owner_id = p.id WHERE d.parent_id IS NULL ORDER BY d.code LIMIT 1`);
  const q = Math.floor(now.getUTCMonth() / 3);
  return {
    cxId: await dept('CX'),
    supportId: await dept('CX-SUP'),
    segmentId: seg.id,
    segmentPlans: seg.filter.plans,
    segmentRegions: seg.filter.regions,
    tenureSegmentId: tenure.id,
    agentId: agent.agent_id,
    ceoId: ceo.id,
    now,
    lastQuarterFrom: new Date(Date.UTC(now.getUTCFullYear(), (q - 1) * 3, 1)),
    lastQuarterTo: new Date(Date.UTC(now.getUTCFullYear(), q * 3, 1)),
    yearAgo: new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), now.getUTCDate())),
  };
}
