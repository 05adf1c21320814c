import { coerceInputValue, GraphQLInputObjectType } from 'graphql';
import { problem } from '../customers/customer-rules';
import type { RowError } from './ingest-rules';
import type { ResponseInput } from './response.inputs';

/** A loose row as the input type's coercion left it: the typed row, or why it could not be read. */
export interface CoercedRow {
  row: ResponseInput | null;
  error: RowError | null;
}

const REQUIRED = /^Field "([^"]+)" of required type "[^"]+" was not provided\.?$/;
const UNKNOWN = /^Field "([^"]+)" is not defined by type "[^"]+"\.?/;

/** The dotted field of a coercion error: its path, plus the field a missing/unknown-field message names. */
export function coercionField(path: readonly (string | number)[], message: string): string | null {
  const named = REQUIRED.exec(message)?.[1] ?? UNKNOWN.exec(message)?.[1];
  const parts = [...path.map(String), ...(named ? [named] : [])];
  return parts.length ? parts.join('.') : null;
}

/**
 * Reads one loosely typed JSON row through the same GraphQL input type as the typed list
 * (`type` is the schema's ResponseInput), so it is coerced exactly as `submitResponses` would
 * coerce it: a string score, a date without a time or offset, a missing required field, an unknown
 * field or a value of the wrong type make this row REJECTED (BAD_USER_INPUT naming the field), not
 * the request. The business rules (checkRow) run afterwards, as for typed rows.
 */
export function coerceLooseRow(value: unknown, type: GraphQLInputObjectType): CoercedRow {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const error = problem('', `A row must be a JSON object with the fields of ResponseInput, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`);
    return { row: null, error: Object.assign(error, { field: null }) };
  }
  let first: RowError | null = null;
  const row = coerceInputValue(value, type, (path, _invalid, error) => {
    if (first) return;
    const field = coercionField(path, error.message);
    first = Object.assign(problem(field ?? '', field ? `${field}: ${error.message}` : error.message), { field });
  }) as ResponseInput | undefined;
  if (first) return { row: null, error: first };
  return { row: row ?? null, error: row ? null : Object.assign(problem('', 'The row could not be read as a ResponseInput'), { field: null }) };
}
