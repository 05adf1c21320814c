import type { RequestContext } from '../../context';
import { badInput } from '../../common/errors';
import { Connection, pageSize } from '../../common/pagination';
import { SqlParams } from '../../common/sql-params';
import { Permission } from '../auth/permissions';
import type { Customer } from './customer.entity';
import { customerFromRow } from './customer-row';
import { MAX_REF_LENGTH } from './customer-rules';
import type { CustomerFilter } from './customer.types';

/** The longest search text: an externalRef's length. */
export const MAX_CUSTOMER_SEARCH = MAX_REF_LENGTH;

/** LIKE's wildcards and escape character taken literally. */
export const likeLiteral = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

const encode = (ref: string) => Buffer.from(JSON.stringify(['c', ref])).toString('base64url');

function decode(after: string | null | undefined): string | undefined {
  if (after === null || after === undefined) return undefined;
  try {
    const v = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && v[0] === 'c' && typeof v[1] === 'string') return v[1];
  } catch {
    // fall through
  }
  throw badInput('after is not a valid cursor; pass an endCursor from a previous page', 'after');
}

const strings = (v: string[] | null | undefined) => (v && v.length ? [...new Set(v)] : undefined);

/**
 * customers(filter, search, first, after): in externalRef order, keyset-paginated on it (unique).
 * Scoped like responses: a MANAGER sees the customers with a response in their subtree (the filter
 * compiler adds the scope to the response condition); other roles see every customer, those
 * without responses included, unless filter.responses asks for matching responses.
 * search: the externalRef starts with the text (case-sensitive, the pattern index of migration
 * 1764002100000), or a label (region, plan, product, signup channel) or a top-level free attribute
 * value contains it, ignoring case.
 */
export async function listCustomers(
  ctx: RequestContext,
  filter: CustomerFilter | null | undefined,
  search: string | null | undefined,
  first: number | null | undefined,
  after: string | null | undefined,
): Promise<Connection<Customer>> {
  ctx.services.access.require(ctx, Permission.READ_RESPONSES);
  const size = pageSize(first);
  const cursor = decode(after);
  const params = new SqlParams();
  const conds: string[] = [];
  if (filter?.responses || ctx.services.access.departmentScope(ctx)) {
    const visible = await ctx.services.filters.compile(ctx, filter?.responses, params, 'r');
    conds.push(`EXISTS (SELECT 1 FROM responses r WHERE r.customer_id = c.id AND ${visible})`);
  }
  for (const [list, column] of [
    [filter?.regions, 'region'],
    [filter?.plans, 'plan'],
    [filter?.products, 'product'],
    [filter?.signupChannels, 'signup_channel'],
  ] as const) {
    const values = strings(list);
    if (values) conds.push(`c.${column} = ANY(${params.p(values)}::text[])`);
  }
  if (filter?.attributes !== null && filter?.attributes !== undefined) {
    if (typeof filter.attributes !== 'object' || Array.isArray(filter.attributes)) throw badInput('filter.attributes must be a JSON object', 'filter.attributes');
    conds.push(`c.attributes @> ${params.p(JSON.stringify(filter.attributes))}::jsonb`);
  }
  const text = search?.trim();
  if (text) {
    if (text.length > MAX_CUSTOMER_SEARCH) throw badInput(`search must be at most ${MAX_CUSTOMER_SEARCH} characters`, 'search');
    const prefix = params.p(`${likeLiteral(text)}%`);
    const inside = params.p(`%${likeLiteral(text)}%`);
    conds.push(
      `(c.external_ref COLLATE "C" LIKE ${prefix}
        OR c.region ILIKE ${inside} OR c.plan ILIKE ${inside} OR c.product ILIKE ${inside} OR c.signup_channel ILIKE ${inside}
        OR EXISTS (SELECT 1 FROM jsonb_each(c.attributes) a
                   WHERE (CASE WHEN jsonb_typeof(a.value) = 'string' THEN a.value #>> '{}' ELSE a.value::text END) ILIKE ${inside}))`,
    );
  }
  const where = conds.length ? conds.join(' AND ') : 'true';
  const countValues = [...params.values];
  const keyset = cursor !== undefined ? ` AND c.external_ref COLLATE "C" > ${params.p(cursor)}` : '';
  const limit = params.p(size + 1);
  const rows: Record<string, unknown>[] = await ctx.em.query(
    `SELECT c.* FROM customers c WHERE ${where}${keyset} ORDER BY c.external_ref COLLATE "C" LIMIT ${limit}`,
    params.values,
  );
  const [count] = await ctx.em.query(`SELECT count(*)::int AS n FROM customers c WHERE ${where}`, countValues);
  const customers = rows.map(customerFromRow);
  for (const c of customers) ctx.loaders.customer.prime(c.id, c);
  const page = customers.slice(0, size);
  const edges = page.map((node) => ({ node, cursor: encode(node.externalRef) }));
  return {
    edges,
    totalCount: count.n,
    pageInfo: { hasNextPage: customers.length > size, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
  };
}
