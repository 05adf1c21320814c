import { performance } from 'node:perf_hooks';
import type { RequestContext } from '../../context';
import { comparisonPeriod, lastCompleteWindow } from '../../calendar';
import { DEFAULT_FDR_Q, shiftFamily, ShiftInput } from '../../scoring';
import { transaction } from '../../transaction';
import { AlertComparison, AlertMetric, AlertRule, AlertWindow } from './alert-rule.entity';
import { countRuleWindows, RuleWindows } from './alert-counts';

export interface AlertEvaluationOptions {
  /** The false discovery rate each family is controlled at (default 0.05). */
  q?: number;
  /** A window is evaluated this long after it ends, so late responses are in (default 0). */
  graceMs?: number;
}

/** What one evaluation run did. */
export interface AlertEvaluationStats {
  /** Families (rules sharing a window unit, zone and window) evaluated by this run. */
  families: number;
  /** Families whose window another run (or an earlier one) had already evaluated. */
  alreadyEvaluated: number;
  /** Rules in the families evaluated, those tested (enough sample, comparable windows), alerts raised. */
  rules: number;
  tests: number;
  alerts: number;
  ms: number;
}

interface Family {
  unit: AlertWindow;
  zone: string;
  window: { from: Date; to: Date };
  rules: AlertRule[];
}

/** The active rules, grouped by window unit, zone and their last complete window at `at`. */
function families(rules: readonly AlertRule[], at: Date): Family[] {
  const out = new Map<string, Family>();
  for (const rule of rules) {
    const window = lastCompleteWindow(at, rule.windowUnit as 'WEEK' | 'MONTH', rule.timeZone);
    const key = `${rule.windowUnit}|${rule.timeZone}|${window.from.toISOString()}`;
    const family = out.get(key) ?? { unit: rule.windowUnit, zone: rule.timeZone, window, rules: [] };
    family.rules.push(rule);
    out.set(key, family);
  }
  return [...out.values()];
}

/** The window a rule compares with; null when there is none like for like (an ISO week 53 a year back). */
function previousWindow(rule: AlertRule, window: { from: Date; to: Date }): { from: Date; to: Date } | null {
  const r = comparisonPeriod({
    ...window,
    compareTo: rule.compareTo === AlertComparison.SAME_WINDOW_LAST_YEAR ? 'SAME_PERIOD_LAST_YEAR' : 'PREVIOUS_CALENDAR_PERIOD',
    timeZone: rule.timeZone,
  });
  return r.ok && r.comparable ? { from: r.from, to: r.to } : null;
}

/**
 * Evaluates every active alert rule once for its last complete window (at ctx.now(), less the
 * grace). The rules sharing a window (unit, time zone, start) form one family: each family is
 * evaluated in one transaction that first claims the window (alert_evaluations, unique per unit,
 * zone and start: ON CONFLICT DO NOTHING), so a window is never tested twice, whether by a later
 * run or by a concurrent worker (which waits for the claim's commit, then finds it taken). The
 * family's rules are counted together (countRuleWindows), tested and FDR-controlled together
 * (shiftFamily), and each discovery is stored as an alert (at most one per rule and window:
 * alerts_rule_window_key), with a DETECTED audit event and an `nps.shift_detected` outbox event
 * for the subscribed webhooks, in the same transaction. Callable from the worker, the CLI and tests.
 */
export async function evaluateAlertRules(ctx: RequestContext, opts: AlertEvaluationOptions = {}): Promise<AlertEvaluationStats> {
  const started = performance.now();
  const q = opts.q ?? DEFAULT_FDR_Q;
  const at = new Date(ctx.now().getTime() - (opts.graceMs ?? 0));
  const rules = await ctx.em.getRepository(AlertRule).find({ where: { active: true }, order: { createdAt: 'ASC', id: 'ASC' } });
  const stats: AlertEvaluationStats = { families: 0, alreadyEvaluated: 0, rules: 0, tests: 0, alerts: 0, ms: 0 };
  for (const family of families(rules, at)) {
    const result = await evaluateFamily(ctx, family, q);
    if (!result) {
      stats.alreadyEvaluated++;
      continue;
    }
    stats.families++;
    stats.rules += family.rules.length;
    stats.tests += result.tests;
    stats.alerts += result.alerts;
  }
  stats.ms = Math.round(performance.now() - started);
  return stats;
}

async function evaluateFamily(ctx: RequestContext, family: Family, q: number): Promise<{ tests: number; alerts: number } | null> {
  return transaction(ctx, async (ctx) => {
    const started = performance.now();
    const claimed: { id: string }[] = await ctx.em.query(
      `INSERT INTO alert_evaluations (window_unit, time_zone, window_start, window_end, rules, tests, discoveries, evaluated_at, duration_ms)
       VALUES ($1, $2, $3, $4, $5, 0, 0, $6, 0)
       ON CONFLICT (window_unit, time_zone, window_start) DO NOTHING RETURNING id`,
      [family.unit, family.zone, family.window.from, family.window.to, family.rules.length, ctx.now()],
    );
    if (!claimed.length) return null;
    const comparable = family.rules.flatMap((rule) => {
      const previous = previousWindow(rule, family.window);
      return previous ? [{ rule, current: family.window, previous } as RuleWindows] : [];
    });
    const counts = await countRuleWindows(ctx, comparable);
    const inputs: ShiftInput<number>[] = comparable.map((w, i) => {
      const c = counts[i];
      const minSample = w.rule.minSample;
      switch (w.rule.metric) {
        case AlertMetric.NPS:
          return { id: i, metric: 'NPS', previous: c.nps.previous, current: c.nps.current, minSample };
        case AlertMetric.DETRACTOR_SHARE: {
          const share = (n: typeof c.nps.current) => ({ part: n.detractors, whole: n.promoters + n.passives + n.detractors });
          return { id: i, metric: 'DETRACTOR_SHARE', previous: share(c.nps.previous), current: share(c.nps.current), minSample };
        }
        case AlertMetric.FOLLOW_UP_RATE:
          return { id: i, metric: 'FOLLOW_UP_RATE', previous: c.followUp!.previous, current: c.followUp!.current, minSample };
      }
    });
    const figures = shiftFamily(inputs, { q });
    const found = figures.results.filter((r) => r.discovery);
    const rows = found.map((r) => {
      const w = comparable[r.id];
      return {
        rule_id: w.rule.id,
        department_id: w.rule.departmentId,
        segment_id: w.rule.segmentId,
        metric: w.rule.metric,
        window_unit: w.rule.windowUnit,
        time_zone: w.rule.timeZone,
        compare_to: w.rule.compareTo,
        window_start: w.current.from.toISOString(),
        window_end: w.current.to.toISOString(),
        comparison_start: w.previous.from.toISOString(),
        comparison_end: w.previous.to.toISOString(),
        direction: r.direction,
        previous_value: r.previousValue,
        current_value: r.currentValue,
        delta: r.delta,
        previous_sample: r.previousSample,
        current_sample: r.currentSample,
        z_score: r.zScore,
        p_value: r.pValue,
        adjusted_pvalue: r.adjustedPValue,
        family_size: figures.tests,
        false_discovery_rate: q,
      };
    });
    const inserted: Record<string, any>[] = rows.length
      ? await ctx.em.query(
          `INSERT INTO alerts (rule_id, department_id, segment_id, metric, window_unit, time_zone, compare_to, window_start, window_end,
             comparison_start, comparison_end, direction, previous_value, current_value, delta, previous_sample, current_sample,
             z_score, p_value, adjusted_pvalue, family_size, false_discovery_rate, status, detected_at)
           SELECT a.rule_id, a.department_id, a.segment_id, a.metric, a.window_unit, a.time_zone, a.compare_to, a.window_start, a.window_end,
             a.comparison_start, a.comparison_end, a.direction, a.previous_value, a.current_value, a.delta, a.previous_sample, a.current_sample,
             a.z_score, a.p_value, a.adjusted_pvalue, a.family_size, a.false_discovery_rate, 'OPEN', $2
           FROM jsonb_to_recordset($1::jsonb) AS a(rule_id uuid, department_id uuid, segment_id uuid, metric text, window_unit text, time_zone text,
             compare_to text, window_start timestamptz, window_end timestamptz, comparison_start timestamptz, comparison_end timestamptz,
             direction text, previous_value float8, current_value float8, delta float8, previous_sample int, current_sample int,
             z_score float8, p_value float8, adjusted_pvalue float8, family_size int, false_discovery_rate float8)
           ON CONFLICT (rule_id, window_start) DO NOTHING
           RETURNING id, rule_id`,
          [JSON.stringify(rows), ctx.now()],
        )
      : [];
    if (inserted.length) {
      await ctx.em.query(
        `INSERT INTO alert_events (alert_id, action, actor, at) SELECT unnest($1::uuid[]), 'DETECTED', 'system', $2`,
        [inserted.map((a) => a.id), ctx.now()],
      );
      const byRule = new Map(rows.map((r) => [r.rule_id, r]));
      const events = await Promise.all(
        inserted.map(async (a) => {
          const row = byRule.get(a.rule_id)!;
          const rule = comparable.find((w) => w.rule.id === a.rule_id)!.rule;
          return { type: 'nps.shift_detected' as const, aggregateId: a.id as string, payload: await shiftPayload(ctx, a.id, rule, row) };
        }),
      );
      await ctx.services.outbox.enqueue(ctx, events);
    }
    await ctx.em.query(`UPDATE alert_evaluations SET tests = $2, discoveries = $3, duration_ms = $4 WHERE id = $1`, [
      claimed[0].id,
      figures.tests,
      inserted.length,
      Math.round(performance.now() - started),
    ]);
    return { tests: figures.tests, alerts: inserted.length };
  });
}

/** The nps.shift_detected payload: the alert's figures, its rule and a readable scope. */
async function shiftPayload(ctx: RequestContext, id: string, rule: AlertRule, row: Record<string, any>): Promise<Record<string, unknown>> {
  const [department, segment] = await Promise.all([
    rule.departmentId ? ctx.loaders.department.load(rule.departmentId) : null,
    rule.segmentId ? ctx.loaders.segment.load(rule.segmentId) : null,
  ]);
  const scope = [department ? `${department.name} (${department.code}) and below` : null, segment ? `segment ${segment.name}` : null].filter(Boolean).join(', ') || 'Whole company';
  return {
    id,
    ruleId: rule.id,
    ruleName: rule.name,
    metric: row.metric,
    direction: row.direction,
    scope,
    departmentId: rule.departmentId,
    departmentCode: department?.code ?? null,
    segmentId: rule.segmentId,
    windowUnit: row.window_unit,
    timeZone: row.time_zone,
    compareTo: row.compare_to,
    windowStart: row.window_start,
    windowEnd: row.window_end,
    comparisonStart: row.comparison_start,
    comparisonEnd: row.comparison_end,
    previousValue: row.previous_value,
    currentValue: row.current_value,
    delta: row.delta,
    previousSample: row.previous_sample,
    currentSample: row.current_sample,
    zScore: row.z_score,
    pValue: row.p_value,
    adjustedPValue: row.adjusted_pvalue,
    familySize: row.family_size,
    falseDiscoveryRate: row.false_discovery_rate,
  };
}
