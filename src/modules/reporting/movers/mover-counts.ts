import type { RequestContext } from '../../../context';
import { SqlParams } from '../../../common/sql-params';
import type { NpsCounts } from '../../../scoring';
import type { Segment } from '../../segments/segment.entity';
import { BREAKDOWN_SQL } from '../breakdown';
import type { Dim } from '../facts/rollup-defs';
import { ComparisonRange, earliestFrom } from '../comparison-range';
import { clip, countsOf } from '../facts/fact-counts';
import { factsSql, FactRange } from '../facts/facts-query';
import type { FilterPlan } from '../filter/filter-plan';
import type { ResponseFilter } from '../filter/response-filter.input';
import type { MoverDimension } from './movers.types';

/** Range tags: the comparison's earlier period and the current one. */
export const PREVIOUS = 0;
export const CURRENT = 1;

/** One row of the movers statement: a group's counts in one period from one kind of survey. */
export interface MoverCountRow {
  /** 'TOTAL', 'DEPARTMENT', 'SEGMENT' or the breakdown dimension. */
  family: string;
  /** The department id, segment id or breakdown value (text); null: no department / no value. */
  group: string | null;
  surveyKind: string;
  k: typeof PREVIOUS | typeof CURRENT;
  counts: NpsCounts;
  /** DEPARTMENT: whether the department has children. */
  hasChildren: boolean;
}

export interface MoverCounts {
  rows: MoverCountRow[];
  /** The filter's own bounds (its segment's) cut a period: the total is counted over part of it. */
  totalCut: boolean;
  /** The segments whose own date range cuts a period. */
  segmentsCut: Set<string>;
  /** The segments left out: their conditions read what only the raw rows hold (rawSegments false). */
  segmentsSkipped: Segment[];
}

/**
 * Every count the movers screen needs, in ONE statement whatever the size of the organisation: for
 * both periods, through the fact planner, split by kind of survey (for the survey mix), the total;
 * each department's own responses (grouped by department, with whether it has children); each
 * breakdown dimension's values; and each segment narrowed by the filter (the segments' branches
 * are UNION ALL branches of the same statement, so more segments make it longer, not more).
 * Unless rawSegments, a segment whose conditions need the raw rows (customer tenure or spend: no
 * rollup holds them) is left out when the filter itself is answered from rollups: its branch alone
 * would scan every response of both periods (7.5 s of a movers call at 10M responses).
 */
export async function countMovers(
  ctx: RequestContext,
  req: {
    filter: ResponseFilter;
    range: ComparisonRange;
    departments: boolean;
    dimensions: readonly MoverDimension[];
    segments: readonly Segment[];
    /** false: a segment whose conditions read raw-only fields (tenure, spend) while the filter's do not is left out. */
    rawSegments: boolean;
  },
): Promise<MoverCounts> {
  const { range } = req;
  const params = new SqlParams();
  const periods = [{ k: CURRENT, lo: range.from, hi: range.to }];
  if (range.period.comparable) periods.unshift({ k: PREVIOUS, lo: range.period.from, hi: range.period.to });
  const rangesOf = (plan: FilterPlan): FactRange[] => periods.map((p) => ({ k: p.k, ...clip(plan, p.lo, p.hi) }));
  const cuts = (plan: FilterPlan) =>
    periods.some((p) => {
      const c = clip(plan, p.lo, p.hi);
      return c.lo?.getTime() !== p.lo.getTime() || c.hi?.getTime() !== p.hi.getTime();
    });
  // Compiled once, counted in both periods (as npsComparison).
  const planFilter = { ...req.filter, from: earliestFrom(range), to: range.to };
  const plan = await ctx.services.filters.plan(ctx, planFilter, params);
  const ranges = rangesOf(plan);
  const facts = (groupBy: Parameters<typeof factsSql>[0]['groupBy'], p = plan, r = ranges) =>
    factsSql({ filter: p, params, ranges: r, groupBy, rawOnly: ctx.rawFacts }).sql;
  const sums = 'sum(f.promoters) AS promoters, sum(f.passives) AS passives, sum(f.detractors) AS detractors';

  const branches: string[] = [
    `SELECT 'TOTAL'::text AS family, NULL::text AS grp, ks.kind::text AS kind, f.k, ${sums}, false AS has_children
      FROM (${facts('survey_id')}) f JOIN surveys ks ON ks.id = f.g WHERE f.k IS NOT NULL GROUP BY f.k, ks.kind`,
  ];
  if (req.departments) {
    branches.push(`SELECT 'DEPARTMENT'::text, f.g::text, ks.kind::text, f.k, ${sums},
        EXISTS (SELECT 1 FROM departments ch WHERE ch.parent_id = f.g)
      FROM (${facts(['department_id', 'survey_id'])}) f JOIN surveys ks ON ks.id = f.g2 WHERE f.k IS NOT NULL GROUP BY f.k, f.g, ks.kind`);
  }
  for (const by of req.dimensions) {
    const dim = BREAKDOWN_SQL[by] as { groupBy: Dim; join: string; value: string };
    // SURVEY and SURVEY_KIND group by the survey already; the others by their column and the survey.
    const bySurvey = dim.groupBy === 'survey_id';
    branches.push(`SELECT ${params.p(by)}::text, (${dim.value})::text, ks.kind::text, f.k, ${sums}, false
      FROM (${facts(bySurvey ? 'survey_id' : [dim.groupBy, 'survey_id'])}) f ${dim.join} JOIN surveys ks ON ks.id = ${bySurvey ? 'f.g' : 'f.g2'}
      WHERE f.k IS NOT NULL GROUP BY 2, 3, 4`);
  }
  const segmentsCut = new Set<string>();
  const segmentsSkipped: Segment[] = [];
  for (const segment of req.segments) {
    if (!req.rawSegments && !plan.rawOnly.length) {
      // Planned on scratch parameters first: a segment left out must not leave parameters behind.
      const probe = await ctx.services.filters.plan(ctx, { ...planFilter, segmentId: segment.id }, new SqlParams());
      if (probe.rawOnly.length) {
        segmentsSkipped.push(segment);
        continue;
      }
    }
    const segmentPlan = await ctx.services.filters.plan(ctx, { ...planFilter, segmentId: segment.id }, params);
    if (cuts(segmentPlan)) segmentsCut.add(segment.id);
    branches.push(`SELECT 'SEGMENT'::text, ${params.p(segment.id)}::text, ks.kind::text, f.k, ${sums}, false
      FROM (${facts('survey_id', segmentPlan, rangesOf(segmentPlan))}) f JOIN surveys ks ON ks.id = f.g WHERE f.k IS NOT NULL GROUP BY f.k, ks.kind`);
  }
  const rows: Record<string, unknown>[] = await ctx.reports.query(branches.join('\nUNION ALL\n'), params.values);
  return {
    rows: rows
      .map((row) => ({
        family: String(row.family),
        group: (row.grp as string | null) ?? null,
        surveyKind: String(row.kind),
        k: Number(row.k) as MoverCountRow['k'],
        counts: countsOf(row),
        hasChildren: Boolean(row.has_children),
      }))
      .filter((r) => r.counts.promoters + r.counts.passives + r.counts.detractors > 0),
    totalCut: cuts(plan),
    segmentsCut,
    segmentsSkipped,
  };
}
