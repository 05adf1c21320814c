import { ArrayMaxSize } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { ConnectionType } from '../../common/pagination';
import { LIST_MAX } from '../reporting/filter/field-kinds';
import { ResponseFilter } from '../reporting/filter/response-filter.input';
import { Customer } from './customer.entity';

/** CustomerConnection / CustomerEdge: a page of customers in externalRef order. */
export const CustomerConnection = ConnectionType(Customer, 'Customer');
export type CustomerConnection = InstanceType<typeof CustomerConnection>;

@InputType({ description: 'Which customers: fields combine with AND, the values of one list with OR. An empty list is the same as leaving the field out.' })
export class CustomerFilter {
  @Field(() => [String], { nullable: true, description: "The customer's current region (any of them)." })
  @ArrayMaxSize(LIST_MAX)
  regions?: string[] | null;

  @Field(() => [String], { nullable: true, description: "The customer's current plan or tier (any of them)." })
  @ArrayMaxSize(LIST_MAX)
  plans?: string[] | null;

  @Field(() => [String], { nullable: true, description: "The customer's current product (any of them)." })
  @ArrayMaxSize(LIST_MAX)
  products?: string[] | null;

  @Field(() => [String], { nullable: true, description: "The customer's current signup channel (any of them)." })
  @ArrayMaxSize(LIST_MAX)
  signupChannels?: string[] | null;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: 'Free attributes the customer holds with these values (JSON containment: {"tier": "gold"} finds every customer whose attributes include tier "gold").',
  })
  attributes?: Record<string, unknown> | null;

  @Field(() => ResponseFilter, {
    nullable: true,
    description: 'Only customers with at least one response matching this filter (through the one filter compiler: a MANAGER key counts only its subtree).',
  })
  responses?: ResponseFilter | null;
}
