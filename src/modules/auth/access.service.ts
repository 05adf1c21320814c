import type { RequestContext } from '../../context';
import { forbidden } from '../../common/errors';
import { Role } from './viewer';

/** SQL for "the ids of this department and all below it", given a placeholder for the root id(s) as uuid[]. */
export const subtreeIdsSql = (rootsParam: string) =>
  `WITH RECURSIVE sub(id) AS (SELECT id FROM departments WHERE id = ANY(${rootsParam}::uuid[])
     UNION SELECT d.id FROM departments d JOIN sub ON d.parent_id = sub.id) SELECT id FROM sub`;

/**
 * The one place that decides what a caller may see and do. Services ask it; they never look at
 * roles themselves.
 */
export class AccessService {
  /** The department subtree root the caller is confined to, or null for the whole organisation. */
  departmentScope(ctx: RequestContext): string | null {
    return ctx.viewer.role === Role.MANAGER ? ctx.viewer.departmentId : null;
  }

  /** SQL subquery selecting the department ids of a subtree rooted at a single-id parameter. */
  subtreeSql(param: string): string {
    return subtreeIdsSql(`ARRAY[${param}]`);
  }

  requireRole(ctx: RequestContext, ...roles: Role[]): void {
    if (!roles.includes(ctx.viewer.role)) {
      throw forbidden(`This needs one of the roles ${roles.join(', ')}; your key has ${ctx.viewer.role}`);
    }
  }

  requireAdmin(ctx: RequestContext): void {
    this.requireRole(ctx, Role.ADMIN);
  }
}
