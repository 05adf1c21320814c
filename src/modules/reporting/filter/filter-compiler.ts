import type { AppDeps, RequestContext } from '../../../context';
import { forbidden, notFound } from '../../../common/errors';
import { parseId } from '../../../common/ids';
import { SqlParams } from '../../../common/sql-params';
import type { Services } from '../../../services';
import type { Dim } from '../facts/rollup-defs';
import { NpsCategory } from '../nps-category';
import { FILTER_FIELDS, inSubtrees } from './fields';
import { earlierBound, FilterPlan, laterBound } from './filter-plan';
import { NormalizedFilter, normalizeFilter } from './normalize-filter';
import type { ResponseFilter } from './response-filter.input';


/**
 * The one place that decides what a ResponseFilter means. It turns the filter, the segment it
 * names and the caller's access scope into a FilterPlan (conditions, the rollup dimensions they
 * read, time bounds, categories) that the fact planner routes to rollups or raw rows; compile()
 * gives the same as one SQL condition over `responses` for the questions that list rows. Adding a
 * dimension touches fields.ts, normalize-filter.ts and the input type.
 */
export class FilterCompiler {
  constructor(
    private readonly deps: AppDeps,
    private readonly services: Services,
  ) {}

  /** Returns a SQL boolean expression over responses; parameters are appended to `params`. */
  async compile(ctx: RequestContext, input: ResponseFilter | null | undefined, params: SqlParams, alias = 'r'): Promise<string> {
    return (await this.plan(ctx, input, params)).rawWhere(alias);
  }

  /** Compiles a filter into a plan; parameters are appended to `params`. */
  async plan(ctx: RequestContext, input: ResponseFilter | null | undefined, params: SqlParams): Promise<FilterPlan> {
    const filter = normalizeFilter(input as Record<string, unknown> | null | undefined);
    const filters: NormalizedFilter[] = [];
    const segmentId = input?.segmentId !== null && input?.segmentId !== undefined ? parseId(input.segmentId, 'filter.segmentId') : undefined;
    if (segmentId) {
      const segment = await ctx.loaders.segment.load(segmentId);
      if (!segment) throw notFound('Segment', segmentId, 'filter.segmentId');
      filters.push(normalizeFilter(segment.filter, 'segment filter'));
    }
    await this.assertReferencesExist(ctx, filter, 'filter');
    await this.checkDepartments(ctx, filter.departmentIds);
    filters.push(filter);

    const conditions: ((alias: string) => string)[] = [];
    const dims = new Set<Dim>();
    const rawOnly: string[] = [];
    let from: Date | undefined;
    let to: Date | undefined;
    let categories: Set<NpsCategory> | undefined;
    for (const f of filters) {
      from = laterBound(from, f.from);
      to = earlierBound(to, f.to);
      if (f.categories) categories = new Set(f.categories.filter((c) => !categories || categories.has(c)));
      for (const [name, field] of Object.entries(FILTER_FIELDS) as [keyof typeof FILTER_FIELDS, (typeof FILTER_FIELDS)[keyof typeof FILTER_FIELDS]][]) {
        const value = f[name];
        if (value === undefined) continue;
        const v = params.p(value);
        conditions.push((a) => field.sql(a, v));
        if (field.reads === 'raw') rawOnly.push(name);
        else dims.add(field.reads);
      }
    }
    const scope = this.services.access.departmentScope(ctx);
    if (scope) {
      const v = params.p([scope]);
      conditions.push((a) => inSubtrees(a, v));
      dims.add('department_id');
    }
    return new FilterPlan(conditions, dims, rawOnly, from, to, categories, params);
  }

  /**
   * NOT_FOUND for a department, survey or agent the filter names that does not exist (one batched
   * lookup per kind, through the request's loaders). `prefix` names the field in the error.
   */
  async assertReferencesExist(ctx: RequestContext, filter: NormalizedFilter, prefix: string): Promise<void> {
    const check = async <T>(what: string, field: string, ids: string[] | undefined, load: (id: string) => Promise<T | null>) => {
      if (!ids?.length) return;
      const found = await Promise.all(ids.map(load));
      const missing = ids.find((_, i) => !found[i]);
      if (missing) throw notFound(what, missing, `${prefix}.${field}`);
    };
    await check('Department', 'departmentIds', filter.departmentIds, (id) => ctx.loaders.department.load(id));
    await check('Survey', 'surveyIds', filter.surveyIds, (id) => ctx.loaders.survey.load(id));
    await check('Person', 'agentIds', filter.agentIds, (id) => ctx.loaders.person.load(id));
  }

  /**
   * Departments outside the caller's subtree are FORBIDDEN (existence is checked before). The
   * subtree is read once per request (a KPI list compiles one filter per target).
   */
  private async checkDepartments(ctx: RequestContext, ids: string[] | undefined): Promise<void> {
    if (!ids?.length) return;
    const inside = await this.services.access.scopeDepartmentIds(ctx);
    const outside = inside && ids.find((id) => !inside.has(id));
    if (outside) throw forbidden(`Department ${outside} is outside the department subtree your key may see`);
  }
}
