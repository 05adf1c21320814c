import type { SeedSummary } from './index';

const n = (v: number) => v.toLocaleString('en-US');

/** A few lines saying what was loaded and how fast. */
export function formatSummary(s: SeedSummary): string {
  const statuses = Object.entries(s.actionItemsByStatus)
    .map(([k, v]) => `${k} ${n(v)}`)
    .join(', ');
  return [
    `Demo data loaded in ${(s.ms / 1000).toFixed(1)} s: ${n(s.rows)} rows, ${n(s.rowsPerSecond)} rows/s (seed ${s.seed}).`,
    `  departments ${n(s.departments)}, people ${n(s.people)}, surveys ${n(s.surveys)}, customers ${n(s.customers)}, segments ${n(s.segments)}, KPI targets ${n(s.kpiTargets)}`,
    `  benchmarks ${n(s.benchmarks)} (illustrative figures), standards ${n(s.standards)}`,
    `  responses ${n(s.responses)} from ${s.from.slice(0, 10)} to ${s.to.slice(0, 10)} (the anchor: the demo's data end at ${s.anchor})`,
    `  action items ${n(s.actionItems)} (${statuses}), events ${n(s.actionItemEvents)}`,
  ].join('\n');
}
