import type DataLoader from 'dataloader';
import type { RequestContext } from '../../../context';
import { forbidden, notFound } from '../../../common/errors';
import type { Loaders } from '../../../loaders';

/**
 * What the filter fields that name records check, through the request's loaders (one batched
 * lookup per kind and tick, shared with every other filter of the request).
 */

/** NOT_FOUND, naming `field`, for the first id that names no record. */
export const mustExist =
  (what: string, loader: (loaders: Loaders) => DataLoader<string, unknown>) =>
  async (ctx: RequestContext, ids: string[], field: string): Promise<void> => {
    const found = await Promise.all(ids.map((id) => loader(ctx.loaders).load(id)));
    const missing = ids.find((_, i) => !found[i]);
    if (missing) throw notFound(what, missing, field);
  };

/**
 * FORBIDDEN for a department outside a scoped caller's subtree (a MANAGER key); unscoped callers
 * pass. `named` pairs what the caller wrote (an id, a code) with the department's id.
 */
export async function departmentsInScope(ctx: RequestContext, named: readonly (readonly [written: string, id: string])[]): Promise<void> {
  if (!named.length) return;
  const inside = await ctx.services.access.scopeDepartmentIds(ctx);
  const outside = inside && named.find(([, id]) => !inside.has(id));
  if (outside) throw forbidden(`Department ${outside[0]} is outside the department subtree your key may see`);
}
