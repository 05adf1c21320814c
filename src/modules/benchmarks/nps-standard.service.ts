import type { RequestContext, ServiceDeps } from '../../context';
import { badInput, conflict, notFound } from '../../common/errors';
import { parseId } from '../../common/ids';
import { loadRef } from '../../common/loader-factories';
import { afterCommit } from '../../common/request-cache';
import type { Services } from '../../services';
import { Permission } from '../auth/permissions';
import { Department } from '../departments/department.entity';
import { Segment } from '../segments/segment.entity';
import { notNull, npsValue, optionalText, requiredText } from './benchmark-rules';
import { CreateStandardInput, UpdateStandardInput } from './benchmark.inputs';
import { NpsStandard } from './nps-standard.entity';
import { transaction } from '../../transaction';

/** Which standards a list asks for; ids already parsed. */
export interface StandardQuery {
  departmentId?: string;
  segmentId?: string;
}

/**
 * Internal NPS standards: the NPS a department (with its subtree) or a segment is expected to
 * reach, for one kind of survey or any. Organisation data like departments and segments: every
 * role that reads the organisation reads them, whatever its subtree (READ_ORG); ADMIN and EXECUTIVE
 * keys write them (WRITE_BENCHMARKS).
 */
export class NpsStandardService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {}

  /**
   * The standards set on one department (not those it inherits), on one segment, or all: department
   * standards by department code, then segment standards by segment name; any-kind first.
   */
  async list(ctx: RequestContext, q: StandardQuery): Promise<NpsStandard[]> {
    this.services.access.require(ctx, Permission.READ_ORG);
    if (q.departmentId && q.segmentId) throw badInput('Give departmentId or segmentId, not both', 'segmentId');
    if (q.departmentId && !(await ctx.loaders.department.load(q.departmentId))) throw notFound('Department', q.departmentId, 'departmentId');
    if (q.segmentId && !(await ctx.loaders.segment.load(q.segmentId))) throw notFound('Segment', q.segmentId, 'segmentId');
    const qb = ctx.em
      .getRepository(NpsStandard)
      .createQueryBuilder('s')
      .leftJoin('s.department', 'd')
      .leftJoin('s.segment', 'g')
      .orderBy('d.code', 'ASC', 'NULLS LAST')
      .addOrderBy('g.name', 'ASC')
      .addOrderBy('s.surveyKind', 'ASC', 'NULLS FIRST')
      .addOrderBy('s.id', 'ASC');
    if (q.departmentId) qb.andWhere('s.department_id = :dept', { dept: q.departmentId });
    if (q.segmentId) qb.andWhere('s.segment_id = :seg', { seg: q.segmentId });
    return qb.getMany();
  }

  async create(ctx: RequestContext, input: CreateStandardInput): Promise<NpsStandard> {
    this.services.access.require(ctx, Permission.WRITE_BENCHMARKS);
    const hasDept = input.departmentId !== undefined && input.departmentId !== null;
    const hasSegment = input.segmentId !== undefined && input.segmentId !== null;
    if (hasDept && hasSegment) throw badInput('A standard is for a department or a segment: give departmentId or segmentId, not both', 'segmentId');
    if (!hasDept && !hasSegment) throw badInput('A standard needs a scope: give departmentId or segmentId', 'departmentId');
    const row = Object.assign(new NpsStandard(), {
      name: requiredText(input.name, 'name'),
      description: optionalText(input.description),
      value: npsValue(input.value, 'value'),
      surveyKind: input.surveyKind ?? null,
      departmentId: hasDept ? parseId(input.departmentId!, 'departmentId') : null,
      segmentId: hasSegment ? parseId(input.segmentId!, 'segmentId') : null,
    });
    return transaction(ctx, async (ctx) => {
      // Read through ctx.em: inside the transaction (on the embedded database the pool has one connection).
      if (row.departmentId && !(await ctx.em.getRepository(Department).existsBy({ id: row.departmentId }))) {
        throw notFound('Department', row.departmentId, 'departmentId');
      }
      if (row.segmentId && !(await ctx.em.getRepository(Segment).existsBy({ id: row.segmentId }))) throw notFound('Segment', row.segmentId, 'segmentId');
      await this.assertUnique(ctx, row);
      return ctx.em.getRepository(NpsStandard).save(row);
    }).then(afterCommit(ctx)); // later fields of the request compare scores with the standard as written
  }

  async update(ctx: RequestContext, id: string, input: UpdateStandardInput): Promise<NpsStandard> {
    this.services.access.require(ctx, Permission.WRITE_BENCHMARKS);
    notNull(input as Record<string, unknown>, ['name', 'value']);
    return transaction(ctx, async (ctx) => {
      const repo = ctx.em.getRepository(NpsStandard);
      const row = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw notFound('Standard', id, 'id');
      if (input.name !== undefined) row.name = requiredText(input.name!, 'name');
      if (input.description !== undefined) row.description = optionalText(input.description);
      if (input.value !== undefined) row.value = npsValue(input.value!, 'value');
      if (input.surveyKind !== undefined) row.surveyKind = input.surveyKind;
      await this.assertUnique(ctx, row);
      return repo.save(row);
    }).then(afterCommit(ctx));
  }

  /** Returns the id of the deleted standard. */
  async delete(ctx: RequestContext, id: string): Promise<string> {
    this.services.access.require(ctx, Permission.WRITE_BENCHMARKS);
    return transaction(ctx, async (ctx) => {
      const { affected } = await ctx.em.getRepository(NpsStandard).delete({ id });
      if (!affected) throw notFound('Standard', id, 'id');
      return id;
    }).then(afterCommit(ctx));
  }

  department(ctx: RequestContext, standard: NpsStandard): Promise<Department | null> {
    return loadRef(ctx.loaders.department, standard.departmentId);
  }

  segment(ctx: RequestContext, standard: NpsStandard): Promise<Segment | null> {
    return loadRef(ctx.loaders.segment, standard.segmentId);
  }

  /**
   * CONFLICT (naming the other standard) when the scope already has a standard for this kind (or
   * for any kind, when surveyKind is null). A concurrent twin is stopped by nps_standards_scope_key.
   */
  private async assertUnique(ctx: RequestContext, row: NpsStandard): Promise<void> {
    const [clash] = await ctx.em.query(
      `SELECT id FROM nps_standards WHERE department_id IS NOT DISTINCT FROM $1::uuid AND segment_id IS NOT DISTINCT FROM $2::uuid
         AND survey_kind IS NOT DISTINCT FROM $3 AND id IS DISTINCT FROM $4::uuid`,
      [row.departmentId, row.segmentId, row.surveyKind, row.id ?? null],
    );
    if (clash) {
      const whose = row.departmentId ? 'This department' : 'This segment';
      const kind = row.surveyKind ? `${row.surveyKind.toLowerCase()} surveys` : 'any kind of survey';
      throw conflict(`${whose} already has a standard for ${kind}`, { standardId: clash.id });
    }
  }
}
