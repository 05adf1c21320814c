import { badInput } from '../../common/errors';
import { BENCHMARK_YEARS } from './benchmark.entity';

/** Trimmed text that must hold something (BAD_USER_INPUT naming the field otherwise). */
export function requiredText(raw: string, field: string): string {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!text) throw badInput(`${field} must not be blank`, field);
  return text;
}

/** Optional text: trimmed; blank or null is stored as null. */
export function optionalText(raw: string | null | undefined): string | null {
  const text = raw?.trim();
  return text ? text : null;
}

/** An NPS value: a finite number from -100 to 100. */
export function npsValue(value: number, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < -100 || value > 100) {
    throw badInput(`${field} must be an NPS from -100 to 100, got ${value}`, field);
  }
  return value;
}

/** The year a benchmark describes: a whole number within BENCHMARK_YEARS. */
export function benchmarkYear(year: number, field: string): number {
  if (!Number.isInteger(year) || year < BENCHMARK_YEARS.min || year > BENCHMARK_YEARS.max) {
    throw badInput(`${field} must be a year from ${BENCHMARK_YEARS.min} to ${BENCHMARK_YEARS.max}, got ${year}`, field);
  }
  return year;
}

/** BAD_USER_INPUT when an update sets a required field to null. */
export function notNull(input: Record<string, unknown>, fields: readonly string[]): void {
  for (const field of fields) if (input[field] === null) throw badInput(`${field} cannot be null`, field);
}
