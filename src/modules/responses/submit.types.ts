import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { UserError } from '../../common/user-error';
import { Response } from './response.entity';

export enum SubmitStatus {
  ACCEPTED = 'ACCEPTED',
  DUPLICATE = 'DUPLICATE',
  REJECTED = 'REJECTED',
}
registerEnumType(SubmitStatus, {
  name: 'SubmitStatus',
  description:
    'ACCEPTED: stored by this call. DUPLICATE: its externalRef was already stored (earlier, by a concurrent call, or by an earlier row of this call); nothing changed. REJECTED: invalid, nothing stored (see error).',
});

@ObjectType({ description: 'What happened to one row of submitResponses.' })
export class SubmitResult {
  @Field(() => Int, { description: 'Position of the row in the input list (from 0).' })
  index: number;

  @Field(() => SubmitStatus)
  status: SubmitStatus;

  @Field(() => Response, { nullable: true, description: 'ACCEPTED: the stored response. DUPLICATE: the response stored earlier under this externalRef. REJECTED: null.' })
  response: Response | null;

  @Field(() => UserError, { nullable: true, description: 'Set when REJECTED.' })
  error: UserError | null;
}

@ObjectType({ description: 'Per-row outcome of a batch; accepted + duplicates + rejected = the number of rows sent.' })
export class SubmitResponsesPayload {
  @Field(() => Int, { description: 'Rows stored by this call.' })
  accepted: number;

  @Field(() => Int, { description: 'Rows whose externalRef was already stored (counted once, never twice).' })
  duplicates: number;

  @Field(() => Int, { description: 'Invalid rows; nothing of them was stored.' })
  rejected: number;

  @Field(() => [SubmitResult], { description: 'One per input row, in input order.' })
  results: SubmitResult[];
}
