import { FILTER_FIELD_LIST, FilterFieldName, FilterFieldValue, SEGMENT_FILTER_FIELDS } from './fields';

/**
 * A validated filter (see fields.ts): only the fields that restrict, lists de-duplicated (never
 * empty), ids lower-case, dates as Date.
 */
export type NormalizedFilter = { [K in FilterFieldName]?: FilterFieldValue<K> };

/**
 * Validates a filter as a client sent it or as a segment stored it, field by field through the
 * table's normalisers, then the rules between fields. `prefix` names the field in error messages
 * (e.g. "filter" or "segment filter").
 */
export function normalizeFilter(input: Readonly<Record<string, unknown>> | null | undefined, prefix = 'filter'): NormalizedFilter {
  if (!input) return {};
  const name = (field: string) => `${prefix}.${field}`;
  const out: Record<string, unknown> = {};
  for (const [key, field] of FILTER_FIELD_LIST) {
    const value = field.kind.normalize(input[key], name(key));
    if (value !== undefined) out[key] = value;
  }
  for (const [key, field] of FILTER_FIELD_LIST) field.rule?.(key, out, name);
  return out as NormalizedFilter;
}

/** The JSON a segment stores: the normalized filter's segment fields, dates as ISO strings. */
export function toStoredFilter(filter: NormalizedFilter): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of SEGMENT_FILTER_FIELDS) {
    const v = filter[key];
    if (v !== undefined) out[key] = v instanceof Date ? v.toISOString() : v;
  }
  return out;
}
