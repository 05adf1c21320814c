/** Pure calendar maths in IANA time zones (Intl zone data, PostgreSQL's rules for skipped/repeated wall times). No I/O. */
export type { CivilDate, IsoWeek, LocalDateTime } from './zoned-time';
export {
  instantOfLocal,
  isoWeekOf,
  isoWeeksInYear,
  isStartOfLocalDay,
  localOf,
  mondayOfIsoWeek,
  startOfLocalDay,
  zoneOffsetMs,
} from './zoned-time';
export type {
  CalendarUnit,
  CalendarUnits,
  ComparablePeriod,
  CompareTo,
  ComparisonPeriodError,
  ComparisonPeriodResult,
  NotComparablePeriod,
} from './comparison-period';
export { COMPARE_TO, calendarUnitsOf, comparisonPeriod } from './comparison-period';
export type { BucketUnit } from './calendar-buckets';
export { unitStartsBetween } from './calendar-buckets';
export type { WindowUnit } from './complete-window';
export { lastCompleteWindow } from './complete-window';
