import { criticalZ } from './compare';

/** A proportion with its Wilson score interval, in percent (0..100). */
export interface WilsonFigures {
  /** Successes (e.g. responses linked to an invitation). */
  part: number;
  /** Trials (e.g. invitations sent). */
  whole: number;
  /** Plain 100 * part / whole; null when whole is 0. */
  rate: number | null;
  /** Wilson interval bounds in percent; null when whole is 0. */
  low: number | null;
  high: number | null;
}

/**
 * The Wilson score interval (Wilson 1927) for part successes out of whole trials:
 * centre = (p + z^2/2n) / (1 + z^2/n), half-width = z / (1 + z^2/n) * sqrt(p(1-p)/n + z^2/4n^2).
 * Unlike the plain Wald interval it stays inside [0, 100] and is not zero-width at 0% or 100%.
 * z is 1.96 at 95% (the brief's value), the normal quantile otherwise.
 */
export function wilsonInterval(part: number, whole: number, options?: { confidence?: number }): WilsonFigures {
  if (!Number.isSafeInteger(part) || !Number.isSafeInteger(whole) || part < 0 || part > whole) {
    throw new RangeError(`wilsonInterval needs whole numbers with 0 <= part <= whole, got ${part} of ${whole}`);
  }
  if (whole === 0) return { part, whole, rate: null, low: null, high: null };
  const z = criticalZ(options?.confidence ?? 0.95);
  const n = whole;
  const p = part / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { part, whole, rate: 100 * p, low: 100 * Math.max(0, centre - half), high: 100 * Math.min(1, centre + half) };
}
