import type DataLoader from 'dataloader';
import type { RequestContext } from '../../../context';
import { badInput, forbidden, notFound } from '../../../common/errors';
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
 * The departments with these codes, as [code, id] pairs. Unknown codes are BAD_USER_INPUT naming
 * `field` and every such code; without `field` (a stored segment, whose department may since be
 * gone) they are left out, so they match nothing, as a gone department's id does.
 */
export async function departmentsByCode(ctx: RequestContext, codes: string[], field?: string): Promise<[code: string, id: string][]> {
  const found = await Promise.all(codes.map((code) => ctx.loaders.departmentByCode.load(code)));
  const unknown = codes.filter((_, i) => !found[i]);
  if (unknown.length && field) {
    const named = unknown.map((c) => JSON.stringify(c)).join(', ');
    throw badInput(`${field}: no department has the code${unknown.length > 1 ? 's' : ''} ${named}`, field);
  }
  return codes.flatMap((code, i): [string, string][] => (found[i] ? [[code, found[i].id]] : []));
}

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
