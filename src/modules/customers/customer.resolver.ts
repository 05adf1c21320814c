import { Arg, Ctx, FieldResolver, Float, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import type { RequestContext } from '../../context';
import { Permission } from '../auth/permissions';
import { Customer } from './customer.entity';
import { CustomerInput } from './customer.inputs';
import { CustomerConnection, CustomerFilter } from './customer.types';
import { MAX_CUSTOMER_SEARCH } from './customer-list';
import { CustomerErasure } from './customer-erasure';
import { ResponseFilter } from '../reporting/filter/response-filter.input';
import { NpsScore } from '../reporting/nps-score.type';
import { TrendInterval, TrendPoint } from '../reporting/reporting.types';
import { ResponseConnection } from '../responses/response.types';

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
    description:
      'One customer, by id or by externalRef (exactly one of them, else BAD_USER_INPUT); NOT_FOUND when unknown (for a MANAGER key also when none of its responses is in their subtree). Needs READ_RESPONSES.',
  })
  customer(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { nullable: true, description: 'The customer id.' }) id?: string | null,
    @Arg('externalRef', () => String, { nullable: true, description: 'The customer key in the source system (exact).' }) externalRef?: string | null,
  ): Promise<Customer> {
    return ctx.services.customers.byIdOrRef(ctx, id, externalRef);
  }

  @Query(() => CustomerConnection, {
    description:
      'Customers in externalRef order. A MANAGER key sees only the customers with a response in its subtree; other roles see every customer (those without responses too, unless filter.responses is given). Needs READ_RESPONSES.',
  })
  customers(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => CustomerFilter, { nullable: true, description: 'Which customers; all when left out.' }) filter?: CustomerFilter | null,
    @Arg('search', () => String, {
      nullable: true,
      description: `Customers whose externalRef starts with this text (case-sensitive), or whose region, plan, product, signup channel or a top-level free attribute value contains it (any case). Blank: not restricted; at most ${MAX_CUSTOMER_SEARCH} characters.`,
    })
    search?: string | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size: default 50, at most 500.' }) first?: number | null,
    @Arg('after', () => String, { nullable: true, description: 'endCursor of the previous page.' }) after?: string | null,
  ): Promise<CustomerConnection> {
    return ctx.services.customers.list(ctx, filter, search, first, after);
  }

  @Mutation(() => CustomerErasure, {
    description:
      "Erases a customer's personal data everywhere it is stored (README: Erasure): the reference and free attributes, their verbatims and follow-up answers, action-item text that follows them up or quotes them, outbox payloads and delivery logs. Scores and the non-identifying attributes stay, so no figure changes. Recorded (when, by which key, a SHA-256 of the reference); a customer.erased event goes out. Repeating it answers the same record (alreadyErased). Unknown reference: NOT_FOUND. Needs ERASE_PERSONAL_DATA (ADMIN).",
  })
  eraseCustomer(@Ctx() ctx: RequestContext, @Arg('externalRef', () => String, { description: 'The customer key in the source system (exact).' }) externalRef: string): Promise<CustomerErasure> {
    return ctx.services.customers.erase(ctx, externalRef);
  }

  @FieldResolver(() => ResponseConnection, {
    description: "The customer's responses, newest first, scoped like responses (a MANAGER key: its subtree only), narrowed by the filter. Needs READ_RESPONSES.",
  })
  responses(
    @Ctx() ctx: RequestContext,
    @Root() customer: Customer,
    @Arg('filter', () => ResponseFilter, { nullable: true, description: 'Narrows the history (its customerRefs is replaced by this customer).' }) filter?: ResponseFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size: default 50, at most 500.' }) first?: number | null,
    @Arg('after', () => String, { nullable: true, description: 'endCursor of the previous page.' }) after?: string | null,
  ): Promise<ResponseConnection> {
    return ctx.services.customers.responses(ctx, customer, filter, first, after);
  }

  @FieldResolver(() => NpsScore, {
    description: "The score of the customer's responses matching the filter (a MANAGER key: its subtree only). Needs READ_RESPONSES and READ_REPORTS.",
  })
  score(
    @Ctx() ctx: RequestContext,
    @Root() customer: Customer,
    @Arg('filter', () => ResponseFilter, { nullable: true, description: 'Narrows the history (its customerRefs is replaced by this customer).' }) filter?: ResponseFilter | null,
  ): Promise<NpsScore> {
    return ctx.services.customers.score(ctx, customer, filter);
  }

  @FieldResolver(() => [TrendPoint], {
    description:
      "The customer's score over time: npsTrend over their responses (a MANAGER key: its subtree only), every bucket from filter.from (else their first response) to filter.to (else now). Needs READ_RESPONSES and READ_REPORTS.",
  })
  scoreTrend(
    @Ctx() ctx: RequestContext,
    @Root() customer: Customer,
    @Arg('interval', () => TrendInterval, { description: 'Bucket length.' }) interval: TrendInterval,
    @Arg('filter', () => ResponseFilter, { nullable: true, description: 'Narrows the history (its customerRefs is replaced by this customer).' }) filter?: ResponseFilter | null,
    @Arg('timeZone', () => String, { nullable: true, description: 'IANA time zone of the buckets (default UTC).' }) timeZone?: string | null,
  ): Promise<TrendPoint[]> {
    return ctx.services.customers.scoreTrend(ctx, customer, interval, filter, timeZone);
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
