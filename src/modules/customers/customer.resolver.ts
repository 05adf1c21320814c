import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../context';
import { parseId } from '../../common/ids';
import { Customer } from './customer.entity';
import { CustomerInput } from './customer.inputs';

@Resolver(() => Customer)
export class CustomerResolver {
  @Query(() => Customer, {
    description: 'One customer; NOT_FOUND when unknown (for a MANAGER key also when none of its responses is in their subtree). Needs read:responses.',
  })
  customer(@Ctx() ctx: RequestContext, @Arg('id', () => ID, { description: 'The customer id.' }) id: string): Promise<Customer> {
    return ctx.services.customers.byId(ctx, parseId(id, 'id'));
  }

  @Mutation(() => [Customer], {
    description:
      'CRM sync: creates or updates up to 1,000 customers by externalRef in one statement (idempotent); returns them in input order. A field left out or null keeps its stored value. Needs write:responses.',
  })
  upsertCustomers(
    @Ctx() ctx: RequestContext,
    @Arg('customers', () => [CustomerInput], { validate: false, description: 'At most 1,000; checked by the service (customer-rules.ts).' }) customers: CustomerInput[],
  ): Promise<Customer[]> {
    return ctx.services.customers.upsertMany(ctx, customers);
  }
}
