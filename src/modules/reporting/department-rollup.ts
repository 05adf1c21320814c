import type { RequestContext } from '../../context';
import { notFound } from '../../common/errors';
import type { SqlParams } from '../../common/sql-params';

/**
 * The opening CTEs of a per-department rollup, shared by departmentScores and
 * closedLoopByDepartment: `targets(id)` holds the departments reported on (the children of
 * parentId; without it the roots, or a manager's own department), and
 * `subtree(target_id, department_id)` pairs each target with every department of its subtree.
 * The statement that follows must start with `WITH RECURSIVE` before these. Checks that parentId
 * exists (NOT_FOUND) and lies in the viewer's scope (FORBIDDEN).
 */
export async function departmentRollupCtes(
  ctx: RequestContext,
  params: SqlParams,
  parentId: string | null | undefined,
): Promise<string> {
  const access = ctx.services.access;
  let targets: string;
  if (parentId) {
    const parent = await ctx.loaders.department.load(parentId);
    if (!parent) throw notFound('Department', parentId, 'parentId');
    await access.assertDepartmentInScope(ctx, parentId);
    targets = `SELECT id FROM departments WHERE parent_id = ${params.p(parentId)}::uuid`;
  } else {
    const scope = access.departmentScope(ctx);
    targets = scope
      ? `SELECT id FROM departments WHERE id = ${params.p(scope)}::uuid`
      : 'SELECT id FROM departments WHERE parent_id IS NULL';
  }
  return subtreePairsCtes(targets);
}

/**
 * `targets(id)` from `targetsSql` (a query of department ids), then `subtree(target_id,
 * department_id)` pairing each target with every department of its subtree. Must follow `WITH RECURSIVE`.
 */
export const subtreePairsCtes = (targetsSql: string) => `targets AS (${targetsSql}),
      subtree(target_id, department_id) AS (
        SELECT id, id FROM targets
        UNION
        SELECT s.target_id, d.id FROM subtree s JOIN departments d ON d.parent_id = s.department_id)`;
