import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context';
import { parseId, parseOptionalId } from '../../common/ids';
import { Department } from '../departments/department.entity';
import { NpsScore } from '../reporting/nps-score.type';
import { Segment } from '../segments/segment.entity';
import { SurveyKind } from '../surveys/survey.entity';
import { Benchmark } from './benchmark.entity';
import { CreateBenchmarkInput, CreateStandardInput, UpdateBenchmarkInput, UpdateStandardInput } from './benchmark.inputs';
import { BenchmarkComparison } from './benchmark.types';
import { NpsStandard } from './nps-standard.entity';
import { ReportCached } from '../../common/report-cache/cached.decorator';

const WRITERS = 'ADMIN and EXECUTIVE keys';

@Resolver(() => Benchmark)
export class BenchmarkResolver {
  @ReportCached()
  @Query(() => [Benchmark], { description: 'Industry benchmarks, ordered by industry, survey kind, newest year first, name. Any key that reads the organisation may ask.' })
  benchmarks(
    @Ctx() ctx: RequestContext,
    @Arg('industry', () => String, { nullable: true, description: 'Only this industry (case-insensitive).' }) industry?: string,
    @Arg('surveyKind', () => SurveyKind, { nullable: true, description: 'Only benchmarks of this kind of survey.' }) surveyKind?: SurveyKind,
    @Arg('year', () => Int, { nullable: true, description: 'Only figures of this year.' }) year?: number,
  ): Promise<Benchmark[]> {
    return ctx.services.benchmarks.list(ctx, { industry: industry ?? undefined, surveyKind: surveyKind ?? undefined, year: year ?? undefined });
  }

  @Mutation(() => Benchmark, { description: `Adds an industry benchmark (${WRITERS}). The same name, industry, survey kind and year twice (in any case) is a CONFLICT.` })
  createBenchmark(@Ctx() ctx: RequestContext, @Arg('input') input: CreateBenchmarkInput): Promise<Benchmark> {
    return ctx.services.benchmarks.create(ctx, input);
  }

  @Mutation(() => Benchmark, { description: `Changes an industry benchmark (${WRITERS}). Omitted fields are unchanged.` })
  updateBenchmark(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Arg('input') input: UpdateBenchmarkInput): Promise<Benchmark> {
    return ctx.services.benchmarks.update(ctx, parseId(id, 'id'), input);
  }

  @Mutation(() => ID, { description: `Deletes an industry benchmark (${WRITERS}) and returns its id.` })
  deleteBenchmark(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<string> {
    return ctx.services.benchmarks.delete(ctx, parseId(id, 'id'));
  }
}

@Resolver(() => NpsStandard)
export class NpsStandardResolver {
  @ReportCached()
  @Query(() => [NpsStandard], {
    description:
      "Internal NPS standards: those set on one department (not those it inherits from its ancestors: a score's benchmarks show the one that applies), on one segment, or all. Department standards first (by department code), then segment standards (by segment name). Any key that reads the organisation may ask, for any department.",
  })
  standards(
    @Ctx() ctx: RequestContext,
    @Arg('departmentId', () => ID, { nullable: true, description: 'Only the standards set on this department. NOT_FOUND when unknown.' }) departmentId?: string,
    @Arg('segmentId', () => ID, { nullable: true, description: 'Only the standards set on this segment (not with departmentId). NOT_FOUND when unknown.' }) segmentId?: string,
  ): Promise<NpsStandard[]> {
    return ctx.services.standards.list(ctx, { departmentId: parseOptionalId(departmentId, 'departmentId'), segmentId: parseOptionalId(segmentId, 'segmentId') });
  }

  @Mutation(() => NpsStandard, {
    description: `Sets an internal standard for a department or a segment (${WRITERS}). A second standard for the same scope and survey kind is a CONFLICT.`,
  })
  createStandard(@Ctx() ctx: RequestContext, @Arg('input') input: CreateStandardInput): Promise<NpsStandard> {
    return ctx.services.standards.create(ctx, input);
  }

  @Mutation(() => NpsStandard, { description: `Changes an internal standard (${WRITERS}). Omitted fields are unchanged.` })
  updateStandard(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Arg('input') input: UpdateStandardInput): Promise<NpsStandard> {
    return ctx.services.standards.update(ctx, parseId(id, 'id'), input);
  }

  @Mutation(() => ID, { description: `Deletes an internal standard (${WRITERS}) and returns its id.` })
  deleteStandard(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<string> {
    return ctx.services.standards.delete(ctx, parseId(id, 'id'));
  }

  @FieldResolver(() => Department, { nullable: true, description: 'The department (with its subtree) the standard is for; null for a segment standard.' })
  department(@Ctx() ctx: RequestContext, @Root() standard: NpsStandard): Promise<Department | null> {
    return ctx.services.standards.department(ctx, standard);
  }

  @FieldResolver(() => Segment, { nullable: true, description: 'The segment the standard is for; null for a department standard.' })
  segment(@Ctx() ctx: RequestContext, @Root() standard: NpsStandard): Promise<Segment | null> {
    return ctx.services.standards.segment(ctx, standard);
  }
}

@Resolver(() => NpsScore)
export class NpsScoreBenchmarksResolver {
  @FieldResolver(() => [BenchmarkComparison], {
    description:
      'The benchmarks and internal standards that apply to this score, each with the gap and whether the score differs significantly from it: ' +
      "the department's standard (its own, else its nearest ancestor's) for a department's score, or when the filter names exactly one department, by id or by code (a MANAGER key naming none: its own department); " +
      "the segment's standard when the score is a segment's (filter.segmentId); " +
      "and, when every response counted comes from one kind of survey (the filter or its segment pins surveyKind, or names surveys of one kind), the industry benchmarks of that kind for the company's industry. " +
      'A standard for the kind of survey counted is preferred over one for any kind; a scope that may mix kinds gets standards for any kind only, and no industry benchmark. ' +
      'Standards first, then industry benchmarks (newest year first). Needs READ_REPORTS.',
  })
  benchmarks(
    @Ctx() ctx: RequestContext,
    @Root() score: NpsScore,
    @Arg('industry', () => String, {
      nullable: true,
      description: "Compare with this industry's benchmarks (case-insensitive) instead of the company's (the server's COMPANY_INDUSTRY; when unset, every industry's).",
    })
    industry?: string,
  ): Promise<BenchmarkComparison[]> {
    return ctx.services.benchmarks.forScore(ctx, score, industry);
  }
}
