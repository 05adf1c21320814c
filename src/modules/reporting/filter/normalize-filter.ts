import { badInput } from '../../../common/errors';
import { parseId } from '../../../common/ids';
import { SurveyKind } from '../../surveys/survey.entity';
import { NpsCategory } from '../nps-category';
import { SEGMENT_FILTER_FIELDS } from './response-filter.input';

/** A validated filter: lists de-duplicated (never empty), ids lower-case, dates as Date. */
export interface NormalizedFilter {
  from?: Date;
  to?: Date;
  departmentIds?: string[];
  surveyIds?: string[];
  surveyKind?: SurveyKind;
  channels?: string[];
  touchpoints?: string[];
  regions?: string[];
  plans?: string[];
  signupChannels?: string[];
  products?: string[];
  tenureMinDays?: number;
  tenureMaxDays?: number;
  spendMin?: number;
  spendMax?: number;
  agentIds?: string[];
  categories?: NpsCategory[];
  hasComment?: boolean;
  minScore?: number;
  maxScore?: number;
}

type Input = Record<string, unknown>;

const present = (v: unknown) => v !== null && v !== undefined;

function date(v: unknown, field: string): Date | undefined {
  if (!present(v)) return undefined;
  const d = v instanceof Date ? v : typeof v === 'string' ? new Date(v) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw badInput(`${field} is not a valid date-time`, field);
  return d;
}

function strings(v: unknown, field: string): string[] | undefined {
  if (!present(v)) return undefined;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw badInput(`${field} must be a list of strings`, field);
  const list = [...new Set(v as string[])];
  return list.length ? list : undefined;
}

function ids(v: unknown, field: string): string[] | undefined {
  const list = strings(v, field);
  return list && [...new Set(list.map((id) => parseId(id, field)))];
}

function int(v: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (!present(v)) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw badInput(`${field} must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}`, field);
  }
  return v;
}

function num(v: unknown, field: string): number | undefined {
  if (!present(v)) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw badInput(`${field} must be a number of at least 0`, field);
  return v;
}

function oneOf<T extends string>(v: unknown, field: string, allowed: readonly T[]): T | undefined {
  if (!present(v)) return undefined;
  if (!allowed.includes(v as T)) throw badInput(`${field} must be one of ${allowed.join(', ')}`, field);
  return v as T;
}

function ordered(lo: number | Date | undefined, hi: number | Date | undefined, field: string, message: string) {
  if (lo !== undefined && hi !== undefined && +lo > +hi) throw badInput(message, field);
}

/**
 * Validates a filter as a client sent it or as a segment stored it. `prefix` names the field in
 * error messages (e.g. "filter" or "segment filter").
 */
export function normalizeFilter(input: Input | null | undefined, prefix = 'filter'): NormalizedFilter {
  if (!input) return {};
  const f = (name: string) => `${prefix}.${name}`;
  const out: NormalizedFilter = {
    from: date(input.from, f('from')),
    to: date(input.to, f('to')),
    departmentIds: ids(input.departmentIds, f('departmentIds')),
    surveyIds: ids(input.surveyIds, f('surveyIds')),
    surveyKind: oneOf(input.surveyKind, f('surveyKind'), Object.values(SurveyKind)),
    channels: strings(input.channels, f('channels')),
    touchpoints: strings(input.touchpoints, f('touchpoints')),
    regions: strings(input.regions, f('regions')),
    plans: strings(input.plans, f('plans')),
    signupChannels: strings(input.signupChannels, f('signupChannels')),
    products: strings(input.products, f('products')),
    tenureMinDays: int(input.tenureMinDays, f('tenureMinDays'), 0),
    tenureMaxDays: int(input.tenureMaxDays, f('tenureMaxDays'), 0),
    spendMin: num(input.spendMin, f('spendMin')),
    spendMax: num(input.spendMax, f('spendMax')),
    agentIds: ids(input.agentIds, f('agentIds')),
    categories: (strings(input.categories, f('categories')) ?? []).map((c) => oneOf(c, f('categories'), Object.values(NpsCategory))!),
    hasComment: present(input.hasComment) ? Boolean(input.hasComment) : undefined,
    minScore: int(input.minScore, f('minScore'), 0, 10),
    maxScore: int(input.maxScore, f('maxScore'), 0, 10),
  };
  if (!out.categories!.length) delete out.categories;
  if (present(input.hasComment) && typeof input.hasComment !== 'boolean') throw badInput(`${f('hasComment')} must be a boolean`, f('hasComment'));
  ordered(out.from, out.to, f('to'), `${f('to')} must be after ${f('from')}`);
  if (out.from && out.to && +out.from === +out.to) throw badInput(`${f('to')} must be after ${f('from')} (to is exclusive)`, f('to'));
  ordered(out.tenureMinDays, out.tenureMaxDays, f('tenureMaxDays'), `${f('tenureMaxDays')} must not be below ${f('tenureMinDays')}`);
  ordered(out.spendMin, out.spendMax, f('spendMax'), `${f('spendMax')} must not be below ${f('spendMin')}`);
  ordered(out.minScore, out.maxScore, f('maxScore'), `${f('maxScore')} must not be below ${f('minScore')}`);
  for (const key of Object.keys(out) as (keyof NormalizedFilter)[]) if (out[key] === undefined) delete out[key];
  return out;
}

/** The JSON a segment stores: the normalized filter with dates as ISO strings. */
export function toStoredFilter(filter: NormalizedFilter): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of SEGMENT_FILTER_FIELDS) {
    const v = filter[key];
    if (v !== undefined) out[key] = v instanceof Date ? v.toISOString() : v;
  }
  return out;
}
