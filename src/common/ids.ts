import { badInput } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isId = (value: string): boolean => UUID.test(value);

/** Validates an ID argument; a malformed one is a clear BAD_USER_INPUT naming the field. */
export function parseId(value: string, field: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) {
    throw badInput(`${field} is not a valid ID: ${JSON.stringify(value)}`, field);
  }
  return value.toLowerCase();
}

export function parseIds(values: readonly string[] | null | undefined, field: string): string[] | undefined {
  if (values === null || values === undefined) return undefined;
  return [...new Set(values.map((v) => parseId(v, field)))];
}

export function parseOptionalId(value: string | null | undefined, field: string): string | undefined {
  return value === null || value === undefined ? undefined : parseId(value, field);
}
