import type { NpsBand } from './types';

/**
 * Band of a (plain) NPS value: below 0 NEEDS_IMPROVEMENT; 0..30 inclusive GOOD;
 * above 30 up to 70 inclusive GREAT; above 70 EXCELLENT.
 * Throws RangeError for NaN or a value outside -100..100 (catches fraction/percent mix-ups).
 */
export function bandOf(nps: number): NpsBand {
  if (Number.isNaN(nps) || nps < -100 || nps > 100) {
    throw new RangeError(`NPS must be a number from -100 to 100, got ${nps}`);
  }
  if (nps < 0) return 'NEEDS_IMPROVEMENT';
  if (nps <= 30) return 'GOOD';
  if (nps <= 70) return 'GREAT';
  return 'EXCELLENT';
}
