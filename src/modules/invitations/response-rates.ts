import type { RequestContext } from '../../context';
import { badInput } from '../../common/errors';
import { SqlParams } from '../../common/sql-params';
import { wilsonInterval } from '../../scoring';
import type { Services } from '../../services';
import { Permission } from '../auth/permissions';
import { TrendInterval } from '../reporting/reporting.types';
import { RateDimension, ResponseRateFilter } from './invitation.inputs';
import { ResponseRate } from './invitation.types';

/**
 * Response rates: invitations with a linked response over invitations sent, counted on
 * invitation_rollup_day (day x survey x department x channel, kept exact by triggers), grouped by
 * the dimensions asked and optionally by UTC period, with a Wilson interval from the scoring
 * module. A MANAGER key counts the invitations of its subtree only.
 */
export async function responseRates(
  ctx: RequestContext,
  services: Services,
  filter: ResponseRateFilter | null | undefined,
  by: readonly RateDimension[],
  interval: TrendInterval | null | undefined,
): Promise<ResponseRate[]> {
  services.access.require(ctx, Permission.READ_REPORTS);
  const params = new SqlParams();
  const where: string[] = [];
  const f = filter ?? {};
  if (f.from && f.to && f.from >= f.to) throw badInput('filter.from must be before filter.to', 'filter.from');
  if (f.from) where.push(`x.bucket_start >= date_trunc('day', ${params.p(f.from)}::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`);
  if (f.to) where.push(`x.bucket_start < ${params.p(f.to)}::timestamptz`);
  if (f.surveyCodes?.length) where.push(`x.survey_id IN (SELECT id FROM surveys WHERE code = ANY(${params.p(f.surveyCodes)}::text[]))`);
  if (f.channels?.length) where.push(`x.channel = ANY(${params.p(f.channels)}::text[])`);
  if (f.departmentCode != null) {
    const id = (await services.departments.idsByCode(ctx, [f.departmentCode])).get(f.departmentCode);
    if (!id) throw badInput(`No department has the code ${JSON.stringify(f.departmentCode)}`, 'filter.departmentCode');
    await services.access.assertDepartmentsVisible(ctx, [id], 'filter.departmentCode');
    where.push(`x.department_id = ANY(department_subtree(ARRAY[${params.p(id)}]::uuid[]))`);
  }
  const scope = services.access.departmentScope(ctx);
  if (scope) where.push(`x.department_id = ANY(department_subtree(ARRAY[${params.p(scope)}]::uuid[]))`);
  const has = (d: RateDimension) => by.includes(d);
  const unit = interval ? interval.toLowerCase() : null;
  const rows: Record<string, unknown>[] = await ctx.em.query(
    `SELECT ${has(RateDimension.SURVEY) ? 's.code' : 'NULL::text'} AS survey_code,
            ${has(RateDimension.DEPARTMENT) ? 'd.code' : 'NULL::text'} AS department_code,
            ${has(RateDimension.CHANNEL) ? 'x.channel' : 'NULL::text'} AS channel,
            ${unit ? `date_trunc('${unit}', x.bucket_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'` : 'NULL::timestamptz'} AS period_start,
            sum(x.invitations)::bigint AS invitations, sum(x.responded)::bigint AS responded
     FROM invitation_rollup_day x
     LEFT JOIN surveys s ON s.id = x.survey_id
     LEFT JOIN departments d ON d.id = x.department_id
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     GROUP BY 1, 2, 3, 4
     HAVING sum(x.invitations) > 0
     ORDER BY 4 NULLS FIRST, 1 NULLS FIRST, 2 NULLS FIRST, 3 NULLS FIRST`,
    params.values,
  );
  return rows.map((r) => {
    const w = wilsonInterval(Number(r.responded), Number(r.invitations));
    return Object.assign(new ResponseRate(), {
      surveyCode: r.survey_code ?? null,
      departmentCode: r.department_code ?? null,
      channel: r.channel ?? null,
      periodStart: r.period_start ? new Date(r.period_start as string) : null,
      invitations: w.whole,
      responses: w.part,
      rate: w.rate,
      confidenceLow: w.low,
      confidenceHigh: w.high,
    });
  });
}
