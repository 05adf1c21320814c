import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { UserError } from '../../common/user-error';
import { Response } from './response.entity';

export enum SubmitStatus {
  ACCEPTED = 'ACCEPTED',
  DUPLICATE = 'DUPLICATE',
  CONFLICT = 'CONFLICT',
  REJECTED = 'REJECTED',
}
registerEnumType(SubmitStatus, {
  name: 'SubmitStatus',
  description:
    'ACCEPTED: stored by this call. DUPLICATE: its externalRef was already stored with the same content (earlier, by a concurrent call, or by an earlier row of this call); nothing changed. CONFLICT: its externalRef is stored with different content (see conflictingFields); nothing changed: change a stored response with correctResponses. REJECTED: invalid, nothing stored (see error).',
});

@ObjectType({ description: 'What happened to one row of submitResponses.' })
export class SubmitResult {
  @Field(() => Int, { description: 'Position of the row in the input list (from 0).' })
  index: number;

  @Field(() => SubmitStatus)
  status: SubmitStatus;

  @Field(() => Response, {
    nullable: true,
    description: 'ACCEPTED: the stored response. DUPLICATE and CONFLICT: the response stored earlier under this externalRef. REJECTED: null.',
  })
  response: Response | null;

  @Field(() => UserError, { nullable: true, description: 'Set when REJECTED, and when CONFLICT (code CONFLICT, field: the first differing field).' })
  error: UserError | null;

  @Field(() => [String], {
    description:
      'CONFLICT: the content fields in which the row differs from the stored response (score, comment, followUpAnswers, respondedAt, surveyCode, departmentCode, channel, touchpoint, agentEmail), in that order. Empty otherwise.',
  })
  conflictingFields: string[] = [];
}

@ObjectType({ description: 'Per-row outcome of a batch; accepted + duplicates + conflicts + rejected = the number of rows sent.' })
export class SubmitResponsesPayload {
  @Field(() => Int, { description: 'Rows stored by this call.' })
  accepted: number;

  @Field(() => Int, { description: 'Rows whose externalRef was already stored with the same content (counted once, never twice).' })
  duplicates: number;

  @Field(() => Int, { description: 'Rows whose externalRef was already stored with different content; nothing of them was stored.' })
  conflicts: number;

  @Field(() => Int, { description: 'Invalid rows; nothing of them was stored.' })
  rejected: number;

  @Field(() => [SubmitResult], { description: 'One per input row, in input order.' })
  results: SubmitResult[];
}
