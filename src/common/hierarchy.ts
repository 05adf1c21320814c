import type { RequestContext } from '../context';

/** The self-referencing hierarchies: table and the column pointing up. Never user input. */
const HIERARCHIES = {
  departments: 'parent_id',
  people: 'manager_id',
} as const;

/**
 * Whether `candidateId` is `startId` or lies above it, walking `table`'s parent column up from
 * startId. Setting X's parent to P would make a cycle exactly when X is found walking up from P.
 * Reads through ctx.em (inside the caller's transaction, which holds the tree lock).
 */
export async function isSelfOrAbove(ctx: RequestContext, table: keyof typeof HIERARCHIES, startId: string, candidateId: string): Promise<boolean> {
  const up = HIERARCHIES[table];
  const [row] = await ctx.em.query(
    `WITH RECURSIVE chain(id, up_id) AS (
       SELECT id, ${up} FROM ${table} WHERE id = $1
       UNION SELECT t.id, t.${up} FROM ${table} t JOIN chain ON t.id = chain.up_id)
     SELECT EXISTS (SELECT 1 FROM chain WHERE id = $2) AS found`,
    [startId, candidateId],
  );
  return Boolean(row.found);
}
