import { Customer } from './customer.entity';

/** A raw `customers` row (snake_case, as pg returns it) as an entity. */
export function customerFromRow(row: Record<string, any>): Customer {
  return Object.assign(new Customer(), {
    id: row.id,
    externalRef: row.external_ref,
    region: row.region,
    plan: row.plan,
    spend: row.spend === null || row.spend === undefined ? null : Number(row.spend),
    signupChannel: row.signup_channel,
    customerSince: row.customer_since === null ? null : new Date(row.customer_since),
    product: row.product,
    attributes: row.attributes ?? {},
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  });
}
