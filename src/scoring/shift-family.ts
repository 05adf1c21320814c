import { compareSharesAdjusted } from './agresti-caffo';
import { compareScores } from './compare';
import { totalOf } from './counts';
import { benjaminiHochberg, DEFAULT_FDR_Q } from './fdr';
import type { ShareCounts } from './shares';
import type { NpsCounts } from './types';

/** What a shift rule watches. Shares and rates are percentages (0-100); NPS is -100..100. */
export type ShiftMetric = 'NPS' | 'DETRACTOR_SHARE' | 'FOLLOW_UP_RATE';

/** One rule's counts in the window judged (current) and the one it is compared with (previous). */
export type ShiftInput<Id> =
  | { id: Id; metric: 'NPS'; previous: NpsCounts; current: NpsCounts; minSample: number }
  | { id: Id; metric: 'DETRACTOR_SHARE' | 'FOLLOW_UP_RATE'; previous: ShareCounts; current: ShareCounts; minSample: number };

/** Why a rule was not tested: a window below the minimum sample (or empty). */
export type ShiftSkip = 'LOW_SAMPLE';

export interface ShiftResult<Id> {
  id: Id;
  metric: ShiftMetric;
  /** The sample of each window: responses for NPS and detractor share, detractors for the follow-up rate. */
  previousSample: number;
  currentSample: number;
  /** The metric's plain value in each window; null when that window is empty. */
  previousValue: number | null;
  currentValue: number | null;
  delta: number | null;
  zScore: number | null;
  pValue: number | null;
  /** Benjamini-Hochberg adjusted p-value within the family; null when not tested. */
  adjustedPValue: number | null;
  /** A significant shift after FDR control: an alert. */
  discovery: boolean;
  direction: 'UP' | 'DOWN' | null;
  skipped: ShiftSkip | null;
}

export interface ShiftFamilyFigures<Id> {
  q: number;
  /** Rules tested (those with both windows at or above their minimum sample). */
  tests: number;
  discoveries: number;
  results: ShiftResult<Id>[];
}

const sampleOf = (input: ShiftInput<unknown>, side: 'previous' | 'current'): number =>
  input.metric === 'NPS' ? totalOf(input[side]) : input[side].whole;

/**
 * One family of shift tests (the rules evaluated for one window): each rule whose two windows
 * both reach its minimum sample (and at least 1) is tested, NPS by the adjusted-Wald z-test
 * (compareScores), shares and rates by the Agresti-Caffo two-proportion test
 * (compareSharesAdjusted); then Benjamini-Hochberg over the family's p-values at q (default 0.05)
 * decides which are shifts, so the expected share of false alerts among those raised stays at or
 * below q. A rule below its minimum sample is left out of the family (not a test).
 */
export function shiftFamily<Id>(inputs: readonly ShiftInput<Id>[], options?: { q?: number }): ShiftFamilyFigures<Id> {
  const q = options?.q ?? DEFAULT_FDR_Q;
  const partial = inputs.map((input) => {
    if (!(Number.isSafeInteger(input.minSample) && input.minSample >= 0)) throw new RangeError(`minSample must be a whole number >= 0, got ${input.minSample}`);
    const previousSample = sampleOf(input, 'previous');
    const currentSample = sampleOf(input, 'current');
    const enough = Math.min(previousSample, currentSample) >= Math.max(1, input.minSample);
    let previousValue: number | null;
    let currentValue: number | null;
    let zScore: number | null;
    let pValue: number | null;
    if (input.metric === 'NPS') {
      const plain = (c: NpsCounts) => (totalOf(c) === 0 ? null : (100 * (c.promoters - c.detractors)) / totalOf(c));
      previousValue = plain(input.previous);
      currentValue = plain(input.current);
      const change = compareScores(input.previous, input.current);
      zScore = change.zScore;
      pValue = change.pValue;
    } else {
      const change = compareSharesAdjusted(input.previous, input.current);
      previousValue = change.previous;
      currentValue = change.current;
      zScore = change.zScore;
      pValue = change.pValue;
    }
    return {
      id: input.id,
      metric: input.metric as ShiftMetric,
      previousSample,
      currentSample,
      previousValue,
      currentValue,
      delta: previousValue === null || currentValue === null ? null : currentValue - previousValue,
      zScore: enough ? zScore : null,
      pValue: enough ? pValue : null,
      skipped: enough ? null : ('LOW_SAMPLE' as ShiftSkip),
    };
  });
  const fdr = benjaminiHochberg(partial.map((r, i) => ({ id: i, pValue: r.pValue })), { q });
  const results = partial.map((r, i) => {
    const f = fdr.results[i];
    const direction = f.discovery && r.zScore !== null ? (r.zScore > 0 ? 'UP' : 'DOWN') : null;
    return { ...r, adjustedPValue: f.adjustedPValue, discovery: f.discovery, direction } as ShiftResult<Id>;
  });
  return { q, tests: fdr.tests, discoveries: fdr.discoveries, results };
}
