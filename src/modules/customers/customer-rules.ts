import { ErrorCode } from '../../common/errors';
import { unstorableJsonProblem } from '../../common/storable-text';
import { UserError } from '../../common/user-error';
import type { CustomerInput } from './customer.inputs';

export const MAX_REF_LENGTH = 200;
export const MAX_LABEL_LENGTH = 100;
export const MAX_SPEND = 999_999_999_999;
export const MAX_ATTRIBUTES_CHARS = 8_192;

export const problem = (field: string, message: string, code: string = ErrorCode.BAD_USER_INPUT): UserError =>
  Object.assign(new UserError(), { code, message, field });

const given = (v: unknown) => v !== null && v !== undefined;

/** A string PostgreSQL can store (no NUL, no unpaired surrogate); the problem names the field. */
export function checkStorable(value: unknown, field: string): UserError | null {
  const message = unstorableJsonProblem(value, field);
  return message ? problem(field, message) : null;
}

/**
 * An external reference: a string, not blank, at most 200 characters, storable, and without
 * leading or trailing whitespace. Such whitespace is refused, not trimmed: " ref" and "ref" would
 * otherwise be two keys, and an integration that sends stray spaces would count a response twice.
 */
export function checkRef(value: unknown, field: string): UserError | null {
  if (typeof value !== 'string' || !/\S/.test(value)) return problem(field, `${field} must not be empty`);
  if (value.length > MAX_REF_LENGTH) return problem(field, `${field} must be at most ${MAX_REF_LENGTH} characters`);
  const unstorable = checkStorable(value, field);
  if (unstorable) return unstorable;
  if (value.trim() !== value) return problem(field, `${field} must not start or end with whitespace`);
  return null;
}

/** An optional label (region, channel...): when given, 1-100 characters, storable. */
export function checkLabel(value: unknown, field: string, max = MAX_LABEL_LENGTH): UserError | null {
  if (!given(value)) return null;
  if (typeof value !== 'string' || value.length < 1 || value.length > max) return problem(field, `${field} must be 1-${max} characters`);
  return checkStorable(value, field);
}

/** The rules of one customer; `prefix` names the fields in messages (e.g. "customer"). First problem or null. */
export function checkCustomer(c: CustomerInput, prefix: string): UserError | null {
  const f = (name: string) => (prefix ? `${prefix}.${name}` : name);
  const first =
    checkRef(c.externalRef, f('externalRef')) ??
    checkLabel(c.region, f('region')) ??
    checkLabel(c.plan, f('plan')) ??
    checkLabel(c.signupChannel, f('signupChannel')) ??
    checkLabel(c.product, f('product'));
  if (first) return first;
  if (given(c.spend) && (typeof c.spend !== 'number' || !Number.isFinite(c.spend) || c.spend < 0 || c.spend > MAX_SPEND)) {
    return problem(f('spend'), `${f('spend')} must be a number from 0 to ${MAX_SPEND}`);
  }
  if (given(c.customerSince) && (!(c.customerSince instanceof Date) || Number.isNaN(c.customerSince.getTime()))) {
    return problem(f('customerSince'), `${f('customerSince')} must be a date-time`);
  }
  if (given(c.attributes)) {
    if (typeof c.attributes !== 'object' || Array.isArray(c.attributes)) return problem(f('attributes'), `${f('attributes')} must be a JSON object`);
    if (JSON.stringify(c.attributes).length > MAX_ATTRIBUTES_CHARS) {
      return problem(f('attributes'), `${f('attributes')} must be at most ${MAX_ATTRIBUTES_CHARS} characters of JSON`);
    }
    // Keys and string values at any depth; the field named is the input's, the message has the path.
    return checkStorable(c.attributes, f('attributes'));
  }
  return null;
}
