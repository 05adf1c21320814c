import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { UserError } from '../../common/user-error';
import { Response } from './response.entity';
import { FollowUpAnswerInput, MAX_COMMENT_LENGTH } from './response.inputs';

export const MAX_CORRECTIONS_PER_CALL = 1_000;

@InputType({
  description:
    'A correction of one stored response, by externalRef. A field left out keeps its value; null clears comment, channel, touchpoint, departmentCode and agentEmail (for score and respondedAt null keeps the value). The same rules as submitResponses apply to the new values.',
})
export class ResponseCorrectionInput {
  @Field({ description: 'The externalRef the response was stored under.' })
  externalRef: string;

  @Field(() => Int, { description: "The response's version as you last read it; when it has moved on, the row is REJECTED with CONFLICT and error.currentVersion (a correction that changes nothing is UNCHANGED whatever the version)." })
  expectedVersion: number;

  @Field(() => Int, { nullable: true, description: '0-10.' })
  score?: number | null;

  @Field(() => String, { nullable: true, description: `The verbatim; at most ${MAX_COMMENT_LENGTH} characters.` })
  comment?: string | null;

  @Field(() => [FollowUpAnswerInput], { nullable: true, description: 'Replaces every follow-up answer (null or [] removes them).' })
  followUpAnswers?: FollowUpAnswerInput[] | null;

  @Field(() => Date, { nullable: true })
  respondedAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'Code of an existing department (unknown: REJECTED with NOT_FOUND).' })
  departmentCode?: string | null;

  @Field(() => String, { nullable: true })
  channel?: string | null;

  @Field(() => String, { nullable: true })
  touchpoint?: string | null;

  @Field(() => String, { nullable: true, description: 'Email of an existing person (unknown: REJECTED with NOT_FOUND).' })
  agentEmail?: string | null;

  @Field(() => String, { nullable: true, description: 'Why; kept in the history. At most 2,000 characters.' })
  note?: string | null;
}

export enum CorrectionStatus {
  CORRECTED = 'CORRECTED',
  UNCHANGED = 'UNCHANGED',
  REJECTED = 'REJECTED',
}
registerEnumType(CorrectionStatus, {
  name: 'CorrectionStatus',
  description: 'CORRECTED: changed by this call (version + 1). UNCHANGED: it already held these values (a retry). REJECTED: nothing changed (see error).',
});

@ObjectType({ description: 'What happened to one correction.' })
export class CorrectionResult {
  @Field(() => Int, { description: 'Position in the input list (from 0).' })
  index: number;

  @Field(() => CorrectionStatus)
  status: CorrectionStatus;

  @Field(() => Response, { nullable: true, description: 'The response as it is now; null when REJECTED because it does not exist.' })
  response: Response | null;

  @Field(() => [String], { description: 'CORRECTED: the fields changed (score, comment, followUpAnswers, respondedAt, departmentCode, channel, touchpoint, agentEmail).' })
  changedFields: string[];

  @Field(() => UserError, { nullable: true, description: 'Set when REJECTED.' })
  error: UserError | null;
}

@ObjectType({ description: 'Per-row outcome of correctResponses; corrected + unchanged + rejected = the number of corrections sent.' })
export class CorrectResponsesPayload {
  @Field(() => Int)
  corrected: number;

  @Field(() => Int)
  unchanged: number;

  @Field(() => Int)
  rejected: number;

  @Field(() => [CorrectionResult])
  results: CorrectionResult[];
}

export enum DeletionStatus {
  DELETED = 'DELETED',
  NOT_FOUND = 'NOT_FOUND',
}
registerEnumType(DeletionStatus, {
  name: 'DeletionStatus',
  description: 'DELETED: removed by this call. NOT_FOUND: no response has this externalRef (never stored, or already deleted: a retry).',
});

@ObjectType({ description: 'What happened to one externalRef of deleteResponses.' })
export class DeletionResult {
  @Field(() => Int)
  index: number;

  @Field()
  externalRef: string;

  @Field(() => DeletionStatus)
  status: DeletionStatus;

  @Field(() => Int, { description: 'Open automatic follow-ups of the response closed as WONT_DO.' })
  closedFollowUps: number;
}

@ObjectType({ description: 'Per-ref outcome of deleteResponses.' })
export class DeleteResponsesPayload {
  @Field(() => Int)
  deleted: number;

  @Field(() => Int)
  notFound: number;

  @Field(() => [DeletionResult])
  results: DeletionResult[];
}

@ObjectType({ description: 'One field changed by a correction; values as they were and became (department by code, agent by email).' })
export class ResponseFieldChange {
  @Field()
  field: string;

  @Field(() => GraphQLJSON, { nullable: true })
  from: unknown;

  @Field(() => GraphQLJSON, { nullable: true })
  to: unknown;
}

@ObjectType({ description: 'One correction of a response, in the audit trail.' })
export class ResponseHistoryEntry {
  @Field(() => Int, { description: 'The version the correction made.' })
  version: number;

  @Field({ description: 'When it was corrected.' })
  at: Date;

  @Field({ description: 'The API key (its name) that corrected it.' })
  actor: string;

  @Field(() => String, { nullable: true })
  note: string | null;

  @Field(() => [ResponseFieldChange])
  changes: ResponseFieldChange[];
}
