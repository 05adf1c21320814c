import { Arg, Ctx, FieldResolver, Float, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import type { RequestContext } from '../../context';
import { parseId } from '../../common/ids';
import { Permission } from '../auth/permissions';
import { Customer } from './customer.entity';
import { CustomerInput } from './customer.inputs';

/**
 * Customer details need READ_RESPONSES wherever a Customer is reachable, not only through
 * customer(id): an integration key's upsertCustomers results give it id and externalRef (and the
 * record's createdAt/updatedAt), and FORBIDDEN on each detail field, as Response.comment does.
 */
function details(ctx: RequestContext, customer: Customer): Customer {
  ctx.services.access.require(ctx, Permission.READ_RESPONSES);
  return customer;
}

@Resolver(() => Customer)
export class CustomerResolver {
  @Query(() => Customer, {
    description: 'One customer; NOT_FOUND when unknown (for a MANAGER key also when none of its responses is in their subtree). Needs READ_RESPONSES.',
  })
  customer(@Ctx() ctx: RequestContext, @Arg('id', () => ID, { description: 'The customer id.' }) id: string): Promise<Customer> {
    return ctx.services.customers.byId(ctx, parseId(id, 'id'));
  }

  @Mutation(() => [Customer], {
    description:
      'CRM sync: creates or updates up to 1,000 customers by externalRef in one statement (idempotent); returns them in input order. A field left out or null keeps its stored value. Needs WRITE_RESPONSES; reading the details back needs READ_RESPONSES.',
  })
  upsertCustomers(
    @Ctx() ctx: RequestContext,
    @Arg('customers', () => [CustomerInput], { validate: false, description: 'At most 1,000; checked by the service (customer-rules.ts).' }) customers: CustomerInput[],
  ): Promise<Customer[]> {
    return ctx.services.customers.upsertMany(ctx, customers);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Needs READ_RESPONSES.' })
  region(@Ctx() ctx: RequestContext, @Root() customer: Customer): string | null {
    return details(ctx, customer).region;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Plan or tier. Needs READ_RESPONSES.' })
  plan(@Ctx() ctx: RequestContext, @Root() customer: Customer): string | null {
    return details(ctx, customer).plan;
  }

  @FieldResolver(() => Float, { nullable: true, description: 'Spend, e.g. annual revenue from the customer. Needs READ_RESPONSES.' })
  spend(@Ctx() ctx: RequestContext, @Root() customer: Customer): number | null {
    return details(ctx, customer).spend;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Needs READ_RESPONSES.' })
  signupChannel(@Ctx() ctx: RequestContext, @Root() customer: Customer): string | null {
    return details(ctx, customer).signupChannel;
  }

  @FieldResolver(() => Date, { nullable: true, description: 'When the customer relationship began (tenure). Needs READ_RESPONSES.' })
  customerSince(@Ctx() ctx: RequestContext, @Root() customer: Customer): Date | null {
    return details(ctx, customer).customerSince;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Needs READ_RESPONSES.' })
  product(@Ctx() ctx: RequestContext, @Root() customer: Customer): string | null {
    return details(ctx, customer).product;
  }

  @FieldResolver(() => GraphQLJSONObject, { description: 'Free attributes. Needs READ_RESPONSES.' })
  attributes(@Ctx() ctx: RequestContext, @Root() customer: Customer): Record<string, unknown> {
    return details(ctx, customer).attributes;
  }
}
