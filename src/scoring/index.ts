/** Pure NPS/KPI scoring: every reported figure is computed here, from counts. No I/O. */
export type { NpsCategory, NpsBand, NpsCounts } from './types';
export { categorize } from './categorize';
export { bandOf } from './band';
export { sumCounts, countsOf } from './counts';
export { DEFAULT_LOW_SAMPLE_THRESHOLD, scoreFromCounts } from './score';
export type { NpsFigures } from './score';
export { compareScores } from './compare';
export type { ScoreChangeFigures } from './compare';
export { compareToBenchmark } from './benchmark';
export type { BenchmarkGapFigures, BenchmarkOutcome } from './benchmark';
export { normalCdf } from './normal-cdf';
export { LOWER_IS_BETTER, defaultTolerance, evaluateKpi } from './kpi';
export type { KpiMetric, KpiStatus, KpiEvaluation } from './kpi';
export { median, rate } from './closed-loop';
