import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { RequestContext, ServiceDeps } from '../../context';
import { badInput } from '../../common/errors';
import { parseId } from '../../common/ids';
import { forgetPerRequest, perRequest } from '../../common/request-cache';
import { compareToBenchmark } from '../../scoring';
import type { Services } from '../../services';
import { normalizeFilter } from '../reporting/filter/normalize-filter';
import type { NpsScore, ScoreScope } from '../reporting/nps-score.type';
import { Survey, SurveyKind } from '../surveys/survey.entity';
import { onlyKind, pickStandard, StandardCandidate } from './benchmark-scope';
import { Benchmark } from './benchmark.entity';
import { BenchmarkComparison, BenchmarkKind, BenchmarkOutcome } from './benchmark.types';
import { NpsStandard } from './nps-standard.entity';

/** What a score is about, as far as benchmarks go (see benchmark-scope.ts for the rules). */
interface ResolvedScope {
  /** The one kind of survey its responses come from; null when they may mix kinds. */
  surveyKind: SurveyKind | null;
  departmentId: string | null;
  segmentId: string | null;
}

/** Keys of the standards loader: `d:<department id>` (with its ancestors) or `s:<segment id>`. */
type StandardKey = `d:${string}` | `s:${string}`;

/**
 * Compares scores with the benchmarks and standards that apply to them. Every score of a request
 * resolves through two per-request loaders, so a list of department scores costs two statements
 * whatever its length: the industry benchmarks of the kinds asked, and the standards of the
 * departments (with their ancestors) and segments asked.
 */
export class BenchmarkComparer {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {}

  async compare(ctx: RequestContext, score: NpsScore, industryArg?: string | null): Promise<BenchmarkComparison[]> {
    if (!score.scope) return [];
    const industry = industryArg === undefined || industryArg === null ? this.deps.config.companyIndustry : industryArg.trim();
    if (industry === '') throw badInput('industry must not be blank', 'industry');
    const scope = await this.resolve(ctx, score.scope);
    const standards = this.standardLoader(ctx);
    const [department, segment, industryRows] = await Promise.all([
      scope.departmentId ? standards.load(`d:${scope.departmentId}`) : [],
      scope.segmentId ? standards.load(`s:${scope.segmentId}`) : [],
      scope.surveyKind ? this.benchmarkLoader(ctx).load(scope.surveyKind) : [],
    ]);
    const out: BenchmarkComparison[] = [];
    const own = pickStandard(department, scope.surveyKind);
    if (own) out.push(this.fromStandard(score, BenchmarkKind.DEPARTMENT_STANDARD, own));
    const seg = pickStandard(segment, scope.surveyKind);
    if (seg) out.push(this.fromStandard(score, BenchmarkKind.SEGMENT_STANDARD, seg));
    const wanted = industry?.toLowerCase(); // undefined: no company industry configured, every industry applies
    for (const b of industryRows) if (wanted === undefined || b.industry.toLowerCase() === wanted) out.push(this.fromBenchmark(score, b));
    return out;
  }

  /**
   * The scope of a score: the kind of survey the filter and its segment pin (or the surveys they
   * name), the segment it names, and its department: the department scored, else the one department
   * the filter names (by id or by code), else, naming none, a MANAGER key's own department (its
   * scores cover that subtree). Shared by every score counted with the same filter in the request.
   */
  private async resolve(ctx: RequestContext, scope: ScoreScope): Promise<ResolvedScope> {
    const key = `benchmark-scope:${JSON.stringify(scope.filter ?? null)}`;
    const resolved = perRequest(ctx, key, () => {
      const p = this.resolveFilter(ctx, scope.filter);
      p.catch(() => forgetPerRequest(ctx, key, p));
      return p;
    });
    const base = await resolved;
    return scope.departmentId ? { ...base, departmentId: scope.departmentId } : base;
  }

  private async resolveFilter(ctx: RequestContext, input: ScoreScope['filter']): Promise<ResolvedScope> {
    // The score was counted, so the filter and its segment were valid: this reads, it does not judge.
    const filter = normalizeFilter(input as unknown as Record<string, unknown> | null | undefined);
    const segmentId = input?.segmentId ? parseId(input.segmentId, 'filter.segmentId') : null;
    const segment = segmentId ? await ctx.loaders.segment.load(segmentId) : null;
    const parts = segment ? [filter, normalizeFilter(segment.filter, 'segment filter')] : [filter];
    const kinds: SurveyKind[][] = [];
    for (const part of parts) {
      if (part.surveyKind) kinds.push([part.surveyKind]);
      if (part.surveyIds?.length) {
        const surveys = await ctx.loaders.survey.loadMany(part.surveyIds);
        kinds.push(surveys.filter((s): s is Survey => s instanceof Survey).map((s) => s.kind));
      }
    }
    const ids = await this.services.filters.namedDepartmentIds(ctx, filter);
    const departmentId = ids ? (ids.length === 1 ? ids[0] : null) : this.services.access.departmentScope(ctx);
    return { surveyKind: onlyKind(kinds), departmentId, segmentId: segment ? segment.id : null };
  }

  /** Industry benchmarks per survey kind, newest first: one statement per request (a per-request cache, dropped by writes). */
  private benchmarkLoader(ctx: RequestContext): DataLoader<SurveyKind, Benchmark[]> {
    return perRequest(
      ctx,
      'benchmarks-by-kind',
      () =>
        new DataLoader<SurveyKind, Benchmark[]>(async (kinds) => {
          const rows = await ctx.em.getRepository(Benchmark).find({
            where: { surveyKind: In([...kinds]) },
            order: { year: 'DESC', name: 'ASC', id: 'ASC' },
          });
          return kinds.map((k) => rows.filter((r) => r.surveyKind === k));
        }),
    );
  }

  /**
   * Standards that may apply, per key: a department's own and its ancestors' (with their depth), a
   * segment's. One statement per request tick for every department and segment asked.
   */
  private standardLoader(ctx: RequestContext): DataLoader<StandardKey, StandardCandidate<NpsStandard>[]> {
    return perRequest(
      ctx,
      'standards-by-scope',
      () =>
        new DataLoader<StandardKey, StandardCandidate<NpsStandard>[]>(async (keys) => {
          const departments = keys.filter((k) => k.startsWith('d:')).map((k) => k.slice(2));
          const segments = keys.filter((k) => k.startsWith('s:')).map((k) => k.slice(2));
          // The tree has no cycles (a department cannot be moved below itself); the depth bound is a backstop.
          const rows: Record<string, any>[] = await ctx.em.query(
            `WITH RECURSIVE chain(scope_id, department_id, depth) AS (
               SELECT id, id, 0 FROM departments WHERE id = ANY($1::uuid[])
               UNION ALL
               SELECT c.scope_id, d.parent_id, c.depth + 1 FROM chain c JOIN departments d ON d.id = c.department_id
               WHERE d.parent_id IS NOT NULL AND c.depth < 100)
             SELECT 'd:' || c.scope_id AS key, c.depth, s.* FROM chain c JOIN nps_standards s ON s.department_id = c.department_id
             UNION ALL
             SELECT 's:' || s.segment_id, 0, s.* FROM nps_standards s WHERE s.segment_id = ANY($2::uuid[])`,
            [departments, segments],
          );
          const byKey = new Map<string, StandardCandidate<NpsStandard>[]>(keys.map((k) => [k, []]));
          for (const row of rows) byKey.get(row.key)?.push({ depth: Number(row.depth), standard: standardFromRow(row) });
          return keys.map((k) => byKey.get(k)!);
        }),
    );
  }

  private fromStandard(score: NpsScore, kind: BenchmarkKind, { standard, depth }: StandardCandidate<NpsStandard>): BenchmarkComparison {
    return Object.assign(new BenchmarkComparison(), {
      kind,
      name: standard.name,
      value: standard.value,
      source: null,
      year: null,
      industry: null,
      surveyKind: standard.surveyKind,
      benchmark: null,
      standard,
      inherited: depth > 0,
      ...figures(score, standard.value),
    });
  }

  private fromBenchmark(score: NpsScore, benchmark: Benchmark): BenchmarkComparison {
    return Object.assign(new BenchmarkComparison(), {
      kind: BenchmarkKind.INDUSTRY,
      name: benchmark.name,
      value: benchmark.value,
      source: benchmark.source,
      year: benchmark.year,
      industry: benchmark.industry,
      surveyKind: benchmark.surveyKind,
      benchmark,
      standard: null,
      inherited: false,
      ...figures(score, benchmark.value),
    });
  }
}

function figures(score: NpsScore, value: number) {
  const r = compareToBenchmark(score.counts, value);
  return { gap: r.gap, zScore: r.zScore, pValue: r.pValue, significant: r.significant, outcome: r.outcome as BenchmarkOutcome };
}

/** A row of nps_standards (snake_case columns) as the entity. */
function standardFromRow(row: Record<string, any>): NpsStandard {
  return Object.assign(new NpsStandard(), {
    id: row.id,
    name: row.name,
    description: row.description,
    value: Number(row.value),
    surveyKind: row.survey_kind,
    departmentId: row.department_id,
    segmentId: row.segment_id,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  });
}
