import type { RequestContext } from '../../context';
import { forgetPerRequest, perRequest } from '../../common/request-cache';
import { DomainError, ErrorCode, forbidden, notFound } from '../../common/errors';
import { Permission, ROLE_PERMISSIONS } from './permissions';
import { Role } from './viewer';

/** SQL for "the ids of these departments and all below them", given a placeholder for a uuid[] of roots. */
export const subtreeIdsSql = (rootsParam: string) =>
  `WITH RECURSIVE sub(id) AS (SELECT id FROM departments WHERE id = ANY(${rootsParam}::uuid[])
     UNION SELECT d.id FROM departments d JOIN sub ON d.parent_id = sub.id) SELECT id FROM sub`;

/** FORBIDDEN naming the argument or input field that reached outside the caller's scope. */
const forbiddenField = (message: string, field: string) => new DomainError(ErrorCode.FORBIDDEN, message, field);

/**
 * The one place that decides what a caller may see and do. Services ask it; they never look at
 * roles themselves. Every service method starts with `access.require(ctx, Permission.X)`.
 */
export class AccessService {
  /**
   * FORBIDDEN unless the caller's role grants the permission; the message and
   * extensions.permission name it as the schema's Permission enum does (READ_RESPONSES).
   */
  require(ctx: RequestContext, permission: Permission): void {
    if (!ROLE_PERMISSIONS[ctx.viewer.role].has(permission)) {
      throw new DomainError(ErrorCode.FORBIDDEN, `Your key (role ${ctx.viewer.role}) does not have the permission ${permission}`, undefined, { permission });
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
   * The department ids of a scoped caller's subtree, read once per request (a list resolving a
   * nested field per row, or a KPI list compiling one filter per target, asks many times); null
   * for an unscoped caller. Reads through ctx.em: inside a transaction, the transaction's (the
   * transaction's context has a cache of its own).
   */
  scopeDepartmentIds(ctx: RequestContext): Promise<ReadonlySet<string> | null> {
    const scope = this.departmentScope(ctx);
    if (!scope) return Promise.resolve(null);
    // A per-request cache: a write of the request (a department moved) drops it (forgetDerived).
    const key = `scope-subtree:${scope}`;
    return perRequest(ctx, key, () => {
      const ids = ctx.em
        .query(subtreeIdsSql('$1'), [[scope]])
        .then((rows: { id: string }[]) => new Set(rows.map((r) => r.id)) as ReadonlySet<string>);
      // A failed read is not remembered: the next question of the request tries again.
      ids.catch(() => forgetPerRequest(ctx, key, ids));
      return ids;
    });
  }

  /**
   * For departments the caller names (an argument or a filter): NOT_FOUND for one that does not
   * exist, then FORBIDDEN for one outside a scoped caller's subtree (`field` is named in both).
   */
  async assertDepartmentsVisible(ctx: RequestContext, ids: readonly string[], field: string): Promise<void> {
    if (!ids.length) return;
    const found = await Promise.all(ids.map((id) => ctx.loaders.department.load(id)));
    const missing = ids.find((_, i) => !found[i]);
    if (missing) throw notFound('Department', missing, field);
    const inside = await this.scopeDepartmentIds(ctx);
    const outside = inside && ids.find((id) => !inside.has(id));
    if (outside) throw forbiddenField(`Department ${outside} is outside the department subtree your key may see`, field);
  }

  /** Whether something owned by `departmentId` lies in the caller's subtree; unscoped callers: always. No department: outside. */
  async isDepartmentInScope(ctx: RequestContext, departmentId: string | null | undefined): Promise<boolean> {
    const scope = this.departmentScope(ctx);
    if (!scope) return true;
    if (!departmentId) return false;
    const [row] = await ctx.em.query(`SELECT $2::uuid IN (${subtreeIdsSql('ARRAY[$1]')}) AS inside`, [scope, departmentId]);
    return Boolean(row?.inside);
  }

  /**
   * FORBIDDEN when a scoped caller touches something owned by a department outside their subtree
   * (or by no department). Unscoped callers pass.
   */
  async assertDepartmentInScope(ctx: RequestContext, departmentId: string | null | undefined): Promise<void> {
    if (await this.isDepartmentInScope(ctx, departmentId)) return;
    throw forbidden('This belongs to a department outside the subtree your key may see');
  }

  /**
   * FORBIDDEN, naming the field, when a scoped caller puts a person whose department lies outside
   * their subtree (or who has none) into `field` (e.g. an action item's assigneeId). The people
   * must exist (check that first: NOT_FOUND comes before FORBIDDEN). Unscoped callers pass.
   */
  async assertPeopleInScope(ctx: RequestContext, people: Record<string, string | null | undefined>): Promise<void> {
    const scope = this.departmentScope(ctx);
    const wanted = Object.entries(people).filter((e): e is [string, string] => typeof e[1] === 'string');
    if (!scope || !wanted.length) return;
    const rows: { id: string }[] = await ctx.em.query(
      `SELECT p.id FROM people p WHERE p.id = ANY($1::uuid[]) AND p.department_id IN (${subtreeIdsSql('$2')})`,
      [wanted.map(([, id]) => id), [scope]],
    );
    const inside = new Set(rows.map((r) => r.id));
    const outside = wanted.find(([, id]) => !inside.has(id));
    if (outside) {
      const [field, id] = outside;
      throw forbiddenField(`${field}: person ${id} is not in a department of the subtree your key may act in`, field);
    }
  }
}
