import { badInput, DomainError } from './errors';

/**
 * The one answer to a range given the wrong way round, wherever a start/end pair is checked
 * (filter.from/to, closed-loop and trend series, drivers, comparisons, the executive summary's
 * from/to, action items' createdFrom/createdTo, KPI periods, numeric min/max filters):
 *
 *   BAD_USER_INPUT "<end> must be after <start>", extensions { field: <end>, startField: <start> }
 *
 * The end field is named even when the client left it out and it defaulted to now: the message
 * then ends with "(<end> defaults to now)" and extensions.endDefault is "now". An end equal to its
 * start is refused too (ends are exclusive). Numeric min/max pairs, whose bounds are inclusive and
 * may be equal, answer "<max> must not be below <min>" with the same extensions.
 */
export function rangeOrderError(end: string, start: string, opts: { endDefault?: 'now'; inclusive?: boolean } = {}): DomainError {
  const rule = opts.inclusive ? 'must not be below' : 'must be after';
  const note = opts.endDefault ? ` (${end} defaults to ${opts.endDefault})` : '';
  return badInput(`${end} ${rule} ${start}${note}`, end, { startField: start, ...(opts.endDefault ? { endDefault: opts.endDefault } : {}) });
}

type Bound = Date | number | null | undefined;

/**
 * Throws rangeOrderError when both bounds are given and the end is not after the start (with
 * `inclusive`, when it is below it). Dates compare as instants.
 */
export function assertRangeOrder(
  start: { field: string; value: Bound },
  end: { field: string; value: Bound; endDefault?: 'now' },
  opts: { inclusive?: boolean } = {},
): void {
  if (start.value === null || start.value === undefined || end.value === null || end.value === undefined) return;
  const lo = +start.value;
  const hi = +end.value;
  if (opts.inclusive ? hi < lo : hi <= lo) throw rangeOrderError(end.field, start.field, { endDefault: end.endDefault, inclusive: opts.inclusive });
}
