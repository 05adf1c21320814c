/**
 * The demo's clock. Everything is placed relative to the anchor, never to the wall clock, so the
 * same seed and anchor give the same rows whenever they are loaded. The anchor is 00:00 UTC of a
 * date (DEMO_ANCHOR_DATE, `npm run seed -- --anchor`, SeedOptions.anchor; default: today in UTC):
 * the demo's data end there, so a demo loaded today is up to date.
 */
export const MONTHS = 18;

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** The earliest anchor: its window of responses (and customers before it) stays after 2000-01-01, the earliest respondedAt ingest accepts. */
export const MIN_ANCHOR_DATE = '2003-01-01';

/**
 * The anchor instant of a date: 00:00 UTC of `date` ('YYYY-MM-DD' or a Date, whose UTC day is
 * taken), or of today (UTC) when none is given. RangeError for a malformed or impossible date, a
 * date before MIN_ANCHOR_DATE, or one after today (the demo would hold responses from the future).
 */
export function demoAnchor(date?: string | Date | null, today: Date = new Date()): Date {
  const midnight = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  let anchor: Date;
  if (date === null || date === undefined || date === '') anchor = midnight(today);
  else if (date instanceof Date) {
    if (Number.isNaN(date.getTime())) throw new RangeError('the demo anchor is not a valid date');
    anchor = midnight(date);
  } else {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
    anchor = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : new Date(NaN);
    if (!m || Number.isNaN(anchor.getTime()) || anchor.toISOString().slice(0, 10) !== date.trim()) {
      throw new RangeError(`the demo anchor must be a date YYYY-MM-DD, got ${JSON.stringify(date)}`);
    }
  }
  if (anchor.getTime() < Date.parse(MIN_ANCHOR_DATE)) throw new RangeError(`the demo anchor must be ${MIN_ANCHOR_DATE} or later, got ${iso(anchor).slice(0, 10)}`);
  if (anchor.getTime() > midnight(today).getTime()) {
    throw new RangeError(`the demo anchor ${iso(anchor).slice(0, 10)} is after today (${iso(midnight(today)).slice(0, 10)}, UTC): the demo would hold responses from the future`);
  }
  return anchor;
}

/** The first instant of the window of responses: MONTHS before the anchor. */
export function windowStart(anchor: Date): Date {
  const d = new Date(anchor);
  d.setUTCMonth(d.getUTCMonth() - MONTHS);
  return d;
}

/** The month index (year * 12 + month, UTC) of an instant: the score model's stories are placed in months before the anchor's. */
export const monthIndex = (at: number | Date) => {
  const d = new Date(at);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};

/** 00:00 UTC of the first day of a month index. */
export const monthStart = (index: number) => Date.UTC(Math.floor(index / 12), index % 12, 1);

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
