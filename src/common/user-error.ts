import { Field, Int, ObjectType } from 'type-graphql';
import { classifyError } from './errors';

/**
 * A per-item error in a bulk result (submitResponses, bulkUpdateActionItems): the same code and
 * message the item would have got as a request error. Shared by every bulk operation.
 */
@ObjectType({ description: 'Why one item of a bulk call was rejected; the other items are unaffected.' })
export class UserError {
  @Field({ description: 'BAD_USER_INPUT, NOT_FOUND, CONFLICT or FORBIDDEN, as extensions.code of a request error.' })
  code: string;

  @Field()
  message: string;

  @Field(() => String, { nullable: true, description: 'The input field at fault, when there is one.' })
  field: string | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "For a CONFLICT on a versioned record (an action item): its current version, as extensions.currentVersion of a request error; send it as expectedVersion to retry. Null otherwise.",
  })
  currentVersion: number | null = null;

  /**
   * The client-safe form of a thrown error, or null when the error is internal (the caller should
   * rethrow it so it is logged and hidden).
   */
  static from(err: unknown): UserError | null {
    const c = classifyError(err);
    if (!c) return null;
    const field = c.extensions?.field;
    const version = c.extensions?.currentVersion;
    return Object.assign(new UserError(), {
      code: c.code,
      message: c.message,
      field: typeof field === 'string' ? field : null,
      currentVersion: typeof version === 'number' ? version : null,
    });
  }
}
