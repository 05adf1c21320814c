/**
 * The demo's fixed clock. Everything is placed relative to ANCHOR, never to the wall clock, so the
 * same seed gives the same rows whenever it is loaded.
 */
export const ANCHOR = new Date('2026-11-01T00:00:00Z');
export const MONTHS = 18;

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** The first instant of the window of responses: MONTHS before the anchor. */
export function windowStart(anchor: Date = ANCHOR): Date {
  const d = new Date(anchor);
  d.setUTCMonth(d.getUTCMonth() - MONTHS);
  return d;
}

/** Start of the calendar quarter (UTC) holding `at`, shifted by `offset` quarters. */
export function quarterStart(at: Date, offset = 0): Date {
  const q = Math.floor(at.getUTCMonth() / 3) + offset;
  return new Date(Date.UTC(at.getUTCFullYear(), q * 3, 1));
}

/** "Q4 2026" */
export function quarterLabel(start: Date): string {
  return `Q${Math.floor(start.getUTCMonth() / 3) + 1} ${start.getUTCFullYear()}`;
}

export const iso = (ms: number | Date) => new Date(ms).toISOString();
