import type { RequestContext, ServiceDeps } from '../../context';
import { badInput, notFound } from '../../common/errors';
import { forgetDerived } from '../../common/request-cache';
import { SqlParams } from '../../common/sql-params';
import type { Services } from '../../services';
import { Permission } from '../auth/permissions';
import { Customer } from './customer.entity';
import { CustomerInput } from './customer.inputs';
import { customerFromRow } from './customer-row';
import { listCustomers } from './customer-list';
import { CustomerErasure, eraseCustomer } from './customer-erasure';
import type { CustomerFilter } from './customer.types';
import type { Connection } from '../../common/pagination';
import { parseId } from '../../common/ids';
import type { ResponseFilter } from '../reporting/filter/response-filter.input';
import type { Response } from '../responses/response.entity';
import type { NpsScore } from '../reporting/nps-score.type';
import type { TrendInterval, TrendPoint } from '../reporting/reporting.types';
import { checkCustomer } from './customer-rules';

export const MAX_CUSTOMERS_PER_CALL = 1_000;

type CustomerData = Pick<CustomerInput, 'externalRef' | 'region' | 'plan' | 'spend' | 'signupChannel' | 'customerSince' | 'product' | 'attributes'>;

const FIELDS = ['region', 'plan', 'spend', 'signupChannel', 'customerSince', 'product'] as const;
const COLUMNS: Record<(typeof FIELDS)[number], string> = {
  region: 'region',
  plan: 'plan',
  spend: 'spend',
  signupChannel: 'signup_channel',
  customerSince: 'customer_since',
  product: 'product',
};

/**
 * Folds repeated customers of one batch into one row per externalRef, in the order given: a later
 * non-null field wins, attributes merge key by key (one row per key is what ON CONFLICT DO UPDATE
 * needs: it cannot touch the same row twice in one statement).
 */
export function mergeCustomers(inputs: readonly CustomerData[]): Map<string, CustomerData> {
  const out = new Map<string, CustomerData>();
  for (const input of inputs) {
    const prev = out.get(input.externalRef);
    if (!prev) {
      out.set(input.externalRef, { ...input, attributes: input.attributes ? { ...input.attributes } : input.attributes });
      continue;
    }
    for (const f of FIELDS) if (input[f] !== null && input[f] !== undefined) (prev as Record<string, unknown>)[f] = input[f];
    if (input.attributes) prev.attributes = { ...(prev.attributes ?? {}), ...input.attributes };
  }
  return out;
}

/** The rows of customersJson, in externalRef order (concurrent batches lock in the same order). */
const RECORDSET = `SELECT x.external_ref, x.region, x.plan, x.spend, x.signup_channel, x.customer_since, x.product, x.attributes
       FROM jsonb_to_recordset($1::jsonb) AS x(external_ref text, region text, plan text, spend numeric, signup_channel text,
                                               customer_since timestamptz, product text, attributes jsonb)
       ORDER BY x.external_ref`;

function customersJson(merged: readonly CustomerData[]): string {
  return JSON.stringify(
    merged.map((c) => ({
      external_ref: c.externalRef,
      region: c.region ?? null,
      plan: c.plan ?? null,
      spend: c.spend ?? null,
      signup_channel: c.signupChannel ?? null,
      customer_since: c.customerSince ? new Date(c.customerSince).toISOString() : null,
      product: c.product ?? null,
      attributes: c.attributes ?? {},
    })),
  );
}

export class CustomerService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {}

  /** A customer; a MANAGER sees only customers with a response in their department subtree. */
  async byId(ctx: RequestContext, id: string): Promise<Customer> {
    this.services.access.require(ctx, Permission.READ_RESPONSES);
    if (!this.services.access.departmentScope(ctx)) {
      const customer = await ctx.loaders.customer.load(id);
      if (!customer) throw notFound('Customer', id, 'id');
      return customer;
    }
    return this.visibleTo(ctx, 'id', id);
  }

  /** customer(id) or customer(externalRef): exactly one of them. */
  async byIdOrRef(ctx: RequestContext, id: string | null | undefined, externalRef: string | null | undefined): Promise<Customer> {
    this.services.access.require(ctx, Permission.READ_RESPONSES);
    const hasId = id !== null && id !== undefined;
    const hasRef = externalRef !== null && externalRef !== undefined;
    if (hasId === hasRef) throw badInput('Give either id or externalRef', hasId ? 'externalRef' : 'id');
    if (hasId) return this.byId(ctx, parseId(id, 'id'));
    return this.visibleTo(ctx, 'external_ref', externalRef!);
  }

  /** The customer with this id or externalRef, if the caller may see it (a MANAGER: a response in their subtree). */
  private async visibleTo(ctx: RequestContext, column: 'id' | 'external_ref', value: string): Promise<Customer> {
    const params = new SqlParams();
    const valueParam = params.p(value);
    const scoped = this.services.access.departmentScope(ctx);
    const visible = scoped ? await this.services.filters.compile(ctx, null, params, 'r') : null;
    const [row] = await ctx.em.query(
      `SELECT c.* FROM customers c WHERE c.${column} = ${valueParam}
         ${visible ? `AND EXISTS (SELECT 1 FROM responses r WHERE r.customer_id = c.id AND ${visible})` : ''}`,
      params.values,
    );
    if (!row) throw notFound('Customer', value, column === 'id' ? 'id' : 'externalRef');
    return customerFromRow(row);
  }

  /** eraseCustomer: see customer-erasure.ts. */
  erase(ctx: RequestContext, externalRef: string): Promise<CustomerErasure> {
    return eraseCustomer(ctx, externalRef);
  }

  /** customers(filter, search, first, after): see customer-list.ts. */
  list(ctx: RequestContext, filter: CustomerFilter | null | undefined, search: string | null | undefined, first?: number | null, after?: string | null): Promise<Connection<Customer>> {
    return listCustomers(ctx, filter, search, first, after);
  }

  /** A customer's responses: the responses list with customerRefs set to theirs (so scoped and paginated like it). */
  responses(ctx: RequestContext, customer: Customer, filter: ResponseFilter | null | undefined, first?: number | null, after?: string | null): Promise<Connection<Response>> {
    return this.services.responses.list(ctx, this.history(customer, filter), first, after);
  }

  /** The score of a customer's history (reporting's summary over it). */
  score(ctx: RequestContext, customer: Customer, filter: ResponseFilter | null | undefined): Promise<NpsScore> {
    return this.services.reporting.summary(ctx, this.history(customer, filter));
  }

  /** A customer's score over time (reporting's trend over their history). */
  scoreTrend(ctx: RequestContext, customer: Customer, interval: TrendInterval, filter: ResponseFilter | null | undefined, timeZone?: string | null): Promise<TrendPoint[]> {
    return this.services.reporting.trend(ctx, this.history(customer, filter), interval, timeZone, null);
  }

  /** The filter of a customer's history: the given one narrowed to this customer. */
  history(customer: Customer, filter: ResponseFilter | null | undefined): ResponseFilter {
    return { ...(filter ?? {}), customerRefs: [customer.externalRef] };
  }

  /** The CRM sync: upserts customers by externalRef in one statement; results in input order. */
  async upsertMany(ctx: RequestContext, inputs: readonly CustomerInput[]): Promise<Customer[]> {
    this.services.access.require(ctx, Permission.WRITE_RESPONSES);
    if (inputs.length > MAX_CUSTOMERS_PER_CALL) {
      throw badInput(`At most ${MAX_CUSTOMERS_PER_CALL} customers per call; got ${inputs.length}. Nothing was stored.`, 'customers');
    }
    inputs.forEach((input, i) => {
      const problem = checkCustomer(input, `customers.${i}`);
      if (problem) throw badInput(`${problem.message}. Nothing was stored.`, problem.field ?? undefined);
    });
    const byRef = await this.upsertRows(ctx, inputs);
    // clear first: prime keeps an entry already cached, which would be the customer before this write.
    for (const c of byRef.values()) ctx.loaders.customer.clear(c.id).prime(c.id, c);
    forgetDerived(ctx); // responses filtered by customer attributes score differently
    return inputs.map((i) => byRef.get(i.externalRef)!);
  }

  /**
   * The first half of upsertRows for a transaction that must hold row locks on existing customers
   * as briefly as possible (ingest): inserts the customers that do not exist yet (ON CONFLICT DO
   * NOTHING takes no lock on an existing row) and looks up the ids of the others without locking
   * them. The caller passes `update` to upsertRows last, just before its commit: concurrent
   * batches sharing customers then wait for each other only that long, not for a whole ingest.
   */
  async insertMissing(
    ctx: RequestContext,
    inputs: readonly CustomerData[],
  ): Promise<{ ids: Map<string, string>; inserted: Map<string, Customer>; update: CustomerData[] }> {
    const merged = mergeCustomers(inputs);
    const ids = new Map<string, string>();
    const inserted = new Map<string, Customer>();
    if (!merged.size) return { ids, inserted, update: [] };
    const rows: Record<string, unknown>[] = await ctx.em.query(
      `INSERT INTO customers AS c (external_ref, region, plan, spend, signup_channel, customer_since, product, attributes)
       ${RECORDSET}
       ON CONFLICT (external_ref) DO NOTHING
       RETURNING c.*`,
      [customersJson([...merged.values()])],
    );
    for (const r of rows) {
      const c = customerFromRow(r);
      inserted.set(c.externalRef, c);
      ids.set(c.externalRef, c.id);
    }
    const update = [...merged.values()].filter((c) => !inserted.has(c.externalRef));
    if (update.length) {
      // A new statement: it sees a customer a concurrent transaction committed while the INSERT waited for it.
      const found: { id: string; external_ref: string }[] = await ctx.em.query('SELECT id, external_ref FROM customers WHERE external_ref = ANY($1::text[])', [
        update.map((c) => c.externalRef),
      ]);
      for (const r of found) ids.set(r.external_ref, r.id);
    }
    return { ids, inserted, update };
  }

  /**
   * One multi-row INSERT ... ON CONFLICT (external_ref) DO UPDATE on ctx.em (inside the caller's transaction, if any).
   * A field left out or null keeps the stored value; attributes merge; updated_at moves only when
   * something changed. Rows go in externalRef order so concurrent batches lock in the same order.
   */
  async upsertRows(ctx: RequestContext, inputs: readonly CustomerData[]): Promise<Map<string, Customer>> {
    const merged = [...mergeCustomers(inputs).values()];
    if (!merged.length) return new Map();
    const next: Record<string, string> = {};
    for (const f of FIELDS) next[COLUMNS[f]] = `coalesce(EXCLUDED.${COLUMNS[f]}, c.${COLUMNS[f]})`;
    next.attributes = 'c.attributes || EXCLUDED.attributes';
    const cols = Object.keys(next);
    const rows: Record<string, unknown>[] = await ctx.em.query(
      `INSERT INTO customers AS c (external_ref, region, plan, spend, signup_channel, customer_since, product, attributes)
       ${RECORDSET}
       ON CONFLICT (external_ref) DO UPDATE SET
         ${cols.map((col) => `${col} = ${next[col]}`).join(',\n         ')},
         updated_at = CASE WHEN (${cols.map((col) => `c.${col}`).join(', ')}) IS DISTINCT FROM (${cols.map((col) => next[col]).join(', ')})
                           THEN now() ELSE c.updated_at END
       RETURNING c.*`,
      [customersJson(merged)],
    );
    return new Map(rows.map((r) => [r.external_ref as string, customerFromRow(r)]));
  }
}
