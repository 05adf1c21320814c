import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../context';
import { forbidden } from '../../common/errors';
import { Permission, ROLE_PERMISSIONS } from './permissions';
import { Role } from './viewer';

/** SQL for "the ids of these departments and all below them", given a placeholder for a uuid[] of roots. */
export const subtreeIdsSql = (rootsParam: string) =>
  `WITH RECURSIVE sub(id) AS (SELECT id FROM departments WHERE id = ANY(${rootsParam}::uuid[])
     UNION SELECT d.id FROM departments d JOIN sub ON d.parent_id = sub.id) SELECT id FROM sub`;

/**
 * The one place that decides what a caller may see and do. Services ask it; they never look at
 * roles themselves. Every service method starts with `access.require(ctx, Permission.X)`.
 */
export class AccessService {
  /** FORBIDDEN unless the caller's role grants the permission. */
  require(ctx: RequestContext, permission: Permission): void {
    if (!ROLE_PERMISSIONS[ctx.viewer.role].has(permission)) {
      throw forbidden(`Your key (role ${ctx.viewer.role}) may not ${permission}`);
    }
  }

  can(ctx: RequestContext, permission: Permission): boolean {
    return ROLE_PERMISSIONS[ctx.viewer.role].has(permission);
  }

  /** The department subtree root the caller is confined to, or null for the whole organisation. */
  departmentScope(ctx: RequestContext): string | null {
    return ctx.viewer.role === Role.MANAGER ? ctx.viewer.departmentId : null;
  }

  /** SQL subquery selecting the department ids of a subtree rooted at a single-id parameter. */
  subtreeSql(param: string): string {
    return subtreeIdsSql(`ARRAY[${param}]`);
  }

  /**
   * FORBIDDEN when a scoped caller touches something owned by a department outside their subtree
   * (or by no department). Unscoped callers pass.
   */
  async assertDepartmentInScope(ctx: RequestContext, em: EntityManager, departmentId: string | null | undefined): Promise<void> {
    const scope = this.departmentScope(ctx);
    if (!scope) return;
    if (departmentId) {
      const [row] = await em.query(`SELECT $2::uuid IN (${subtreeIdsSql('ARRAY[$1]')}) AS inside`, [scope, departmentId]);
      if (row?.inside) return;
    }
    throw forbidden('This belongs to a department outside the subtree your key may see');
  }
}
