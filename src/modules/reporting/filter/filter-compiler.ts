import type { AppDeps, RequestContext } from '../../../context';
import { DomainError, ErrorCode, notFound } from '../../../common/errors';
import { SqlParams } from '../../../common/sql-params';
import type { Services } from '../../../services';
import type { Dim } from '../facts/rollup-defs';
import { NpsCategory } from '../nps-category';
import { departmentsInScope } from './field-checks';
import { FILTER_FIELD_LIST, FilterEnv, inSubtrees } from './fields';
import { earlierBound, FilterPlan, laterBound } from './filter-plan';
import { NormalizedFilter, normalizeFilter } from './normalize-filter';
import type { ResponseFilter } from './response-filter.input';


/**
 * The one place that decides what a ResponseFilter means. It turns the filter, the segment it
 * names and the caller's access scope into a FilterPlan (conditions, the rollup dimensions they
 * read, time bounds, categories) that the fact planner routes to rollups or raw rows; compile()
 * gives the same as one SQL condition over `responses` for the questions that list rows. The
 * fields, their checks and their conditions come from the one table (fields.ts); this class plans
 * what is not a condition of one field: time bounds, categories, the segment, the caller's scope.
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
    const filter = normalizeFilter(input);
    const filters: NormalizedFilter[] = [];
    if (filter.segmentId) {
      const segment = await ctx.loaders.segment.load(filter.segmentId);
      if (!segment) throw notFound('Segment', filter.segmentId, 'filter.segmentId');
      filters.push(normalizeFilter(segment.filter, 'segment filter'));
    }
    this.assertPermitted(ctx, filters, filter);
    await this.assertReferencesExist(ctx, filter, 'filter');
    await this.assertInScope(ctx, filter, 'filter');
    filters.push(filter);
    const env: FilterEnv = { textSearchLanguage: this.deps.config.textSearchLanguage };

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
      for (const [name, field] of FILTER_FIELD_LIST) {
        const value = f[name];
        if (value === undefined || !field.condition) continue;
        const { sql, reads } = field.condition;
        const v = params.p(field.bind ? await field.bind(ctx, value) : value);
        conditions.push((a) => sql(a, v, env));
        if (reads === 'raw') rawOnly.push(name);
        else dims.add(reads);
      }
    }
    // A context asked "as of" an instant counts only the responses given before it.
    to = earlierBound(to, ctx.respondedBefore);
    const scope = this.services.access.departmentScope(ctx);
    if (scope) {
      const v = params.p([scope]);
      conditions.push((a) => inSubtrees(a, v));
      dims.add('department_id');
    }
    return new FilterPlan(conditions, dims, rawOnly, from, to, categories, params);
  }

  /**
   * FORBIDDEN, naming the field, for a field the caller may not filter on (a field derived from the
   * verbatims, for a key without READ_RESPONSES), in the request's filter or the segment it names.
   */
  private assertPermitted(ctx: RequestContext, segment: readonly NormalizedFilter[], filter: NormalizedFilter): void {
    const check = (f: NormalizedFilter, prefix: string) => {
      for (const [name, field] of FILTER_FIELD_LIST) {
        if (f[name] !== undefined && field.requires && !this.services.access.can(ctx, field.requires)) {
          throw new DomainError(ErrorCode.FORBIDDEN, `Your key (role ${ctx.viewer.role}) may not filter on ${name}: it needs the permission ${field.requires}`, `${prefix}.${name}`, {
            permission: field.requires,
          });
        }
      }
    };
    for (const f of segment) check(f, 'segment filter');
    check(filter, 'filter');
  }

  /**
   * What the filter names must exist: NOT_FOUND for a department, survey or agent id, BAD_USER_INPUT
   * for an unknown department code (one batched lookup per kind, through the request's loaders).
   * `prefix` names the field in the error.
   */
  async assertReferencesExist(ctx: RequestContext, filter: NormalizedFilter, prefix: string): Promise<void> {
    for (const [name, field] of FILTER_FIELD_LIST) {
      const value = filter[name];
      if (value !== undefined && field.exists) await field.exists(ctx, value, `${prefix}.${name}`);
    }
  }

  /**
   * Departments outside the caller's subtree are FORBIDDEN, whether named by id or by code
   * (existence is checked before). The subtree is read once per request (a KPI list compiles one
   * filter per target).
   */
  private async assertInScope(ctx: RequestContext, filter: NormalizedFilter, prefix: string): Promise<void> {
    await departmentsInScope(ctx, (await this.departmentsNamed(ctx, filter, prefix)) ?? []);
  }

  /**
   * The ids of the departments a (valid) filter names, by id or by code; undefined when it names
   * none. For the questions that follow "the one department the filter names" (benchmarks).
   */
  async namedDepartmentIds(ctx: RequestContext, filter: NormalizedFilter): Promise<string[] | undefined> {
    return (await this.departmentsNamed(ctx, filter))?.map(([, id]) => id);
  }

  /** [written, id] pairs of the departments the filter's fields name; `prefix`: unknown ones are errors. */
  private async departmentsNamed(ctx: RequestContext, filter: NormalizedFilter, prefix?: string): Promise<[string, string][] | undefined> {
    let named: [string, string][] | undefined;
    for (const [name, field] of FILTER_FIELD_LIST) {
      const value = filter[name];
      if (value === undefined || !field.departments) continue;
      const pairs = await field.departments(ctx, value, prefix === undefined ? undefined : `${prefix}.${name}`);
      named = [...(named ?? []), ...pairs];
    }
    return named;
  }
}
