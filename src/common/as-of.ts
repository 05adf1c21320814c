import type { RequestContext } from '../context';
import { badInput } from './errors';

/**
 * The instant a report is asked "as of", checked: null/undefined when none was given (the report
 * is as of now, its fast path); an instant after the request's clock (ctx.now()) is BAD_USER_INPUT
 * naming the field, since figures of the future cannot be reproduced. asOf equal to now is allowed.
 */
export function checkAsOf(ctx: RequestContext, asOf: Date | null | undefined, field = 'asOf'): Date | undefined {
  if (asOf === null || asOf === undefined) return undefined;
  if (Number.isNaN(asOf.getTime())) throw badInput(`${field} is not a valid date-time`, field);
  const now = ctx.now();
  if (asOf.getTime() > now.getTime()) {
    throw badInput(`${field} must not be in the future (it is ${asOf.toISOString()}, the server's clock says ${now.toISOString()})`, field);
  }
  return asOf;
}
