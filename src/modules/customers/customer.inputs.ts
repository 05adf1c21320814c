import { Field, Float, InputType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';

/**
 * A customer as integrations send it. Its rules live in customer-rules.ts (checkCustomer), not in
 * class-validator decorators: inside submitResponses they are checked row by row (a bad customer
 * rejects its row only), and at ~0.2 ms per object class-validator would dominate a 1,000-row batch.
 */
@InputType({
  description:
    'A customer, keyed by its reference in the source system (CRM). Sent again, it updates only what is given: a field left out or null keeps its stored value; attributes are merged key by key into the stored ones. Text (including attributes) must not contain NUL (U+0000) or invalid Unicode.',
})
export class CustomerInput {
  @Field({ description: 'The customer key in the source system; 1-200 characters, not blank, no leading or trailing whitespace (refused, not trimmed).' })
  externalRef: string;

  @Field(() => String, { nullable: true, description: 'At most 100 characters.' })
  region?: string | null;

  @Field(() => String, { nullable: true, description: 'Plan or tier; at most 100 characters.' })
  plan?: string | null;

  @Field(() => Float, { nullable: true, description: 'Spend, e.g. annual revenue from the customer; 0 to 999,999,999,999.' })
  spend?: number | null;

  @Field(() => String, { nullable: true, description: 'How the customer signed up (web, sales, partner...); at most 100 characters.' })
  signupChannel?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the customer relationship began (tenure).' })
  customerSince?: Date | null;

  @Field(() => String, { nullable: true, description: 'At most 100 characters.' })
  product?: string | null;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: 'Free attributes (a JSON object, at most 8,192 characters as JSON), merged key by key into the stored ones.',
  })
  attributes?: Record<string, unknown> | null;
}
