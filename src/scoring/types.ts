/** Category of a single 0..10 "how likely are you to recommend" answer. */
export type NpsCategory = 'DETRACTOR' | 'PASSIVE' | 'PROMOTER';

/** Reporting band of an NPS value (see bandOf). */
export type NpsBand = 'NEEDS_IMPROVEMENT' | 'GOOD' | 'GREAT' | 'EXCELLENT';

/** What the database aggregates: counts per category. Total = promoters + passives + detractors. */
export interface NpsCounts {
  promoters: number;
  passives: number;
  detractors: number;
}
