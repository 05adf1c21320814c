import type { NpsCategory } from './types';

/** 0-6 DETRACTOR, 7-8 PASSIVE, 9-10 PROMOTER. Throws RangeError for anything but an integer 0..10. */
export function categorize(score: number): NpsCategory {
  if (!Number.isInteger(score) || score < 0 || score > 10) {
    throw new RangeError(`NPS score must be an integer from 0 to 10, got ${score}`);
  }
  if (score <= 6) return 'DETRACTOR';
  if (score <= 8) return 'PASSIVE';
  return 'PROMOTER';
}
