import type { RequestContext } from '../../context';
import { DomainError } from '../../common/errors';
import { resolveAsOf } from '../kpi-targets/kpi-target.rules';
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
 * naming from, to or timeZone), and asOf as kpiTargets and scorecard check it (resolveAsOf:
 * BAD_USER_INPUT naming asOf more than 5 minutes after the request's clock, a figure "as it stood"
 * at an instant still to come does not exist; a later instant within that skew is read as now).
 */
export function summaryPeriod(ctx: RequestContext, args: ExecutiveSummaryArgs): SummaryPeriod {
  const filter = { from: args.from, to: args.to };
  const range = asArguments(() => comparisonRange(filter, args.compareTo, args.timeZone, { required: true })!);
  const asOf = resolveAsOf(args.asOf, ctx.now()) ?? undefined;
  const key = JSON.stringify([args.from, args.to, range.mode, range.zone, asOf ?? null]);
  return { range, asOf, filter, key };
}

/** comparisonRange names filter.from and filter.to (message, field, extensions); here they are the from and to arguments. */
function asArguments<T>(check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (!(err instanceof DomainError) || !err.field?.startsWith('filter.')) throw err;
    const rename = (text: string) => text.replace(/\bfilter\.(from|to)\b/g, '$1');
    const details = err.details && Object.fromEntries(Object.entries(err.details).map(([k, v]) => [k, typeof v === 'string' ? rename(v) : v]));
    throw new DomainError(err.code, rename(err.message), rename(err.field), details);
  }
}
