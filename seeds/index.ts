import type { DataSource } from 'typeorm';
import { benchmarksFor, BenchmarkSeed, STANDARDS, StandardSeed } from './benchmarks';
import { buildAutoActionItems, buildManualActionItems, ActionItemSeed, Status, STATUSES } from './action-items';
import { DAY, demoAnchor, iso, windowStart } from './calendar';
import { CustomerSeed, CustomerTable, generateCustomers } from './customers';
import { bulkInsert, col, Queryable } from './insert';
import { buildKpiTargets, KpiTargetSeed, ResponseTally } from './kpi-targets';
import { ALERT_RULES, AlertRuleSeed } from './alert-rules';
import { buildPeople, DEPARTMENTS, departmentOwners, DepartmentSeed, PersonSeed } from './org';
import { Rng, seededUuid } from './random';
import { ResponseSeed, ResponseStream, streamResponses } from './responses';
import { buildSegments, SegmentSeed } from './segments';
import { SurveySeed, SURVEYS } from './surveys';
import { demoInitiatives, insertInitiatives } from './initiatives';
import { creationSnapshot } from '../src/modules/action-items/action-item-row';
import { tagNewResponses } from '../src/modules/themes/tag-responses';
import { loadThemeSet, themeSetVersion } from '../src/modules/themes/theme-set';

interface EventRow {
  id: string;
  itemId: string;
  actor: string;
  at: number;
  field: string;
  from: string | null;
  to: string | null;
  note: string | null;
}

export { demoAnchor } from './calendar';

export const DEFAULT_SEED = 20261101;
export const DEFAULT_RESPONSES = 24_000;
export const DEFAULT_CHUNK = 10_000;

export interface SeedLogger {
  info(obj: object, msg?: string): void;
}

export interface SeedOptions {
  /** PRNG seed: the same seed (and anchor) gives identical rows. */
  seed?: number;
  /**
   * The day the demo's data end: its 00:00 UTC is the anchor, the demo's "now" (responses cover
   * the 18 months before it; targets are for its quarter, the one before and the one after).
   * 'YYYY-MM-DD' or a Date; default today (UTC). Not after today. See demoAnchor.
   */
  anchor?: string | Date | null;
  /** How many responses (default 24,000). Customers scale with it (one per eight responses). */
  responses?: number;
  logger?: SeedLogger;
  /** Called after each chunk of responses is inserted (with their follow-up items and events). */
  onProgress?: (progress: SeedProgress) => void;
  /** Responses generated and inserted per chunk (default 10,000); memory does not grow with the total. */
  chunk?: number;
}

export interface SeedProgress {
  responses: number;
  total: number;
  /** Rows inserted so far in all tables. */
  rows: number;
}

export interface SeedSummary {
  seed: number;
  /** The anchor (00:00 UTC of the anchor date): responses cover the MONTHS before it. */
  anchor: string;
  from: string;
  to: string;
  departments: number;
  people: number;
  surveys: number;
  customers: number;
  segments: number;
  responses: number;
  actionItems: number;
  actionItemEvents: number;
  kpiTargets: number;
  /** Industry benchmarks (illustrative figures) and internal standards. */
  benchmarks: number;
  standards: number;
  /** Significant-shift alert rules (seeds/alert-rules.ts). */
  alertRules: number;
  actionItemsByStatus: Record<Status, number>;
  /** Rows inserted in all tables. */
  rows: number;
  /** Planning: customers' columns and the time-ordered response drafts. */
  generateMs: number;
  /** Generating and inserting the rows, chunk by chunk (generation overlaps the inserts). */
  insertMs: number;
  ms: number;
  rowsPerSecond: number;
}

/** No departments and no responses: nothing anyone would miss. */
export async function isDatabaseEmpty(db: Queryable): Promise<boolean> {
  const [row] = await db.query('SELECT NOT EXISTS (SELECT 1 FROM departments) AND NOT EXISTS (SELECT 1 FROM responses) AS empty');
  return row.empty === true;
}

/** Serialises concurrent seeders (several instances starting at once on one database). */
const SEED_LOCK = 7_261_101;

/**
 * Loads the demo organisation, surveys, customers, responses, segments, KPI targets, action
 * items, industry benchmarks and internal standards, in one transaction, set-based. Rows that already exist under the same business key
 * (department code, person email, survey code, customer or response reference, segment name)
 * are kept and referred to; nothing is updated. Deterministic: the same seed and anchor give the same rows.
 */
export async function seedDemo(ds: DataSource, opts: SeedOptions = {}): Promise<SeedSummary> {
  return (await load(ds, opts, false))!;
}

/** Like seedDemo, but only when the database is empty (checked under the seeding lock); null otherwise. */
export async function seedDemoIfEmpty(ds: DataSource, opts: SeedOptions = {}): Promise<SeedSummary | null> {
  return load(ds, opts, true);
}

interface Generated {
  seed: number;
  anchor: number;
  start: number;
  people: PersonSeed[];
  /** What responses need of the customers; `customers()` makes the full rows again, in order. */
  customerTable: CustomerTable;
  customers: () => Generator<CustomerSeed>;
  /** The responses, made chunk by chunk in time order while inserting. */
  responses: ResponseStream;
  /** Draws the automatic follow-ups, response after response, chunk after chunk. */
  actionItemRng: Rng;
  surveys: Map<string, SurveySeed>;
  sla: Map<string, number>;
  owners: Map<string, string>;
  manual: ActionItemSeed[];
  rng: Rng;
  chunk: number;
  onProgress?: (progress: SeedProgress) => void;
}

/**
 * What does not depend on ids already in the database. Customers and people are made in memory;
 * responses and their follow-ups are made while inserting, a chunk at a time.
 */
function generate(seed: number, responses: number, chunk: number, anchorDate: Date, onProgress?: (p: SeedProgress) => void): Generated {
  if (!Number.isInteger(responses) || responses < 100) throw new RangeError(`responses must be a whole number of at least 100, got ${responses}`);
  if (!Number.isInteger(chunk) || chunk < 1) throw new RangeError(`chunk must be a positive whole number, got ${chunk}`);
  const rng = new Rng(seed);
  const anchor = anchorDate.getTime();
  const start = windowStart(anchorDate).getTime();
  const people = buildPeople(rng.fork('people'));
  const accountManagers = people.filter((p) => p.level === 'AGENT' && p.departmentCode === 'SAL-AM').map((p) => p.email);
  const customerCount = Math.max(50, Math.round(responses / 8));
  const customers = () => generateCustomers(rng.fork('customers'), customerCount, start, anchor, accountManagers);
  const customerTable = new CustomerTable(customerCount);
  for (const c of customers()) customerTable.add(c);
  const stream = streamResponses(rng.fork('responses'), responses, customerTable, people, start, anchor);
  const surveys = new Map(SURVEYS.map((s) => [s.code, s]));
  const sla = new Map(DEPARTMENTS.map((d) => [d.code, d.slaHours]));
  const owners = departmentOwners(people);
  const manual = buildManualActionItems(owners, anchor);
  return {
    seed,
    anchor,
    start,
    people,
    customerTable,
    customers,
    responses: stream,
    actionItemRng: rng.fork('action-items'),
    surveys,
    sla,
    owners,
    manual,
    rng: rng.fork('targets'),
    chunk,
    onProgress,
  };
}

async function load(ds: DataSource, opts: SeedOptions, onlyIfEmpty: boolean): Promise<SeedSummary | null> {
  const seed = opts.seed ?? DEFAULT_SEED;
  const t0 = performance.now();
  const g = generate(seed, opts.responses ?? DEFAULT_RESPONSES, opts.chunk ?? DEFAULT_CHUNK, demoAnchor(opts.anchor), opts.onProgress);
  const t1 = performance.now();
  opts.logger?.info({ seed, anchor: iso(g.anchor), responses: g.responses.total, ms: Math.round(t1 - t0) }, 'demo data planned');
  const counts = await ds.transaction(async (em) => {
    await em.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK]);
    if (onlyIfEmpty && !(await isDatabaseEmpty(em))) return null;
    return insertAll(em, g);
  });
  if (!counts) return null;
  const t2 = performance.now();
  const rows = Object.values(counts).reduce<number>((s, v) => s + (typeof v === 'number' ? v : 0), 0);
  const summary: SeedSummary = {
    seed,
    anchor: iso(g.anchor),
    from: iso(g.start),
    to: iso(g.anchor),
    ...counts,
    rows,
    generateMs: Math.round(t1 - t0),
    insertMs: Math.round(t2 - t1),
    ms: Math.round(t2 - t0),
    rowsPerSecond: Math.round(rows / ((t2 - t0) / 1000)),
  };
  opts.logger?.info({ ...summary }, 'demo data loaded');
  return summary;
}

type Counts = Omit<SeedSummary, 'seed' | 'anchor' | 'from' | 'to' | 'rows' | 'generateMs' | 'insertMs' | 'ms' | 'rowsPerSecond'>;

/** id by business key, for keys just inserted or already there. */
async function idsByKey(db: Queryable, table: string, key: string, keys: readonly string[]): Promise<Map<string, string>> {
  const rows: { id: string; k: string }[] = await db.query(`SELECT id, "${key}" AS k FROM "${table}" WHERE "${key}" = ANY($1::text[])`, [keys]);
  return new Map(rows.map((r) => [r.k, r.id]));
}

function need<V>(map: Map<string, V>, key: string, what: string): V {
  const v = map.get(key);
  if (v === undefined) throw new Error(`seeding: no ${what} ${key}`);
  return v;
}

async function insertAll(db: Queryable, g: Generated): Promise<Counts> {
  const { seed } = g;
  const orgTime = iso(g.start - 30 * DAY);

  // Departments, then their parents (rows that already existed keep theirs).
  const insertedDepts: { code: string }[] = await bulkInsert<DepartmentSeed>(
    db,
    'departments',
    [
      col('id', 'uuid', (d) => seededUuid(seed, 'department', d.code)),
      col('code', 'text', (d) => d.code),
      col('name', 'text', (d) => d.name),
      col('sla_hours', 'int', (d) => d.slaHours),
      col('created_at', 'timestamptz', () => orgTime),
      col('updated_at', 'timestamptz', () => orgTime),
    ],
    DEPARTMENTS,
    { onConflict: '(code) DO NOTHING', returning: 'code' },
  );
  const newDepts = DEPARTMENTS.filter((d) => insertedDepts.some((r) => r.code === d.code));
  const withParent = newDepts.filter((d) => d.parentCode);
  await db.query(
    `UPDATE departments d SET parent_id = p.id FROM unnest($1::text[], $2::text[]) AS x(code, parent_code)
     JOIN departments p ON p.code = x.parent_code WHERE d.code = x.code`,
    [withParent.map((d) => d.code), withParent.map((d) => d.parentCode)],
  );
  const deptId = await idsByKey(db, 'departments', 'code', DEPARTMENTS.map((d) => d.code));

  // People, then their managers; then department owners.
  const byKey = new Map(g.people.map((p) => [p.key, p]));
  const insertedPeople: { email: string }[] = await bulkInsert<PersonSeed>(
    db,
    'people',
    [
      col('id', 'uuid', (p) => seededUuid(seed, 'person', p.email)),
      col('name', 'text', (p) => p.name),
      col('email', 'text', (p) => p.email),
      col('title', 'text', (p) => p.title),
      col('department_id', 'uuid', (p) => need(deptId, p.departmentCode, 'department')),
      col('created_at', 'timestamptz', () => orgTime),
      col('updated_at', 'timestamptz', () => orgTime),
    ],
    g.people,
    { onConflict: '(email) DO NOTHING', returning: 'email' },
  );
  const newEmails = new Set(insertedPeople.map((r) => r.email));
  const managed = g.people.filter((p) => newEmails.has(p.email) && p.managerKey);
  await db.query(
    `UPDATE people p SET manager_id = m.id FROM unnest($1::text[], $2::text[]) AS x(email, manager_email)
     JOIN people m ON m.email = x.manager_email WHERE p.email = x.email`,
    [managed.map((p) => p.email), managed.map((p) => byKey.get(p.managerKey!)!.email)],
  );
  const owners = departmentOwners(g.people);
  const owned = newDepts.filter((d) => owners.has(d.code));
  await db.query(
    `UPDATE departments d SET owner_id = o.id FROM unnest($1::text[], $2::text[]) AS x(code, email)
     JOIN people o ON o.email = x.email WHERE d.code = x.code`,
    [owned.map((d) => d.code), owned.map((d) => byKey.get(owners.get(d.code)!)!.email)],
  );
  const personIdByEmail = await idsByKey(db, 'people', 'email', g.people.map((p) => p.email));
  const personId = (key: string) => need(personIdByEmail, byKey.get(key)!.email, 'person');

  // Surveys and customers.
  const insertedSurveys = await bulkInsert<SurveySeed>(
    db,
    'surveys',
    [
      col('id', 'uuid', (s) => seededUuid(seed, 'survey', s.code)),
      col('code', 'text', (s) => s.code),
      col('name', 'text', (s) => s.name),
      col('kind', 'text', (s) => s.kind),
      col('channel', 'text', (s) => s.channel),
      col('cadence_days', 'int', (s) => s.cadenceDays),
      col('auto_follow_up', 'boolean', (s) => s.autoFollowUp),
      col('created_at', 'timestamptz', () => orgTime),
      col('updated_at', 'timestamptz', () => orgTime),
    ],
    SURVEYS,
    { onConflict: '(code) DO NOTHING', returning: 'id' },
  );
  const surveyIds = await idsByKey(db, 'surveys', 'code', SURVEYS.map((s) => s.code));
  // The big tables skip existing keys up front: a plain INSERT is about twice as fast as ON CONFLICT.
  // Customers, a chunk at a time (the ones whose reference is new); those already there keep
  // their ids (remembered: only when loading into a database that has them).
  const customerCols = [
    col<CustomerSeed>('id', 'uuid', (c) => seededUuid(seed, 'customer', c.externalRef)),
    col<CustomerSeed>('external_ref', 'text', (c) => c.externalRef),
    col<CustomerSeed>('region', 'text', (c) => c.region),
    col<CustomerSeed>('plan', 'text', (c) => c.plan),
    col<CustomerSeed>('spend', 'numeric', (c) => c.spend),
    col<CustomerSeed>('signup_channel', 'text', (c) => c.signupChannel),
    col<CustomerSeed>('customer_since', 'timestamptz', (c) => iso(c.customerSince)),
    col<CustomerSeed>('product', 'text', (c) => c.product),
    col<CustomerSeed>('attributes', 'jsonb', (c) => c.attributes),
    col<CustomerSeed>('created_at', 'timestamptz', (c) => iso(c.customerSince)),
    col<CustomerSeed>('updated_at', 'timestamptz', (c) => iso(c.customerSince)),
  ];
  const customerIdsBefore = new Map<string, string>();
  let newCustomerCount = 0;
  const customerChunk: CustomerSeed[] = [];
  const flushCustomers = async () => {
    const before = await idsByKey(db, 'customers', 'external_ref', customerChunk.map((c) => c.externalRef));
    for (const [k, v] of before) customerIdsBefore.set(k, v);
    const fresh = before.size ? customerChunk.filter((c) => !before.has(c.externalRef)) : customerChunk;
    await bulkInsert<CustomerSeed>(db, 'customers', customerCols, fresh, { chunk: g.chunk });
    newCustomerCount += fresh.length;
    customerChunk.length = 0;
  };
  for (const c of g.customers()) {
    customerChunk.push(c);
    if (customerChunk.length >= g.chunk) await flushCustomers();
  }
  if (customerChunk.length) await flushCustomers();
  // Customers already there keep their ids; new ones have their seeded id (no map of them all).
  const customerId = (ref: string) => customerIdsBefore.get(ref) ?? seededUuid(seed, 'customer', ref);

  // Segments (agent segments name people by id) and KPI targets.
  const segments = buildSegments(g.people, (code) => need(surveyIds, code, 'survey'), personId);
  const insertedSegments = await bulkInsert<SegmentSeed>(
    db,
    'segments',
    [
      col('id', 'uuid', (s) => seededUuid(seed, 'segment', s.name)),
      col('name', 'text', (s) => s.name),
      col('description', 'text', (s) => s.description),
      col('filter', 'jsonb', (s) => s.filter),
      col('created_at', 'timestamptz', () => orgTime),
      col('updated_at', 'timestamptz', () => orgTime),
    ],
    segments,
    { onConflict: '(name) DO NOTHING', returning: 'id' },
  );
  const segmentIds = await idsByKey(db, 'segments', 'name', segments.map((s) => s.name));
  // Responses, in chunks: each chunk with the automatic follow-ups of its new detractors and
  // their history. The next chunk is generated while the database inserts the previous one.
  const responseCols = [
    col<ResponseSeed>('id', 'uuid', (r) => seededUuid(seed, 'response', r.externalRef)),
    col<ResponseSeed>('external_ref', 'text', (r) => r.externalRef),
    col<ResponseSeed>('score', 'smallint', (r) => r.score),
    col<ResponseSeed>('comment', 'text', (r) => r.comment),
    col<ResponseSeed>('follow_up_answers', 'jsonb', (r) => r.followUps),
    col<ResponseSeed>('channel', 'text', (r) => r.channel),
    col<ResponseSeed>('touchpoint', 'text', (r) => r.touchpoint),
    col<ResponseSeed>('survey_id', 'uuid', (r) => need(surveyIds, r.surveyCode, 'survey')),
    col<ResponseSeed>('customer_id', 'uuid', (r) => customerId(r.customer.externalRef)),
    col<ResponseSeed>('department_id', 'uuid', (r) => need(deptId, r.team, 'department')),
    col<ResponseSeed>('agent_id', 'uuid', (r) => (r.agentKey ? personId(r.agentKey) : null)),
    col<ResponseSeed>('responded_at', 'timestamptz', (r) => iso(r.respondedAt)),
    col<ResponseSeed>('received_at', 'timestamptz', (r) => iso(r.receivedAt)),
  ];
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  const counts = { responses: 0, actionItems: 0, actionItemEvents: 0 };
  let rowsSoFar = insertedDepts.length + insertedPeople.length + insertedSurveys.length + newCustomerCount + insertedSegments.length;
  const items = (list: ActionItemSeed[]) => insertActionItems(db, seed, list, deptId, personId, byStatus, counts);
  const tally = new ResponseTally(g.anchor);
  // The themes the verbatims are tagged with, as the ingest does (the version row held FOR SHARE
  // until the seeding transaction commits, so no theme change slips in between).
  const themes = await loadThemeSet(db, await themeSetVersion(db, true));
  const statistics = growingTableStatistics(db);
  const insertChunk = async (chunk: ResponseSeed[], auto: ActionItemSeed[]) => {
    const existing = await idsByKey(db, 'responses', 'external_ref', chunk.map((r) => r.externalRef));
    const fresh = existing.size ? chunk.filter((r) => !existing.has(r.externalRef)) : chunk;
    await bulkInsert<ResponseSeed>(db, 'responses', responseCols, fresh, { chunk: g.chunk });
    await tagNewResponses(
      db,
      themes,
      fresh.map((r) => ({ id: seededUuid(seed, 'response', r.externalRef), comment: r.comment, followUpAnswers: r.followUps })),
    );
    counts.responses += fresh.length;
    const before = counts.actionItems + counts.actionItemEvents;
    await items(existing.size ? auto.filter((a) => !existing.has(a.response!.externalRef)) : auto);
    await statistics.afterChunk(counts.responses);
    rowsSoFar += fresh.length + counts.actionItems + counts.actionItemEvents - before;
    g.onProgress?.({ responses: g.responses.done, total: g.responses.total, rows: rowsSoFar });
  };
  let inflight: Promise<void> | null = null;
  for (;;) {
    const chunk = g.responses.next(g.chunk);
    if (!chunk.length) break;
    tally.add(chunk);
    const auto = buildAutoActionItems(g.actionItemRng, chunk, g.surveys, g.sla, g.owners, g.anchor);
    if (inflight) await inflight;
    inflight = insertChunk(chunk, auto);
  }
  if (inflight) await inflight;

  // The manual improvement items (no response), then the KPI targets: their baselines are the
  // counts tallied while the responses streamed.
  const existingManual = await idsByKey(db, 'action_items', 'external_ref', g.manual.map((a) => a.externalRef!));
  await items(g.manual.filter((a) => !existingManual.has(a.externalRef!)));
  const targets = buildKpiTargets(g.rng, g.people, tally, segments, g.anchor);
  const insertedTargets = await bulkInsert<KpiTargetSeed>(
    db,
    'kpi_targets',
    [
      col('id', 'uuid', (k) => seededUuid(seed, 'kpi-target', `${k.ownerKey}:${k.name}`)),
      col('name', 'text', (k) => k.name),
      col('owner_id', 'uuid', (k) => personId(k.ownerKey)),
      col('metric', 'text', (k) => k.metric),
      col('target', 'float8', (k) => k.target),
      col('tolerance', 'float8', (k) => k.tolerance),
      col('period_start', 'timestamptz', (k) => iso(k.periodStart)),
      col('period_end', 'timestamptz', (k) => iso(k.periodEnd)),
      col('department_id', 'uuid', (k) => (k.departmentCode ? need(deptId, k.departmentCode, 'department') : null)),
      col('segment_id', 'uuid', (k) => (k.segmentName ? need(segmentIds, k.segmentName, 'segment') : null)),
      col('created_at', 'timestamptz', (k) => iso(k.periodStart - 7 * DAY)),
      col('updated_at', 'timestamptz', (k) => iso(k.periodStart - 7 * DAY)),
    ],
    targets,
    {
      // The same target (owner, metric, scope, period) is not added twice.
      where: `NOT EXISTS (SELECT 1 FROM kpi_targets k WHERE k.owner_id = x.owner_id AND k.metric = x.metric
        AND k.period_start = x.period_start AND k.period_end = x.period_end
        AND k.department_id IS NOT DISTINCT FROM x.department_id AND k.segment_id IS NOT DISTINCT FROM x.segment_id)`,
      onConflict: 'DO NOTHING',
      returning: 'id',
    },
  );

  // Industry benchmarks (illustrative figures) and internal standards, on departments and segments.
  const insertedBenchmarks = await bulkInsert<BenchmarkSeed>(
    db,
    'benchmarks',
    [
      col('id', 'uuid', (b) => seededUuid(seed, 'benchmark', `${b.name}:${b.surveyKind}:${b.year}`)),
      col('name', 'text', (b) => b.name),
      col('industry', 'text', (b) => b.industry),
      col('survey_kind', 'text', (b) => b.surveyKind),
      col('value', 'float8', (b) => b.value),
      col('source', 'text', (b) => b.source),
      col('year', 'int', (b) => b.year),
      col('notes', 'text', (b) => b.notes),
      col('created_at', 'timestamptz', () => orgTime),
      col('updated_at', 'timestamptz', () => orgTime),
    ],
    benchmarksFor(new Date(g.anchor)),
    // the same benchmark (name, industry, kind, year in any case) is not added twice
    { onConflict: 'DO NOTHING', returning: 'id' },
  );
  const insertedStandards = await bulkInsert<StandardSeed>(
    db,
    'nps_standards',
    [
      col('id', 'uuid', (s) => seededUuid(seed, 'nps-standard', s.name)),
      col('name', 'text', (s) => s.name),
      col('description', 'text', (s) => s.description),
      col('value', 'float8', (s) => s.value),
      col('survey_kind', 'text', (s) => s.surveyKind),
      col('department_id', 'uuid', (s) => (s.departmentCode ? need(deptId, s.departmentCode, 'department') : null)),
      col('segment_id', 'uuid', (s) => (s.segmentName ? need(segmentIds, s.segmentName, 'segment') : null)),
      col('created_at', 'timestamptz', () => orgTime),
      col('updated_at', 'timestamptz', () => orgTime),
    ],
    STANDARDS,
    // one standard per scope and kind: one already there is kept
    { onConflict: 'DO NOTHING', returning: 'id' },
  );

  // Initiatives on the stories of the score model: one that worked, one that did not (seeds/initiatives.ts).
  await insertInitiatives(db, seed, demoInitiatives(g.start, g.anchor), (code) => need(deptId, code, 'department'), personId, orgTime);
  // Significant-shift alert rules; the same rule (by its seeded id) is not added twice.
  const insertedAlertRules = await bulkInsert<AlertRuleSeed>(
    db,
    'alert_rules',
    [
      col('id', 'uuid', (r) => seededUuid(seed, 'alert-rule', r.name)),
      col('name', 'text', (r) => r.name),
      col('metric', 'text', (r) => r.metric),
      col('department_id', 'uuid', (r) => (r.departmentCode ? need(deptId, r.departmentCode, 'department') : null)),
      col('segment_id', 'uuid', (r) => (r.segmentName ? need(segmentIds, r.segmentName, 'segment') : null)),
      col('window_unit', 'text', (r) => r.window),
      col('time_zone', 'text', (r) => r.timeZone),
      col('compare_to', 'text', (r) => r.compareTo),
      col('min_sample', 'int', (r) => r.minSample),
      col('created_at', 'timestamptz', () => orgTime),
      col('updated_at', 'timestamptz', () => orgTime),
    ],
    ALERT_RULES,
    { onConflict: 'DO NOTHING', returning: 'id' },
  );

  return {
    departments: insertedDepts.length,
    people: insertedPeople.length,
    surveys: insertedSurveys.length,
    customers: newCustomerCount,
    segments: insertedSegments.length,
    responses: counts.responses,
    actionItems: counts.actionItems,
    actionItemEvents: counts.actionItemEvents,
    kpiTargets: insertedTargets.length,
    benchmarks: insertedBenchmarks.length,
    standards: insertedStandards.length,
    alertRules: insertedAlertRules.length,
    actionItemsByStatus: byStatus,
  };
}

/** Inserts action items and their history; adds to the counts. */
async function insertActionItems(
  db: Queryable,
  seed: number,
  items: readonly ActionItemSeed[],
  deptId: Map<string, string>,
  personId: (key: string) => string,
  byStatus: Record<Status, number>,
  counts: { actionItems: number; actionItemEvents: number },
): Promise<void> {
  if (!items.length) return;
  const itemId = (a: ActionItemSeed) => seededUuid(seed, 'action-item', a.key);
  const orNull = (key: string | null) => (key ? personId(key) : null);
  const time = (ms: number | null) => (ms === null ? null : iso(ms));
  await bulkInsert<ActionItemSeed>(
    db,
    'action_items',
    [
      col('id', 'uuid', itemId),
      col('external_ref', 'text', (a) => a.externalRef),
      col('title', 'text', (a) => a.title),
      col('description', 'text', (a) => a.description),
      col('status', 'text', (a) => a.status),
      col('priority', 'text', (a) => a.priority),
      col('version', 'int', (a) => 1 + a.updates.length),
      col('auto_created', 'boolean', (a) => a.autoCreated),
      col('response_id', 'uuid', (a) => (a.response ? seededUuid(seed, 'response', a.response.externalRef) : null)),
      col('department_id', 'uuid', (a) => need(deptId, a.team, 'department')),
      col('owner_id', 'uuid', (a) => orNull(a.ownerKey)),
      col('assignee_id', 'uuid', (a) => orNull(a.assigneeKey)),
      col('due_at', 'timestamptz', (a) => time(a.dueAt)),
      col('first_action_at', 'timestamptz', (a) => time(a.firstActionAt)),
      col('closed_at', 'timestamptz', (a) => time(a.closedAt)),
      col('created_at', 'timestamptz', (a) => iso(a.createdAt)),
      col('updated_at', 'timestamptz', (a) => iso(a.updates.length ? a.updates[a.updates.length - 1].at : a.createdAt)),
    ],
    items,
    { chunk: 10_000 },
  );

  // Their history: the creation (with the values it was created with, as the service records
  // them), then one event per field changed by each update.
  const events: EventRow[] = [];
  for (const a of items) {
    const id = itemId(a);
    const snapshot = creationSnapshot({
      title: a.title,
      description: a.description,
      priority: a.initialPriority,
      responseId: a.response ? seededUuid(seed, 'response', a.response.externalRef) : null,
      departmentId: need(deptId, a.team, 'department'),
      ownerId: orNull(a.ownerKey),
      assigneeId: orNull(a.initialAssigneeKey),
      dueAt: new Date(a.initialDueAt),
      externalRef: a.externalRef,
    });
    events.push({ id: seededUuid(seed, 'action-item-event', `${a.key}:0`), itemId: id, actor: a.createdBy, at: a.createdAt, field: 'created', from: null, to: JSON.stringify(snapshot), note: a.createdNote });
    let n = 0;
    for (const u of a.updates) {
      for (const c of u.changes) {
        const value = (v: string | null) => (c.person ? orNull(v) : v);
        events.push({ id: seededUuid(seed, 'action-item-event', `${a.key}:${++n}`), itemId: id, actor: u.actor, at: u.at, field: c.field, from: value(c.from), to: value(c.to), note: u.note });
      }
    }
  }
  await bulkInsert<EventRow>(
    db,
    'action_item_events',
    [
      col('id', 'uuid', (e) => e.id),
      col('action_item_id', 'uuid', (e) => e.itemId),
      col('actor', 'text', (e) => e.actor),
      col('at', 'timestamptz', (e) => iso(e.at)),
      col('field', 'text', (e) => e.field),
      col('from_value', 'text', (e) => e.from),
      col('to_value', 'text', (e) => e.to),
      col('note', 'text', (e) => e.note),
    ],
    events,
    { chunk: 10_000 },
  );

  for (const a of items) byStatus[a.status]++;
  counts.actionItems += items.length;
  counts.actionItemEvents += events.length;
}

/**
 * The whole load is one transaction, so autovacuum never sees its rows and the planner keeps the
 * statistics of the empty tables. The triggers' statements (rollups, closed-loop counters, theme
 * mentions) then join a chunk's transition table to tables of millions of rows by hashing the
 * big side: at 10M responses inserting one chunk of follow-ups took 11 s, spilling hash batches to
 * disk, and the load slowed quadratically. ANALYZE inside the transaction sees its own rows, so
 * the tables the triggers read are analysed each time the responses have doubled (from 20,000):
 * about a dozen times for 10M, a second or two each.
 */
export function growingTableStatistics(db: { query: (sql: string) => Promise<unknown> }, first = 20_000) {
  let next = first;
  return {
    async afterChunk(responses: number): Promise<void> {
      if (responses < next) return;
      next = responses * 2;
      await db.query('ANALYZE responses, customers, action_items, action_item_events, cl_ledger, response_themes');
    },
  };
}
