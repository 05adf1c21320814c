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
export { compareWithVerdict, verdictOf } from './verdict';
export type { ScoreVerdict, ScoreChangeVerdict } from './verdict';
export { DEFAULT_FDR_Q, benjaminiHochberg } from './fdr';
export type { PValueTest, FdrResult, FdrFigures } from './fdr';
export { DEFAULT_MIX_SHIFT_THRESHOLD, surveyMix } from './survey-mix';
export type { KindCounts, SurveyKindShift, SurveyMixFigures } from './survey-mix';
export { movers } from './movers';
export type { MoverGroupInput, MoverFigures, MoversFigures, MoverTotalInput } from './movers';
export { moverList } from './mover-list';
export type { MoverFamilyInput, ListedMover, MoverListFigures } from './mover-list';
export { driverImpact } from './drivers';
export { compareShares } from './shares';
export type { ShareCounts, ShareChangeFigures } from './shares';
export type { DriverImpactFigures } from './drivers';
export { wilsonInterval } from './wilson';
export type { WilsonFigures } from './wilson';
export { differenceInDifferences } from './did';
export type { DidGroups, DidFigures } from './did';
export { kpiContributions } from './kpi-contributions';
export type { KpiChildInput, KpiChildContribution, KpiContributionFigures } from './kpi-contributions';
/** Comparison periods live in the pure calendar module (src/calendar), re-exported here for the services. */
export { COMPARE_TO, calendarUnitsOf, comparisonPeriod } from '../calendar';
export type {
  CalendarUnit,
  CalendarUnits,
  ComparablePeriod,
  CompareTo,
  ComparisonPeriodError,
  ComparisonPeriodResult,
  NotComparablePeriod,
} from '../calendar';
export { compareSharesAdjusted } from './agresti-caffo';
export type { AdjustedShareChangeFigures } from './agresti-caffo';
export { shiftFamily } from './shift-family';
export type { ShiftFamilyFigures, ShiftInput, ShiftMetric, ShiftResult, ShiftSkip } from './shift-family';
