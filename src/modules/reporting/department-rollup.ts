import type { RequestContext } from '../../context';
import { notFound } from '../../common/errors';
import type { SqlParams } from '../../common/sql-params';

/** The most levels departmentScores returns at once. */
export const MAX_DEPARTMENT_LEVELS = 20;

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
  return subtreePairsCtes(await departmentTargetsSql(ctx, params, parentId));
}

/**
 * The departments reported on, as a query of ids: the children of parentId (checked: NOT_FOUND,
 * then FORBIDDEN outside the viewer's scope), else the roots, or a manager's own department.
 */
async function departmentTargetsSql(ctx: RequestContext, params: SqlParams, parentId: string | null | undefined): Promise<string> {
  const access = ctx.services.access;
  if (parentId) {
    const parent = await ctx.loaders.department.load(parentId);
    if (!parent) throw notFound('Department', parentId, 'parentId');
    await access.assertDepartmentInScope(ctx, parentId);
    return `SELECT id FROM departments WHERE parent_id = ${params.p(parentId)}::uuid`;
  }
  const scope = access.departmentScope(ctx);
  return scope ? `SELECT id FROM departments WHERE id = ${params.p(scope)}::uuid` : 'SELECT id FROM departments WHERE parent_id IS NULL';
}

/**
 * Like departmentRollupCtes, `levels` deep: `tree(id, parent_id, depth, path)` holds the departments
 * reported on (depth 1) and those below them down to depth `levels` (path: the codes from depth 1
 * down, for a depth-first order), and `subtree(target_id, department_id)` pairs each with every
 * department of its subtree. Must follow `WITH RECURSIVE`.
 */
export async function departmentTreeCtes(ctx: RequestContext, params: SqlParams, parentId: string | null | undefined, levels: number): Promise<string> {
  const targets = await departmentTargetsSql(ctx, params, parentId);
  return `tree(id, parent_id, depth, path) AS (
        SELECT d.id, d.parent_id, 1, ARRAY[d.code] FROM departments d WHERE d.id IN (${targets})
        UNION ALL
        SELECT d.id, d.parent_id, t.depth + 1, t.path || d.code FROM tree t JOIN departments d ON d.parent_id = t.id WHERE t.depth < ${params.p(levels)}::int),
      ${subtreePairsCtes('SELECT id FROM tree')}`;
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
