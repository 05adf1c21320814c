import DataLoader from 'dataloader';
import type { RequestContext, ServiceDeps } from '../../context';
import { badInput } from '../../common/errors';
import { assertRangeOrder } from '../../common/range-order';
import { perRequest, respondedBeforeContext } from '../../common/request-cache';
import { SqlParams } from '../../common/sql-params';
import { benjaminiHochberg, compareShares, comparisonPeriod, driverImpact, type NpsCounts } from '../../scoring';
import type { Services } from '../../services';
import { Permission } from '../auth/permissions';
import { clip, countsOf } from '../reporting/facts/fact-counts';
import { FactRange, factsSql } from '../reporting/facts/facts-query';
import type { ResponseFilter } from '../reporting/filter/response-filter.input';
import { NpsCategory } from '../reporting/nps-category';
import { NpsScore, ScoreChange, ScoreVerdict } from '../reporting/nps-score.type';
import { CalendarUnit, CompareTo } from '../reporting/reporting.types';
import { resolveTimeZone } from '../reporting/time-buckets';
import { HAS_THEME, HAS_VERBATIM } from '../themes/markers';
import { latestJob } from '../themes/tagging-jobs';
import { themeFromRow } from '../themes/theme-rows';
import type { Theme } from '../themes/theme.types';
import { sampleVerbatims, SampleKey } from './driver-samples';
import { DriverList, Drivers, ShareChange, ThemeDriver, ThemeDriverChange, VerbatimSample } from './drivers.types';

type FilterArg = ResponseFilter | null | undefined;
type Row = Record<string, any>;

const total = (c: NpsCounts) => c.promoters + c.passives + c.detractors;
const minus = (a: NpsCounts, b: NpsCounts): NpsCounts => ({ promoters: a.promoters - b.promoters, passives: a.passives - b.passives, detractors: a.detractors - b.detractors });
const percent = (part: number, whole: number) => (whole === 0 ? null : (100 * part) / whole);

/**
 * Drivers from verbatims: per theme, its mentions by category, the NPS with and without the
 * responses that mention it and its impact (src/scoring/drivers.ts), against the comparison period
 * that compareTo names (as npsComparison). Every count comes from the fact planner in one statement:
 * the per-theme rollup (a response counted under each theme it mentions, and under the markers
 * "has a verbatim" and "mentions a theme") grouped by theme, and the plain counts of all responses,
 * for the current and the compared period. Samples are read on demand, one statement per request.
 */
export class DriversService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {}

  async drivers(ctx: RequestContext, filter: FilterArg, compareTo?: CompareTo | null, timeZone?: string | null): Promise<Drivers> {
    this.services.access.require(ctx, Permission.READ_REPORTS);
    this.services.access.require(ctx, Permission.READ_RESPONSES);
    const mode = compareTo ?? CompareTo.PREVIOUS_PERIOD;
    const zone = resolveTimeZone(timeZone);
    const from = filter?.from ?? undefined;
    const to = filter?.to ?? undefined;
    assertRangeOrder({ field: 'filter.from', value: from }, { field: 'filter.to', value: to });
    const period = from && to ? comparisonPeriod({ from, to, compareTo: mode, timeZone: zone }) : null;
    if (period && !period.ok) throw badInput(period.message, period.field, { compareTo: mode, timeZone: zone });
    const compared = period?.ok && period.comparable ? { from: period.from, to: period.to } : null;

    const params = new SqlParams();
    const countFrom = compared && from && compared.from.getTime() < from.getTime() ? compared.from : from;
    const plan = await this.services.filters.plan(ctx, { ...(filter ?? {}), from: countFrom, to }, params);
    const ranges: FactRange[] = [{ k: 1, ...clip(plan, from ?? null, to ?? null) }];
    if (compared) ranges.push({ k: 0, ...clip(plan, compared.from, compared.to) });
    const byTheme = factsSql({ filter: plan, params, ranges, groupBy: 'theme_id', rawOnly: ctx.rawFacts });
    const all = factsSql({ filter: plan, params, ranges, rawOnly: ctx.rawFacts });
    const [rows, themeRows, tagging] = await Promise.all([
      ctx.reports.query(
        `SELECT k, g::text AS g, promoters, passives, detractors FROM (${byTheme.sql}) t
         UNION ALL SELECT k, NULL, promoters, passives, detractors FROM (${all.sql}) a`,
        params.values,
      ) as Promise<Row[]>,
      ctx.em.query('SELECT * FROM themes WHERE active ORDER BY code') as Promise<Row[]>,
      latestJob(ctx),
    ]);
    const counts = (k: number, g: string | null): NpsCounts => countsOf(rows.find((r) => Number(r.k) === k && (r.g ?? null) === g));
    const themes = themeRows.map(themeFromRow);
    for (const t of themes) ctx.loaders.theme.prime(t.id, t);

    const threshold = this.deps.config.lowSampleThreshold;
    const allNow = counts(1, null);
    const allBefore = counts(0, null);
    const drivers = themes.map((theme) =>
      Object.assign(this.driver(theme, counts(1, theme.id), allNow, period ? { mentioning: counts(0, theme.id), all: allBefore } : null, threshold), {
        sampling: { filter, category: null, respondedBefore: ctx.respondedBefore },
      }),
    );
    // One family for the false discovery rate: every active theme's test of mentioning against not.
    const fdr = benjaminiHochberg(drivers.map((d) => ({ id: d.theme.id, pValue: d.pValue })));
    drivers.forEach((d, i) => Object.assign(d, { adjustedPValue: fdr.results[i].adjustedPValue, discovery: fdr.results[i].discovery }));

    const verbatims = counts(1, HAS_VERBATIM);
    const tagged = counts(1, HAS_THEME);
    const list = (category: NpsCategory, key: keyof NpsCounts): DriverList =>
      Object.assign(new DriverList(), {
        category,
        responses: allNow[key],
        verbatims: verbatims[key],
        untagged: verbatims[key] - tagged[key],
        untaggedShare: percent(verbatims[key] - tagged[key], verbatims[key]),
        drivers: drivers
          .filter((d) => d.mentioning.counts[key] > 0)
          .sort((a, b) => b.mentioning.counts[key] - a.mentioning.counts[key] || a.theme.code.localeCompare(b.theme.code))
          .map((d) => Object.assign(new ThemeDriver(), d, { sampling: { filter, category, respondedBefore: ctx.respondedBefore } })),
      });
    const byImpact = (a: ThemeDriver, b: ThemeDriver) =>
      (a.impact === null ? 1 : 0) - (b.impact === null ? 1 : 0) || (b.impact ?? 0) - (a.impact ?? 0) || a.theme.code.localeCompare(b.theme.code);
    return Object.assign(new Drivers(), {
      currentFrom: from ?? null,
      currentTo: to ?? null,
      previousFrom: period?.ok ? (compared?.from ?? from) : null,
      previousTo: period?.ok ? (compared?.to ?? from) : null,
      compareTo: mode,
      timeZone: zone,
      unit: period?.ok ? ((period.unit as CalendarUnit | undefined) ?? null) : null,
      comparable: !!compared,
      score: NpsScore.from(allNow, threshold, { filter }),
      verbatims: total(verbatims),
      untagged: total(verbatims) - total(tagged),
      untaggedShare: percent(total(verbatims) - total(tagged), total(verbatims)),
      detractorDrivers: list(NpsCategory.DETRACTOR, 'detractors'),
      promoterDrivers: list(NpsCategory.PROMOTER, 'promoters'),
      themes: [...drivers].sort(byImpact),
      tagging,
    });
  }

  /**
   * Up to three responses of the driver's category (any, in Drivers.themes) mentioning its theme in
   * the period, newest first, given before the instant the driver was counted as of (its context's
   * respondedBefore: executiveSummary(asOf)). The field resolver gets the request's own context, not
   * the one the counts ran on, so the samples are read with one carrying the driver's instant (one
   * per request and instant, so the samples of one instant are still one statement).
   */
  samples(ctx: RequestContext, driver: ThemeDriver): Promise<VerbatimSample[]> {
    this.services.access.require(ctx, Permission.READ_RESPONSES);
    const at = respondedBeforeContext(ctx, driver.sampling.respondedBefore);
    const loader = perRequest(
      at,
      'driver-samples',
      () =>
        new DataLoader<SampleKey, VerbatimSample[], string>((keys) => sampleVerbatims(at, keys), {
          cacheKeyFn: (k) => JSON.stringify([k.filter ?? null, k.themeId, k.category]),
        }),
    );
    return loader.load({ filter: driver.sampling.filter, themeId: driver.theme.id, themeCode: driver.theme.code, category: driver.sampling.category });
  }

  private driver(theme: Theme, mentioning: NpsCounts, all: NpsCounts, before: { mentioning: NpsCounts; all: NpsCounts } | null, threshold: number): ThemeDriver {
    const f = driverImpact({ mentioning, all });
    const d: ThemeDriver = Object.assign(new ThemeDriver(), {
      theme,
      responses: f.responses,
      mentions: f.mentions,
      promoterMentions: mentioning.promoters,
      passiveMentions: mentioning.passives,
      detractorMentions: mentioning.detractors,
      mentionShare: f.mentionShare,
      promoterMentionShare: f.promoterMentionShare,
      passiveMentionShare: f.passiveMentionShare,
      detractorMentionShare: f.detractorMentionShare,
      mentioning: NpsScore.from(mentioning, threshold),
      notMentioning: NpsScore.from(minus(all, mentioning), threshold),
      impact: f.impact,
      difference: f.difference,
      zScore: f.zScore,
      pValue: f.pValue,
      significant: f.significant,
      verdict: f.verdict as ScoreVerdict,
      adjustedPValue: null,
      discovery: false,
      change: null as ThemeDriverChange | null,
      sampling: { filter: undefined as FilterArg, category: null as NpsCategory | null, respondedBefore: undefined as Date | undefined },
    });
    if (before) {
      const p = driverImpact(before);
      const share = (part: keyof NpsCounts | null) => {
        const pick = (c: NpsCounts) => (part ? c[part] : total(c));
        const s = compareShares({ part: pick(before.mentioning), whole: pick(before.all) }, { part: pick(mentioning), whole: pick(all) });
        return Object.assign(new ShareChange(), s, { verdict: s.verdict as ScoreVerdict }) as ShareChange;
      };
      d.change = Object.assign(new ThemeDriverChange(), {
        previousImpact: p.impact,
        impactDelta: p.impact === null || f.impact === null ? null : f.impact - p.impact,
        mentionShare: share(null),
        detractorMentionShare: share('detractors'),
        promoterMentionShare: share('promoters'),
        mentioning: ScoreChange.between(NpsScore.from(before.mentioning, threshold), d.mentioning),
      });
    }
    return d;
  }
}
