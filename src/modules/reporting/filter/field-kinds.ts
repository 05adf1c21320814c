import { ArrayMaxSize, IsInt, Max, Min } from 'class-validator';
import { Field, Float, ID, Int } from 'type-graphql';
import { badInput } from '../../../common/errors';
import { parseId } from '../../../common/ids';

/**
 * The kinds of filter field: for each, its GraphQL type, the class-validator checks the input type
 * carries, and the normaliser. The normaliser is the rule: it also reads the filters segments
 * stored, which no input type checked. Every filter field is nullable, and null means "not
 * restricted", as does an empty list.
 */
export interface FieldKind<T> {
  /** The field's GraphQL type, as a type-graphql type function. */
  graphql: GraphqlType;
  /** class-validator decorators for the input type (made per field: a decorator registers one property). */
  validators: () => PropertyDecorator[];
  /** The value validated and normalised; undefined when not restricted. BAD_USER_INPUT naming `field` otherwise. */
  normalize: (value: unknown, field: string) => T | undefined;
}

/** A type-graphql type function, as @Field takes it. */
type GraphqlType = NonNullable<Parameters<typeof Field>[0]>;

/** The most values one list field of an input may hold. */
export const LIST_MAX = 500;

const present = (v: unknown) => v !== null && v !== undefined;

function strings(v: unknown, field: string): string[] | undefined {
  if (!present(v)) return undefined;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw badInput(`${field} must be a list of strings`, field);
  const list = [...new Set(v as string[])];
  return list.length ? list : undefined;
}

function oneOf<T extends string>(v: unknown, field: string, allowed: readonly T[]): T {
  if (!allowed.includes(v as T)) throw badInput(`${field} must be one of ${allowed.join(', ')}`, field);
  return v as T;
}

/** A point in time (DateTimeISO). */
export const dateTime: FieldKind<Date> = {
  graphql: () => Date,
  validators: () => [],
  normalize(v, field) {
    if (!present(v)) return undefined;
    const d = v instanceof Date ? v : typeof v === 'string' ? new Date(v) : new Date(NaN);
    if (Number.isNaN(d.getTime())) throw badInput(`${field} is not a valid date-time`, field);
    return d;
  },
};

/** One ID, lower-cased. An empty string is malformed, not "none". */
export const id: FieldKind<string> = {
  graphql: () => ID,
  validators: () => [],
  normalize: (v, field) => (present(v) ? parseId(v as string, field) : undefined),
};

/** IDs, lower-cased and de-duplicated. */
export const idList: FieldKind<string[]> = {
  graphql: () => [ID],
  validators: () => [ArrayMaxSize(LIST_MAX)],
  normalize(v, field) {
    const list = strings(v, field);
    return list && [...new Set(list.map((s) => parseId(s, field)))];
  },
};

/** Strings as given (exact match), de-duplicated. */
export const stringList: FieldKind<string[]> = {
  graphql: () => [String],
  validators: () => [ArrayMaxSize(LIST_MAX)],
  normalize: strings,
};

/** One value of a GraphQL enum (registered with registerEnumType). */
export function enumValue<E extends string>(values: Record<string, E>): FieldKind<E> {
  return {
    graphql: () => values,
    validators: () => [],
    normalize: (v, field) => (present(v) ? oneOf(v, field, Object.values(values)) : undefined),
  };
}

/** Values of a GraphQL enum, de-duplicated. */
export function enumList<E extends string>(values: Record<string, E>): FieldKind<E[]> {
  return {
    graphql: () => [values],
    validators: () => [],
    normalize: (v, field) => strings(v, field)?.map((s) => oneOf(s, field, Object.values(values))),
  };
}

/** A whole number from `min` (to `max`). */
export function wholeNumber(min: number, max?: number): FieldKind<number> {
  return {
    graphql: () => Int,
    validators: () => [IsInt(), Min(min), ...(max === undefined ? [] : [Max(max)])],
    normalize(v, field) {
      if (!present(v)) return undefined;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || (max !== undefined && v > max)) {
        throw badInput(`${field} must be a whole number from ${min}${max === undefined ? '' : ` to ${max}`}`, field);
      }
      return v;
    },
  };
}

/** A number of at least 0 (an amount). */
export const amount: FieldKind<number> = {
  graphql: () => Float,
  validators: () => [Min(0)],
  normalize(v, field) {
    if (!present(v)) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw badInput(`${field} must be a number of at least 0`, field);
    return v;
  },
};

/** Free text to search for: trimmed; blank is not restricted; at most `SEARCH_MAX` characters. */
export const SEARCH_MAX = 500;
export const searchText: FieldKind<string> = {
  graphql: () => String,
  validators: () => [],
  normalize(v, field) {
    if (!present(v)) return undefined;
    if (typeof v !== 'string') throw badInput(`${field} must be text`, field);
    const text = v.trim();
    if (text.length > SEARCH_MAX) throw badInput(`${field} must be at most ${SEARCH_MAX} characters`, field);
    if (text.includes('\u0000')) throw badInput(`${field} must not contain NUL`, field);
    return text === '' ? undefined : text;
  },
};

/** true or false; both restrict. */
export const flag: FieldKind<boolean> = {
  graphql: () => Boolean,
  validators: () => [],
  normalize(v, field) {
    if (!present(v)) return undefined;
    if (typeof v !== 'boolean') throw badInput(`${field} must be a boolean`, field);
    return v;
  },
};
