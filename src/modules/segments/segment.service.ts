import type { RequestContext, ServiceDeps } from '../../context';
import { badInput, conflict, notFound } from '../../common/errors';
import { afterCommit, forgetDerived } from '../../common/request-cache';
import type { Services } from '../../services';
import { transaction } from '../../transaction';
import { Permission } from '../auth/permissions';
import { FILTER_FIELD_LIST } from '../reporting/filter/fields';
import { NormalizedFilter, normalizeFilter, toStoredFilter } from '../reporting/filter/normalize-filter';
import type { ResponseFilter } from '../reporting/filter/response-filter.input';
import type { NpsScore } from '../reporting/nps-score.type';
import { SegmentFilter } from './segment-filter.type';
import { CreateSegmentInput, UpdateSegmentInput } from './segment.inputs';
import { Segment } from './segment.entity';
import { Department } from '../departments/department.entity';
import { Survey } from '../surveys/survey.entity';

/** Saved, named filters over responses. Names are unique case-insensitively. */
export class SegmentService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {}

  async list(ctx: RequestContext): Promise<Segment[]> {
    this.services.access.require(ctx, Permission.READ_ORG);
    const rows = await ctx.em.getRepository(Segment).find({ order: { name: 'ASC', id: 'ASC' } });
    for (const row of rows) ctx.loaders.segment.prime(row.id, row); // their scores compile through the loader
    return rows;
  }

  async byId(ctx: RequestContext, id: string): Promise<Segment> {
    this.services.access.require(ctx, Permission.READ_ORG);
    const segment = await ctx.loaders.segment.load(id);
    if (!segment) throw notFound('Segment', id, 'id');
    return segment;
  }

  async create(ctx: RequestContext, input: CreateSegmentInput): Promise<Segment> {
    this.services.access.require(ctx, Permission.WRITE_SEGMENTS);
    const name = cleanName(input.name, 'input.name');
    const filter = await this.validateFilter(ctx, input.filter);
    return transaction(ctx, async (ctx) => {
      await this.assertNameFree(ctx, name, null);
      const repo = ctx.em.getRepository(Segment);
      return repo.save(repo.create({ name, description: input.description ?? null, filter: toStoredFilter(filter) }));
    }).then(afterCommit(ctx));
  }

  async update(ctx: RequestContext, id: string, input: UpdateSegmentInput): Promise<Segment> {
    this.services.access.require(ctx, Permission.WRITE_SEGMENTS);
    const name = input.name === undefined || input.name === null ? undefined : cleanName(input.name, 'input.name');
    const filter = input.filter === undefined || input.filter === null ? undefined : await this.validateFilter(ctx, input.filter);
    const saved = await transaction(ctx, async (ctx) => {
      const repo = ctx.em.getRepository(Segment);
      const segment = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!segment) throw notFound('Segment', id, 'id');
      if (name !== undefined && name !== segment.name) {
        await this.assertNameFree(ctx, name, segment.id);
        segment.name = name;
      }
      if (input.description !== undefined) segment.description = input.description ?? null;
      if (filter) segment.filter = toStoredFilter(filter);
      return repo.save(segment);
    });
    // Later fields of the request read the segment as written: its row, and its scores (keyed on
    // {segmentId}) and the KPI targets measured over it, which are derived caches.
    ctx.loaders.segment.clear(id).prime(id, saved);
    forgetDerived(ctx);
    return saved;
  }

  /**
   * Deletes a segment and returns its id. A segment that KPI targets or an internal NPS standard use
   * is refused with CONFLICT (naming how many), so neither disappears through the foreign key's cascade.
   */
  async delete(ctx: RequestContext, id: string): Promise<string> {
    this.services.access.require(ctx, Permission.WRITE_SEGMENTS);
    await transaction(ctx, async (ctx) => {
      const [segment] = await ctx.em.query('SELECT id FROM segments WHERE id = $1 FOR UPDATE', [id]);
      if (!segment) throw notFound('Segment', id, 'id');
      const [{ n }] = await ctx.em.query('SELECT count(*)::int AS n FROM kpi_targets WHERE segment_id = $1', [id]);
      if (n > 0) {
        throw conflict(`The segment is used by ${n} KPI target${n === 1 ? '' : 's'}; delete them or change their segment first`, {
          kpiTargets: n,
        });
      }
      const [{ standards }] = await ctx.em.query('SELECT count(*)::int AS standards FROM nps_standards WHERE segment_id = $1', [id]);
      if (standards > 0) {
        throw conflict(`The segment has ${standards} internal NPS standard${standards === 1 ? '' : 's'}; delete ${standards === 1 ? 'it' : 'them'} first`, {
          standards,
        });
      }
      await ctx.em.query('DELETE FROM segments WHERE id = $1', [id]);
    });
    ctx.loaders.segment.clear(id);
    forgetDerived(ctx);
    return id;
  }

  /** The saved filter as a readable object. */
  filterOf(_ctx: RequestContext, segment: Segment): SegmentFilter {
    return SegmentFilter.from(normalizeFilter(segment.filter, 'segment filter'));
  }

  /** The departments a saved filter names (by id or by code) that still exist, through the loaders. */
  async filterDepartments(ctx: RequestContext, filter: SegmentFilter): Promise<Department[]> {
    this.services.access.require(ctx, Permission.READ_ORG);
    const [byId, byCode] = await Promise.all([
      ctx.loaders.department.loadMany(filter.departmentIds ?? []),
      ctx.loaders.departmentByCode.loadMany(filter.departmentCodes ?? []),
    ]);
    return [...byId, ...byCode].filter((d): d is Department => d instanceof Department);
  }

  /** The surveys a saved filter names that still exist, through the loader. */
  async filterSurveys(ctx: RequestContext, filter: SegmentFilter): Promise<Survey[]> {
    this.services.access.require(ctx, Permission.READ_ORG);
    const rows = await ctx.loaders.survey.loadMany(filter.surveyIds ?? []);
    return rows.filter((s): s is Survey => s instanceof Survey);
  }

  /** The segment's own filter narrowed by `filter` (READ_REPORTS; a MANAGER key sees its subtree only). */
  async score(ctx: RequestContext, segment: Segment, filter: ResponseFilter | null | undefined): Promise<NpsScore> {
    this.services.access.require(ctx, Permission.READ_REPORTS);
    if (filter?.segmentId !== null && filter?.segmentId !== undefined && filter.segmentId.toLowerCase() !== segment.id) {
      throw badInput("filter.segmentId cannot name another segment here: the score is already the segment's", 'filter.segmentId');
    }
    return this.services.reporting.summary(ctx, { ...(filter ?? {}), segmentId: segment.id });
  }

  /** A segment filter: no segmentId; departments, surveys and agents it names must exist (NOT_FOUND). */
  private async validateFilter(ctx: RequestContext, input: ResponseFilter): Promise<NormalizedFilter> {
    if (input.segmentId !== null && input.segmentId !== undefined) {
      throw badInput('A segment filter cannot name another segment', 'input.filter.segmentId');
    }
    for (const [name, field] of FILTER_FIELD_LIST) {
      const v = (input as Record<string, unknown>)[name];
      if (field.segment === false && name !== 'segmentId' && v !== null && v !== undefined) {
        throw badInput(`A segment filter cannot hold ${name}`, `input.filter.${name}`);
      }
    }
    const filter = normalizeFilter(input as unknown as Record<string, unknown>, 'input.filter');
    await this.services.filters.assertReferencesExist(ctx, filter, 'input.filter');
    return filter;
  }

  /** CONFLICT when another segment has this name (any case). Serialised per name by an advisory lock. */
  private async assertNameFree(ctx: RequestContext, name: string, selfId: string | null): Promise<void> {
    await ctx.em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`segment-name:${name.toLowerCase()}`]);
    const [clash] = await ctx.em.query('SELECT id, name FROM segments WHERE lower(name) = lower($1) AND id IS DISTINCT FROM $2::uuid', [name, selfId]);
    if (clash) throw conflict(`A segment named ${JSON.stringify(clash.name)} already exists`, { segmentId: clash.id });
  }
}

function cleanName(raw: string, field: string): string {
  const name = raw.trim();
  if (!name) throw badInput(`${field} must not be blank`, field);
  return name;
}
