import type { RequestContext, ServiceDeps } from '../../context';
import { conflict, notFound } from '../../common/errors';
import { afterCommit } from '../../common/request-cache';
import type { Services } from '../../services';
import { Permission } from '../auth/permissions';
import type { NpsScore } from '../reporting/nps-score.type';
import type { SurveyKind } from '../surveys/survey.entity';
import { BenchmarkComparer } from './benchmark-comparisons';
import { benchmarkYear, notNull, npsValue, optionalText, requiredText } from './benchmark-rules';
import { Benchmark } from './benchmark.entity';
import { CreateBenchmarkInput, UpdateBenchmarkInput } from './benchmark.inputs';
import type { BenchmarkComparison } from './benchmark.types';
import { transaction } from '../../transaction';

/** Which benchmarks a list asks for. */
export interface BenchmarkQuery {
  industry?: string;
  surveyKind?: SurveyKind;
  year?: number;
}

/**
 * Industry benchmarks: published NPS figures by industry, kind of survey and year. Reference data,
 * not customer data: every role that reads the organisation reads them (READ_ORG); ADMIN and
 * EXECUTIVE keys write them (WRITE_BENCHMARKS). The comparisons of a score with the benchmarks and
 * standards that apply to it need READ_REPORTS (they are report figures).
 */
export class BenchmarkService {
  private readonly comparer: BenchmarkComparer;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {
    this.comparer = new BenchmarkComparer(deps, services);
  }

  /** Ordered by industry, survey kind, newest year first, name. The industry matches case-insensitively. */
  async list(ctx: RequestContext, q: BenchmarkQuery): Promise<Benchmark[]> {
    this.services.access.require(ctx, Permission.READ_ORG);
    const qb = ctx.em
      .getRepository(Benchmark)
      .createQueryBuilder('b')
      .orderBy('lower(b.industry)', 'ASC')
      .addOrderBy('b.surveyKind', 'ASC')
      .addOrderBy('b.year', 'DESC')
      .addOrderBy('lower(b.name)', 'ASC')
      .addOrderBy('b.id', 'ASC');
    if (q.industry !== undefined) qb.andWhere('lower(b.industry) = lower(:industry)', { industry: requiredText(q.industry, 'industry') });
    if (q.surveyKind) qb.andWhere('b.survey_kind = :kind', { kind: q.surveyKind });
    if (q.year !== undefined) qb.andWhere('b.year = :year', { year: benchmarkYear(q.year, 'year') });
    return qb.getMany();
  }

  async create(ctx: RequestContext, input: CreateBenchmarkInput): Promise<Benchmark> {
    this.services.access.require(ctx, Permission.WRITE_BENCHMARKS);
    const row = new Benchmark();
    Object.assign(row, {
      name: requiredText(input.name, 'name'),
      industry: requiredText(input.industry, 'industry'),
      surveyKind: input.surveyKind,
      value: npsValue(input.value, 'value'),
      source: requiredText(input.source, 'source'),
      year: benchmarkYear(input.year, 'year'),
      notes: optionalText(input.notes),
    });
    return transaction(ctx, async (ctx) => {
      await this.assertUnique(ctx, row);
      return ctx.em.getRepository(Benchmark).save(row);
    }).then(afterCommit(ctx)); // later fields of the request compare with the benchmark as written
  }

  async update(ctx: RequestContext, id: string, input: UpdateBenchmarkInput): Promise<Benchmark> {
    this.services.access.require(ctx, Permission.WRITE_BENCHMARKS);
    notNull(input as Record<string, unknown>, ['name', 'industry', 'surveyKind', 'value', 'source', 'year']);
    return transaction(ctx, async (ctx) => {
      const repo = ctx.em.getRepository(Benchmark);
      const row = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw notFound('Benchmark', id, 'id');
      if (input.name !== undefined) row.name = requiredText(input.name!, 'name');
      if (input.industry !== undefined) row.industry = requiredText(input.industry!, 'industry');
      if (input.surveyKind !== undefined) row.surveyKind = input.surveyKind!;
      if (input.value !== undefined) row.value = npsValue(input.value!, 'value');
      if (input.source !== undefined) row.source = requiredText(input.source!, 'source');
      if (input.year !== undefined) row.year = benchmarkYear(input.year!, 'year');
      if (input.notes !== undefined) row.notes = optionalText(input.notes);
      await this.assertUnique(ctx, row);
      return repo.save(row);
    }).then(afterCommit(ctx));
  }

  /** Returns the id of the deleted benchmark. */
  async delete(ctx: RequestContext, id: string): Promise<string> {
    this.services.access.require(ctx, Permission.WRITE_BENCHMARKS);
    return transaction(ctx, async (ctx) => {
      const { affected } = await ctx.em.getRepository(Benchmark).delete({ id });
      if (!affected) throw notFound('Benchmark', id, 'id');
      return id;
    }).then(afterCommit(ctx));
  }

  /** NpsScore.benchmarks: the benchmarks and standards that apply to the score, compared with it. */
  forScore(ctx: RequestContext, score: NpsScore, industry?: string | null): Promise<BenchmarkComparison[]> {
    this.services.access.require(ctx, Permission.READ_REPORTS);
    return this.comparer.compare(ctx, score, industry);
  }

  /**
   * CONFLICT (naming the other benchmark) when one with the same name, industry, survey kind and
   * year exists (names and industries in any case). A concurrent twin is stopped by the unique
   * index benchmarks_identity_key (CONFLICT too).
   */
  private async assertUnique(ctx: RequestContext, row: Benchmark): Promise<void> {
    const [clash] = await ctx.em.query(
      `SELECT id FROM benchmarks WHERE lower(name) = lower($1) AND lower(industry) = lower($2) AND survey_kind = $3 AND year = $4
         AND id IS DISTINCT FROM $5::uuid`,
      [row.name, row.industry, row.surveyKind, row.year, row.id ?? null],
    );
    if (clash) {
      throw conflict(`A ${row.surveyKind.toLowerCase()} benchmark named ${JSON.stringify(row.name)} for ${JSON.stringify(row.industry)} in ${row.year} already exists`, {
        benchmarkId: clash.id,
      });
    }
  }
}
