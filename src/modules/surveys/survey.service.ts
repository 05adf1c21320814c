import type { RequestContext, ServiceDeps } from '../../context';
import { notFound } from '../../common/errors';
import { forgetDerived } from '../../common/request-cache';
import type { Services } from '../../services';
import { Permission } from '../auth/permissions';
import { Survey } from './survey.entity';
import { SurveyInput } from './survey.inputs';

/** The columns an upsert may leave unchanged, with the input field each comes from. */
const OPTIONAL = [
  ['channel', 'channel', true],
  ['cadence_days', 'cadenceDays', true],
  ['auto_follow_up', 'autoFollowUp', false],
  ['follow_up_threshold', 'followUpThreshold', false],
] as const;

export class SurveyService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {}

  async list(ctx: RequestContext): Promise<Survey[]> {
    this.services.access.require(ctx, Permission.READ_ORG);
    return ctx.em.getRepository(Survey).find({ order: { code: 'ASC' } });
  }

  async byId(ctx: RequestContext, id: string): Promise<Survey> {
    this.services.access.require(ctx, Permission.READ_ORG);
    const survey = await ctx.loaders.survey.load(id);
    if (!survey) throw notFound('Survey', id, 'id');
    return survey;
  }

  /** Finds surveys by code (through ctx.em: inside the caller's transaction, if any); unknown codes are simply absent from the map. */
  async byCodes(ctx: RequestContext, codes: readonly string[]): Promise<Map<string, { id: string; code: string }>> {
    if (!codes.length) return new Map();
    const rows: { id: string; code: string }[] = await ctx.em.query('SELECT id, code FROM surveys WHERE code = ANY($1::text[])', [[...new Set(codes)]]);
    return new Map(rows.map((r) => [r.code, r]));
  }

  /**
   * One statement, race-free: INSERT ... ON CONFLICT (code) DO UPDATE. name and kind are always
   * set; an optional field is written only when given (nullable ones may be cleared with null).
   */
  async upsert(ctx: RequestContext, input: SurveyInput): Promise<Survey> {
    this.services.access.require(ctx, Permission.WRITE_ORG);
    const values: unknown[] = [input.code, input.name, input.kind];
    const cols = ['code', 'name', 'kind'];
    const sets = ['name = EXCLUDED.name', 'kind = EXCLUDED.kind'];
    for (const [column, field, nullable] of OPTIONAL) {
      const v = input[field];
      if (v === undefined || (v === null && !nullable)) continue;
      values.push(v);
      cols.push(column);
      sets.push(`${column} = EXCLUDED.${column}`);
    }
    const changed = sets.map((s) => s.split(' = ')[0]);
    const [row]: { id: string }[] = await ctx.em.query(
      `INSERT INTO surveys AS s (${cols.join(', ')}) VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')})
       ON CONFLICT (code) DO UPDATE SET ${sets.join(', ')},
         updated_at = CASE WHEN (${changed.map((c) => `s.${c}`).join(', ')}) IS DISTINCT FROM (${changed.map((c) => `EXCLUDED.${c}`).join(', ')})
                           THEN now() ELSE s.updated_at END
       RETURNING id`,
      values,
    );
    ctx.loaders.survey.clear(row.id);
    forgetDerived(ctx); // a survey's kind may change what its responses count towards
    return (await ctx.em.getRepository(Survey).findOneByOrFail({ id: row.id }));
  }
}
