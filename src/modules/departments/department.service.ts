import { Permission } from '../auth/permissions';
import type { RequestContext, ServiceDeps } from '../../context';
import { badInput, notFound } from '../../common/errors';
import { forgetDerived } from '../../common/request-cache';
import { isSelfOrAbove } from '../../common/hierarchy';
import { Department } from './department.entity';
import { DepartmentInput } from './department.inputs';
import type { Services } from '../../services';
import { transaction } from '../../transaction';

/** Serialises changes to the department tree so two concurrent moves cannot create a cycle. */
const TREE_LOCK = 7_340_001;

export class DepartmentService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {}

  async list(ctx: RequestContext): Promise<Department[]> {
    this.services.access.require(ctx, Permission.READ_ORG);
    const scope = this.services.access.departmentScope(ctx);
    const qb = ctx.em.getRepository(Department).createQueryBuilder('d').orderBy('d.code', 'ASC');
    if (scope) qb.where(`d.id IN (${this.services.access.subtreeSql(':scopeRoot')})`, { scopeRoot: scope });
    return qb.getMany();
  }

  async byId(ctx: RequestContext, id: string): Promise<Department> {
    this.services.access.require(ctx, Permission.READ_ORG);
    const dept = await ctx.loaders.department.load(id);
    if (!dept) throw notFound('Department', id, 'id');
    return dept;
  }

  children(ctx: RequestContext, dept: Department): Promise<Department[]> {
    return ctx.loaders.departmentChildren.load(dept.id);
  }

  /** Finds departments by code (through ctx.em: inside the caller's transaction, if any); unknown codes are simply absent from the map. */
  async idsByCode(ctx: RequestContext, codes: readonly string[]): Promise<Map<string, string>> {
    if (!codes.length) return new Map();
    const rows: { id: string; code: string }[] = await ctx.em.query('SELECT id, code FROM departments WHERE code = ANY($1)', [
      [...new Set(codes)],
    ]);
    return new Map(rows.map((r) => [r.code, r.id]));
  }

  async upsert(ctx: RequestContext, input: DepartmentInput): Promise<Department> {
    this.services.access.require(ctx, Permission.WRITE_ORG);
    const saved = await transaction(ctx, async (ctx) => {
      await ctx.em.query('SELECT pg_advisory_xact_lock($1)', [TREE_LOCK]);
      const repo = ctx.em.getRepository(Department);
      const existing = await repo.findOneBy({ code: input.code });
      let parentId: string | null | undefined = undefined;
      if (input.parentCode === null) parentId = null;
      else if (input.parentCode !== undefined) {
        const parent = await repo.findOneBy({ code: input.parentCode });
        if (!parent) throw notFound('Department with code', input.parentCode, 'parentCode');
        if (existing) await this.assertNotAncestor(ctx, existing.id, parent.id);
        parentId = parent.id;
      }
      let ownerId: string | null | undefined = undefined;
      if (input.ownerEmail === null) ownerId = null;
      else if (input.ownerEmail !== undefined) {
        const owner = await this.services.people.findByEmail(ctx, input.ownerEmail);
        if (!owner) throw notFound('Person with email', input.ownerEmail, 'ownerEmail');
        ownerId = owner.id;
      }
      const dept = existing ?? repo.create({ code: input.code, parentId: null, ownerId: null });
      dept.name = input.name;
      if (parentId !== undefined) dept.parentId = parentId;
      if (ownerId !== undefined) dept.ownerId = ownerId;
      if (input.slaHours !== undefined && input.slaHours !== null) dept.slaHours = input.slaHours;
      return repo.save(dept);
    });
    // Later fields of the request (mutations run in order) read the department as written: its row,
    // the children lists of its old and new parent, and every derived figure (subtrees, scores).
    ctx.loaders.department.clear(saved.id);
    ctx.loaders.departmentByCode.clear(saved.code);
    ctx.loaders.departmentChildren.clearAll();
    forgetDerived(ctx);
    return saved;
  }

  /** Refuses a move that would make a department its own ancestor. */
  private async assertNotAncestor(ctx: RequestContext, deptId: string, newParentId: string): Promise<void> {
    if (await isSelfOrAbove(ctx, 'departments', newParentId, deptId)) throw badInput('A department cannot become its own ancestor', 'parentCode');
  }
}
