import type { RequestContext } from '../../context';
import { badInput, DomainError } from '../../common/errors';
import { comparisonRange } from '../reporting/comparison-range';
import type { CompareTo } from '../reporting/reporting.types';
import type { SummaryPeriod } from './executive-summary.types';

export interface ExecutiveSummaryArgs {
  from: Date;
  to: Date;
  timeZone?: string | null;
  compareTo?: CompareTo | null;
  asOf?: Date | null;
}

/**
 * The summary's arguments, checked once before any section is counted: from, to, compareTo and
 * timeZone by the one check of a comparison (comparisonRange, as npsComparison: BAD_USER_INPUT
 * naming from, to or timeZone), and asOf (BAD_USER_INPUT naming asOf when after the request's clock:
 * a figure "as it stood" at an instant still to come does not exist).
 */
export function summaryPeriod(ctx: RequestContext, args: ExecutiveSummaryArgs): SummaryPeriod {
  const filter = { from: args.from, to: args.to };
  const range = asArguments(() => comparisonRange(filter, args.compareTo, args.timeZone, { required: true })!);
  const asOf = checkAsOf(ctx, args.asOf);
  const key = JSON.stringify([args.from, args.to, range.mode, range.zone, asOf ?? null]);
  return { range, asOf, filter, key };
}

function checkAsOf(ctx: RequestContext, asOf: Date | null | undefined): Date | undefined {
  if (asOf === null || asOf === undefined) return undefined;
  if (Number.isNaN(asOf.getTime())) throw badInput('asOf is not a valid date-time', 'asOf');
  const now = ctx.now();
  if (asOf.getTime() > now.getTime()) {
    throw badInput(`asOf must not be in the future (got ${asOf.toISOString()}, the server's clock says ${now.toISOString()}): figures exist only as they stood at a past instant`, 'asOf');
  }
  return asOf;
}

/** comparisonRange names filter.from and filter.to; here they are the from and to arguments. */
function asArguments<T>(check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (!(err instanceof DomainError) || !err.field?.startsWith('filter.')) throw err;
    const rename = (text: string) => text.replace(/\bfilter\.(from|to)\b/g, '$1');
    throw new DomainError(err.code, rename(err.message), rename(err.field), err.details);
  }
}
