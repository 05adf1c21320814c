import type { RequestContext } from '../../../context';
import { SurveyKind } from '../../surveys/survey.entity';
import type { Dim } from '../facts/rollup-defs';
import { NpsCategory } from '../nps-category';
import { Permission } from '../../auth/permissions';
import { searchMatchSql } from '../../../db/text-search-index';
import { departmentsByCode, mustExist } from './field-checks';
import { amount, dateTime, enumList, enumValue, FieldKind, flag, id, idList, searchText, stringList, wholeNumber } from './field-kinds';
import { after, FieldRule, notBelow, notWith } from './field-rules';

/**
 * One field of a ResponseFilter, and everything that is derived from it: the ResponseFilter input
 * type (response-filter.input.ts), the SegmentFilter object type (segment-filter.type.ts), the
 * normaliser (normalize-filter.ts) and the filter compiler's conditions (filter-compiler.ts).
 */
export interface FilterFieldDef<T, S extends string | false = string | false> {
  /** Its GraphQL type, input checks and normaliser. */
  kind: FieldKind<T>;
  /** Its description on ResponseFilter. */
  description?: string;
  /** Its description on SegmentFilter, or false when a saved segment cannot hold it. */
  segment: S;
  /**
   * The condition it adds, over an alias `a` with the value bound as parameter `v`, and what that
   * reads: the rollup dimension holding it (the same column name on responses and on every rollup
   * that holds it, so one SQL serves both), or 'raw' when only the response rows can answer it.
   * null: the filter compiler plans the field itself (time bounds, categories, the segment).
   * `env` carries what the configuration decides (the text search configuration).
   */
  condition: { reads: Dim | 'raw'; sql: (a: string, v: string, env: FilterEnv) => string } | null;
  /**
   * A permission the caller needs to filter on it (FORBIDDEN naming the field otherwise): fields
   * derived from the verbatims need READ_RESPONSES, which INTEGRATION keys lack.
   */
  requires?: Permission;
  /** A rule with another field, checked after every field is normalised. */
  rule?: FieldRule;
  /** What the value names must exist (NOT_FOUND or BAD_USER_INPUT naming `field`): checked for a request's filter and a segment's when saved. */
  exists?(ctx: RequestContext, value: T, field: string): Promise<void>;
  /**
   * The departments the value names, as [what was written, department id] pairs: a scoped caller
   * naming one outside its subtree is FORBIDDEN (a request's filter, after `exists`), and a score's
   * benchmarks follow the one department a filter names. With `field`, an unknown one is an error
   * naming it; without, it is left out.
   */
  departments?(ctx: RequestContext, value: T, field?: string): Promise<[written: string, id: string][]>;
  /** The value bound as `v` when it is not the normalised value itself (codes resolved to ids). Lenient: a stored segment may name a record since gone. */
  bind?(ctx: RequestContext, value: T): Promise<unknown>;
}

/** What a condition may depend on besides its value: the configuration. */
export interface FilterEnv {
  /** TEXT_SEARCH_LANGUAGE: the text search configuration of the search filter (its GIN index is built for it). */
  textSearchLanguage: string;
}

const field = <T, S extends string | false>(kind: FieldKind<T>, def: Omit<FilterFieldDef<T, S>, 'kind'>): FilterFieldDef<T, S> => ({ kind, ...def });

/**
 * Within the subtrees of the departments bound as `v` (uuid[]): department_subtree() (migration
 * 1764000800000) in a scalar subquery, evaluated once per statement. A recursive CTE written into
 * every condition made PostgreSQL spend longer planning a KPI list's many scopes than running them.
 */
export const inSubtrees = (a: string, v: string) => `${a}.department_id = ANY((SELECT department_subtree(${v}::uuid[]))::uuid[])`;

const customer = (condition: string) => (a: string, v: string) =>
  `EXISTS (SELECT 1 FROM customers c WHERE c.id = ${a}.customer_id AND ${condition.replace(/\$a/g, () => a).replace(/\$v/g, () => v)})`;

const LIST = 'An empty list is the same as leaving the field out.';
const AS_STORED = 'as it was when the response was stored (a customer who changes later does not rewrite past figures)';

/**
 * The one table of filter fields, in the order of the input type. To add a filter dimension, add
 * an entry (and, for a new rollup column, the rollup definitions); nothing else lists the fields.
 */
export const FILTER_FIELDS = {
  from: field(dateTime, { description: 'Inclusive.', segment: 'Inclusive.', condition: null }),
  to: field(dateTime, { description: 'Exclusive.', segment: 'Exclusive.', condition: null, rule: after('from') }),
  departmentIds: field(idList, {
    description: `Each department counts with its whole subtree. ${LIST}`,
    segment: 'Each with its whole subtree.',
    condition: { reads: 'department_id', sql: inSubtrees },
    exists: mustExist('Department', (l) => l.department),
    departments: async (_ctx, ids) => ids.map((i) => [i, i]),
  }),
  departmentCodes: field(stringList, {
    description:
      'Departments by code (their stable business key) instead of by id: each counts with its whole subtree. ' +
      'An unknown code is BAD_USER_INPUT. Name the departments by departmentIds or by departmentCodes, not both (BAD_USER_INPUT): ' +
      `fields combine with AND, so together they would narrow rather than add. ${LIST}`,
    segment: 'Departments by code, each with its whole subtree.',
    condition: { reads: 'department_id', sql: inSubtrees },
    rule: notWith('departmentIds', 'name the departments by id or by code, not both'),
    exists: async (ctx, codes, name) => void (await departmentsByCode(ctx, codes, name)),
    departments: departmentsByCode,
    bind: async (ctx, codes) => (await departmentsByCode(ctx, codes)).map(([, id]) => id),
  }),
  segmentId: field(id, { description: "A saved segment: its filter applies, narrowed by this one's other fields.", segment: false, condition: null }),
  surveyIds: field(idList, {
    description: LIST,
    segment: 'Surveys (any of them).',
    condition: { reads: 'survey_id', sql: (a, v) => `${a}.survey_id = ANY(${v}::uuid[])` },
    exists: mustExist('Survey', (l) => l.survey),
  }),
  surveyKind: field(enumValue(SurveyKind), {
    segment: 'Only surveys of this kind.',
    condition: { reads: 'survey_id', sql: (a, v) => `${a}.survey_id IN (SELECT id FROM surveys WHERE kind = ${v})` },
  }),
  channels: field(stringList, {
    description: LIST,
    segment: 'Response channels (any of them).',
    condition: { reads: 'channel', sql: (a, v) => `${a}.channel = ANY(${v}::text[])` },
  }),
  touchpoints: field(stringList, {
    description: LIST,
    segment: 'Response touchpoints (any of them).',
    condition: { reads: 'touchpoint', sql: (a, v) => `${a}.touchpoint = ANY(${v}::text[])` },
  }),
  // The customer's attributes as they were when the response was stored (copied onto it).
  regions: field(stringList, {
    description: `Customer region, ${AS_STORED}. ${LIST}`,
    segment: 'Customer regions (any of them).',
    condition: { reads: 'region', sql: (a, v) => `${a}.region = ANY(${v}::text[])` },
  }),
  plans: field(stringList, {
    description: `Customer plan or tier, ${AS_STORED}. ${LIST}`,
    segment: 'Customer plans or tiers (any of them).',
    condition: { reads: 'plan', sql: (a, v) => `${a}.plan = ANY(${v}::text[])` },
  }),
  signupChannels: field(stringList, {
    description: `Customer signup channel, ${AS_STORED}. ${LIST}`,
    segment: 'Customer signup channels (any of them).',
    condition: { reads: 'signup_channel', sql: (a, v) => `${a}.signup_channel = ANY(${v}::text[])` },
  }),
  products: field(stringList, {
    description: `Customer product, ${AS_STORED}. ${LIST}`,
    segment: 'Customer products (any of them).',
    condition: { reads: 'product', sql: (a, v) => `${a}.product = ANY(${v}::text[])` },
  }),
  tenureMinDays: field(wholeNumber(0), {
    description: 'Customer tenure at the time of the response, in days, at least (inclusive).',
    segment: 'Customer tenure at the time of the response, in days, at least.',
    condition: { reads: 'raw', sql: customer('$a.responded_at - c.customer_since >= make_interval(days => $v::int)') },
  }),
  tenureMaxDays: field(wholeNumber(0), {
    description: 'Customer tenure at the time of the response, in days, less than (exclusive).',
    segment: 'Customer tenure at the time of the response, in days, less than.',
    condition: { reads: 'raw', sql: customer('$a.responded_at - c.customer_since < make_interval(days => $v::int)') },
    rule: notBelow('tenureMinDays'),
  }),
  spendMin: field(amount, {
    description: "Customer spend, at least (inclusive): the customer's current spend.",
    segment: 'Customer spend, at least.',
    condition: { reads: 'raw', sql: customer('c.spend >= $v::numeric') },
  }),
  spendMax: field(amount, {
    description: "Customer spend, less than (exclusive): the customer's current spend.",
    segment: 'Customer spend, less than.',
    condition: { reads: 'raw', sql: customer('c.spend < $v::numeric') },
    rule: notBelow('spendMin'),
  }),
  customerRefs: field(stringList, {
    description:
      "Only the responses of these customers, by their externalRef (exact). A customer's history (Customer.responses, Customer.score, Customer.scoreTrend) is this filter. " +
      `Names customers: needs READ_RESPONSES (FORBIDDEN otherwise); a saved segment cannot hold it. Answered from the raw rows. ${LIST}`,
    segment: false,
    condition: { reads: 'raw', sql: (a, v) => `${a}.customer_id IN (SELECT c.id FROM customers c WHERE c.external_ref = ANY(${v}::text[]))` },
    requires: Permission.READ_RESPONSES,
  }),
  agentIds: field(idList, {
    description: `Frontline people (agents) involved. ${LIST}`,
    segment: 'Frontline people involved (any of them).',
    condition: { reads: 'agent_id', sql: (a, v) => `${a}.agent_id = ANY(${v}::uuid[])` },
    exists: mustExist('Person', (l) => l.person),
  }),
  categories: field(enumList(NpsCategory), {
    description: `Only these categories (for response lists). ${LIST}`,
    segment: 'Only these categories.',
    condition: null,
  }),
  hasComment: field(flag, {
    description: 'true: only responses with a verbatim; false: only without.',
    segment: 'true: only responses with a verbatim; false: only without.',
    condition: { reads: 'raw', sql: (a, v) => `(coalesce(btrim(${a}.comment), '') <> '') = ${v}::boolean` },
  }),
  minScore: field(wholeNumber(0, 10), {
    description: 'Score at least (0-10).',
    segment: 'Score at least (0-10).',
    condition: { reads: 'raw', sql: (a, v) => `${a}.score >= ${v}::int` },
  }),
  maxScore: field(wholeNumber(0, 10), {
    description: 'Score at most (0-10).',
    segment: 'Score at most (0-10).',
    condition: { reads: 'raw', sql: (a, v) => `${a}.score <= ${v}::int` },
    rule: notBelow('minScore'),
  }),
  themeIds: field(idList, {
    description:
      'Only responses whose comment or follow-up answers mention at least one of these themes (see themes; a response may mention several). Derived from the verbatims: needs READ_RESPONSES (FORBIDDEN otherwise). ' +
      `Answered from the raw rows: drivers and the THEME breakdown count themes through the rollups. ${LIST}`,
    segment: 'Responses mentioning at least one of these themes.',
    condition: { reads: 'raw', sql: (a, v) => `EXISTS (SELECT 1 FROM response_themes rt WHERE rt.response_id = ${a}.id AND rt.theme_id = ANY(${v}::uuid[]))` },
    exists: mustExist('Theme', (l) => l.theme),
    requires: Permission.READ_RESPONSES,
  }),
  search: field(searchText, {
    description:
      'Full-text search in the comment and the follow-up answers, in web-search syntax: words (all of them, stemmed: "deliveries" finds "delivery", "waiting" finds "waited"), "a quoted phrase", or, -word. ' +
      'The language of the stemming is the server\'s TEXT_SEARCH_LANGUAGE (default english); words it ignores ("the", "and") match nothing on their own. ' +
      'Blank: not restricted; at most 500 characters. Derived from the verbatims: needs READ_RESPONSES (FORBIDDEN otherwise). Answered from the raw rows (a GIN index).',
    segment: 'Full-text search in the comment and follow-up answers (web-search syntax).',
    condition: { reads: 'raw', sql: (a, v, env) => searchMatchSql(a, v, env.textSearchLanguage) },
    requires: Permission.READ_RESPONSES,
  }),
};

type Fields = typeof FILTER_FIELDS;
export type FilterFieldName = keyof Fields;
/** The normalised value of a field. */
export type FilterFieldValue<K extends FilterFieldName> = Fields[K] extends FilterFieldDef<infer T> ? T : never;
/** The fields a saved segment may hold (all but segmentId). */
export type SegmentFieldName = { [K in FilterFieldName]: Fields[K] extends FilterFieldDef<unknown, false> ? never : K }[FilterFieldName];

/** The table's entries in order, for the code that walks every field. */
export const FILTER_FIELD_LIST = Object.entries(FILTER_FIELDS) as [FilterFieldName, FilterFieldDef<unknown>][];

/** The fields of ResponseFilter a saved segment may hold. */
export const SEGMENT_FILTER_FIELDS = FILTER_FIELD_LIST.filter(([, f]) => f.segment !== false).map(([name]) => name) as SegmentFieldName[];
