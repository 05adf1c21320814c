/**
 * Splits a time range into the pieces each fact source can answer exactly: whole UTC days from a
 * day rollup, whole hours from an hour rollup, and the fragments left at the edges (a bound off an
 * hour edge, `to` defaulting to now, a half-hour time zone's midnight) from the raw rows. Bounds are
 * epoch milliseconds; ±Infinity means unbounded.
 */
export type Source = 'day' | 'hour' | 'raw';

export interface TimeSegment {
  source: Source;
  lo: number;
  hi: number;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

const ceilTo = (t: number, unit: number) => (Number.isFinite(t) ? Math.ceil(t / unit) * unit : t);
const floorTo = (t: number, unit: number) => (Number.isFinite(t) ? Math.floor(t / unit) * unit : t);

function hours(lo: number, hi: number, useHour: boolean): TimeSegment[] {
  const a = ceilTo(lo, HOUR_MS);
  const b = floorTo(hi, HOUR_MS);
  if (!useHour || a >= b) return [{ source: 'raw', lo, hi }];
  return [
    { source: 'raw', lo, hi: a },
    { source: 'hour', lo: a, hi: b },
    { source: 'raw', lo: b, hi },
  ];
}

/** The pieces of [lo, hi), in time order, none empty; `useDay`/`useHour`: whether a rollup of that grain covers the question. */
export function splitRange(lo: number, hi: number, useDay: boolean, useHour: boolean): TimeSegment[] {
  if (!(lo < hi)) return [];
  const a = ceilTo(lo, DAY_MS);
  const b = floorTo(hi, DAY_MS);
  const pieces = useDay && a < b ? [...hours(lo, a, useHour), { source: 'day' as const, lo: a, hi: b }, ...hours(b, hi, useHour)] : hours(lo, hi, useHour);
  return pieces.filter((s) => s.lo < s.hi);
}
