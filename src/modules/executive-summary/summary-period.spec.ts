import type { RequestContext } from '../../context';
import { DomainError } from '../../common/errors';
import { CompareTo } from '../reporting/reporting.types';
import { summaryPeriod } from './summary-period';

const now = new Date('2025-05-15T00:00:00Z');
const ctx = { now: () => now } as RequestContext;
const APRIL = { from: new Date('2025-04-01T00:00:00Z'), to: new Date('2025-05-01T00:00:00Z') };

/** The error's code and field, or null when none is thrown. */
function refusal(fn: () => unknown): { code: string; field?: string; message: string; startField?: unknown } | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    return { code: err.code, field: err.field, message: err.message, ...(err.details?.startField ? { startField: err.details.startField } : {}) };
  }
}

describe('summaryPeriod', () => {
  it('gives the range compareTo names (March for April, as npsComparison) and keeps asOf', () => {
    const p = summaryPeriod(ctx, { ...APRIL, compareTo: CompareTo.PREVIOUS_CALENDAR_PERIOD, asOf: new Date('2025-04-15T00:00:00Z') });
    expect(p.range.period).toMatchObject({ comparable: true, from: new Date('2025-03-01T00:00:00Z'), to: APRIL.from });
    expect(p.asOf).toEqual(new Date('2025-04-15T00:00:00Z'));
    expect(p.filter).toEqual(APRIL);
    expect(summaryPeriod(ctx, APRIL)).toMatchObject({ asOf: undefined, range: { mode: CompareTo.PREVIOUS_PERIOD, zone: 'UTC' } });
  });

  it('tells the arguments apart in its key', () => {
    const keys = new Set([
      summaryPeriod(ctx, APRIL).key,
      summaryPeriod(ctx, { ...APRIL, asOf: now }).key,
      summaryPeriod(ctx, { ...APRIL, compareTo: CompareTo.SAME_PERIOD_LAST_YEAR }).key,
      summaryPeriod(ctx, { ...APRIL, timeZone: 'Europe/Paris' }).key,
    ]);
    expect(keys.size).toBe(4);
  });

  it('names from and to (not filter.from and filter.to) in what it refuses', () => {
    expect(refusal(() => summaryPeriod(ctx, { from: APRIL.to, to: APRIL.from }))).toEqual({ code: 'BAD_USER_INPUT', field: 'to', message: 'to must be after from', startField: 'from' });
    const offMidnight = refusal(() => summaryPeriod(ctx, { ...APRIL, from: new Date('2025-04-01T12:00:00Z'), compareTo: CompareTo.PREVIOUS_CALENDAR_PERIOD }));
    expect(offMidnight).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
    expect(offMidnight!.message).not.toMatch(/filter\./);
    expect(refusal(() => summaryPeriod(ctx, { ...APRIL, timeZone: 'Mars/Olympus' }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'timeZone' });
  });

  it('checks asOf as kpiTargets does: more than 5 minutes after the clock refused, within them read as now', () => {
    expect(refusal(() => summaryPeriod(ctx, { ...APRIL, asOf: new Date(now.getTime() + 5 * 60_000 + 1) }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'asOf' });
    expect(refusal(() => summaryPeriod(ctx, { ...APRIL, asOf: new Date(NaN) }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'asOf' });
    expect(summaryPeriod(ctx, { ...APRIL, asOf: new Date(now.getTime() + 60_000) }).asOf).toEqual(now);
    expect(summaryPeriod(ctx, { ...APRIL, asOf: now }).asOf).toEqual(now);
  });
});
