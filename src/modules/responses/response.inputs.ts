import { Field, InputType, Int } from 'type-graphql';
import { CustomerInput } from '../customers/customer.inputs';

export const MAX_COMMENT_LENGTH = 10_000;
export const MAX_FOLLOW_UP_ANSWERS = 20;
export const MAX_QUESTION_LENGTH = 500;
/**
 * The earliest respondedAt accepted (NPS dates from 2003). Without a lower bound one mistyped
 * year (1900) stretches every unbounded trend past its bucket limit.
 */
export const EARLIEST_RESPONDED_AT = '2000-01-01T00:00:00Z';

@InputType({ description: "An answer to a follow-up question, e.g. 'Why did you give that score?'." })
export class FollowUpAnswerInput {
  @Field({ description: `1-${MAX_QUESTION_LENGTH} characters.` })
  question: string;

  @Field({ description: `At most ${MAX_COMMENT_LENGTH} characters.` })
  answer: string;
}

/**
 * One row of submitResponses. Its rules live in ingest-rules.ts (checkRow) rather than in
 * class-validator decorators: each row is checked on its own so a bad row is REJECTED while the
 * others are stored, and the pure checks cost microseconds per row (class-validator ~0.2 ms).
 */
@InputType({
  description:
    'One survey answer to store. Each row is validated on its own; a bad row is REJECTED without affecting the others. Text (including customer attributes) must not contain NUL (U+0000) or invalid Unicode.',
})
export class ResponseInput {
  @Field({
    description:
      'Idempotency key: the same externalRef is stored once. 1-200 characters, not blank, no leading or trailing whitespace (refused, not trimmed).',
  })
  externalRef: string;

  @Field({ description: 'Code of an existing survey (unknown: the row is REJECTED with NOT_FOUND).' })
  surveyCode: string;

  @Field(() => Int, { description: 'The answer to the NPS question: a whole number from 0 to 10.' })
  score: number;

  @Field({ description: `When the customer answered; from ${EARLIEST_RESPONDED_AT}, not in the future (5 minutes of clock skew allowed).` })
  respondedAt: Date;

  @Field(() => String, { nullable: true, description: `The verbatim; at most ${MAX_COMMENT_LENGTH} characters.` })
  comment?: string | null;

  @Field(() => String, { nullable: true, description: 'email, in-app, sms, web, phone...; 1-100 characters.' })
  channel?: string | null;

  @Field(() => String, { nullable: true, description: 'What the answer is about (support call, delivery, onboarding...); 1-100 characters.' })
  touchpoint?: string | null;

  @Field(() => String, { nullable: true, description: 'Code of the department responsible (unknown: REJECTED with NOT_FOUND).' })
  departmentCode?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Email of the frontline person (agent) involved, matched case-insensitively; unknown: REJECTED with NOT_FOUND.',
  })
  agentEmail?: string | null;

  @Field(() => [FollowUpAnswerInput], { nullable: true, description: `Answers to follow-up questions; at most ${MAX_FOLLOW_UP_ANSWERS}.` })
  followUpAnswers?: FollowUpAnswerInput[] | null;

  @Field(() => String, {
    nullable: true,
    description:
      'externalRef of the survey invitation (recordSurveyInvitations) this answers, for response rates. Unknown: REJECTED with NOT_FOUND; another survey\'s or another customer\'s invitation: BAD_USER_INPUT; an invitation already answered by another response: CONFLICT.',
  })
  invitationRef?: string | null;

  @Field(() => CustomerInput, {
    nullable: true,
    description:
      'The customer who answered; created or updated by externalRef (fields left out or null keep their stored value) when the row is ACCEPTED. A DUPLICATE or REJECTED row changes no customer.',
  })
  customer?: CustomerInput | null;
}
