import type { AppDeps, RequestContext } from '../../../context';
import { forbidden, notFound } from '../../../common/errors';
import { parseId } from '../../../common/ids';
import { SqlParams } from '../../../common/sql-params';
import { subtreeIdsSql } from '../../auth/access.service';
import type { Services } from '../../../services';
import { CATEGORY_SQL } from '../nps-category';
import { NormalizedFilter, normalizeFilter } from './normalize-filter';
import type { ResponseFilter } from './response-filter.input';

/**
 * The one place that decides what a ResponseFilter means. It turns the filter, the segment it
 * names and the caller's access scope into a SQL condition over `responses` (alias `r` by
 * default). Summary, trend, department and segment scores, response lists and KPI actuals all
 * call compile(); adding a dimension touches normalize-filter.ts, this file and the input type.
 */
export class FilterCompiler {
  constructor(
    private readonly deps: AppDeps,
    private readonly services: Services,
  ) {}

  /** Returns a SQL boolean expression; parameters are appended to `params`. */
  async compile(ctx: RequestContext, input: ResponseFilter | null | undefined, params: SqlParams, alias = 'r'): Promise<string> {
    const filter = normalizeFilter(input as Record<string, unknown> | null | undefined);
    const parts: string[] = [];
    const segmentId = input?.segmentId !== null && input?.segmentId !== undefined ? parseId(input.segmentId, 'filter.segmentId') : undefined;
    if (segmentId) {
      const segment = await ctx.loaders.segment.load(segmentId);
      if (!segment) throw notFound('Segment', segmentId, 'filter.segmentId');
      parts.push(...this.conditions(normalizeFilter(segment.filter, 'segment filter'), params, alias));
    }
    await this.assertReferencesExist(ctx, filter, 'filter');
    await this.checkDepartments(ctx, filter.departmentIds);
    parts.push(...this.conditions(filter, params, alias));
    const scope = this.services.access.departmentScope(ctx);
    if (scope) parts.push(`${alias}.department_id IN (${subtreeIdsSql(params.p([scope]))})`);
    return parts.length ? parts.join(' AND ') : 'TRUE';
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

  /** The conditions of one normalized filter. */
  private conditions(f: NormalizedFilter, params: SqlParams, r: string): string[] {
    const out: string[] = [];
    const p = (v: unknown) => params.p(v);
    if (f.from) out.push(`${r}.responded_at >= ${p(f.from)}`);
    if (f.to) out.push(`${r}.responded_at < ${p(f.to)}`);
    if (f.departmentIds) out.push(`${r}.department_id IN (${subtreeIdsSql(p(f.departmentIds))})`);
    if (f.surveyIds) out.push(`${r}.survey_id = ANY(${p(f.surveyIds)}::uuid[])`);
    if (f.surveyKind) out.push(`${r}.survey_id IN (SELECT id FROM surveys WHERE kind = ${p(f.surveyKind)})`);
    if (f.channels) out.push(`${r}.channel = ANY(${p(f.channels)}::text[])`);
    if (f.touchpoints) out.push(`${r}.touchpoint = ANY(${p(f.touchpoints)}::text[])`);
    if (f.agentIds) out.push(`${r}.agent_id = ANY(${p(f.agentIds)}::uuid[])`);
    if (f.categories) out.push(`(${f.categories.map((c) => CATEGORY_SQL[c](r)).join(' OR ')})`);
    if (f.hasComment !== undefined) out.push(f.hasComment ? `coalesce(btrim(${r}.comment), '') <> ''` : `coalesce(btrim(${r}.comment), '') = ''`);
    if (f.minScore !== undefined) out.push(`${r}.score >= ${p(f.minScore)}`);
    if (f.maxScore !== undefined) out.push(`${r}.score <= ${p(f.maxScore)}`);
    const customer: string[] = [];
    if (f.regions) customer.push(`c.region = ANY(${p(f.regions)}::text[])`);
    if (f.plans) customer.push(`c.plan = ANY(${p(f.plans)}::text[])`);
    if (f.signupChannels) customer.push(`c.signup_channel = ANY(${p(f.signupChannels)}::text[])`);
    if (f.products) customer.push(`c.product = ANY(${p(f.products)}::text[])`);
    if (f.spendMin !== undefined) customer.push(`c.spend >= ${p(f.spendMin)}`);
    if (f.spendMax !== undefined) customer.push(`c.spend < ${p(f.spendMax)}`);
    if (f.tenureMinDays !== undefined) customer.push(`${r}.responded_at - c.customer_since >= make_interval(days => ${p(f.tenureMinDays)}::int)`);
    if (f.tenureMaxDays !== undefined) customer.push(`${r}.responded_at - c.customer_since < make_interval(days => ${p(f.tenureMaxDays)}::int)`);
    if (customer.length) out.push(`EXISTS (SELECT 1 FROM customers c WHERE c.id = ${r}.customer_id AND ${customer.join(' AND ')})`);
    return out;
  }
}
