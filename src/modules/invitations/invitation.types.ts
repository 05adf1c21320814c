import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { UserError } from '../../common/user-error';
import { SubmitStatus } from '../responses/submit.types';
import { RateDimension } from './invitation.inputs';

registerEnumType(RateDimension, { name: 'RateDimension', description: 'What response rates are broken down by.' });

@ObjectType({ description: 'A stored survey invitation.' })
export class SurveyInvitation {
  @Field(() => ID)
  id: string;

  @Field()
  externalRef: string;

  @Field()
  sentAt: Date;

  @Field(() => String, { nullable: true })
  channel: string | null;

  @Field({ description: 'Whether a response has been linked to it (ResponseInput.invitationRef).' })
  answered: boolean;
}

@ObjectType({ description: 'What happened to one row of recordSurveyInvitations.' })
export class InvitationResult {
  @Field(() => Int)
  index: number;

  @Field(() => SubmitStatus)
  status: SubmitStatus;

  @Field(() => SurveyInvitation, { nullable: true, description: 'ACCEPTED: stored now; DUPLICATE: stored earlier under this externalRef; REJECTED: null.' })
  invitation: SurveyInvitation | null;

  @Field(() => UserError, { nullable: true })
  error: UserError | null;
}

@ObjectType({ description: 'Per-row outcome; accepted + duplicates + rejected = rows sent.' })
export class RecordInvitationsPayload {
  @Field(() => Int)
  accepted: number;

  @Field(() => Int)
  duplicates: number;

  @Field(() => Int)
  rejected: number;

  @Field(() => [InvitationResult])
  results: InvitationResult[];
}

@ObjectType({ description: 'Responses linked to invitations over invitations sent, with a 95% Wilson interval (percent).' })
export class ResponseRate {
  @Field(() => String, { nullable: true, description: 'Survey code, when broken down by SURVEY.' })
  surveyCode: string | null;

  @Field(() => String, { nullable: true, description: 'Department code, when broken down by DEPARTMENT (null: invitations without a department).' })
  departmentCode: string | null;

  @Field(() => String, { nullable: true, description: 'Channel, when broken down by CHANNEL.' })
  channel: string | null;

  @Field(() => Date, { nullable: true, description: 'Start of the UTC period, when an interval is asked.' })
  periodStart: Date | null;

  @Field(() => Int)
  invitations: number;

  @Field(() => Int, { description: 'Invitations with a linked response.' })
  responses: number;

  @Field(() => Float, { nullable: true, description: 'Percent; null with no invitations.' })
  rate: number | null;

  @Field(() => Float, { nullable: true })
  confidenceLow: number | null;

  @Field(() => Float, { nullable: true })
  confidenceHigh: number | null;
}

export enum ContactRuleKind {
  DO_NOT_CONTACT = 'DO_NOT_CONTACT',
  FOLLOW_UP_OPEN = 'FOLLOW_UP_OPEN',
  MIN_DAYS_SINCE_INVITATION = 'MIN_DAYS_SINCE_INVITATION',
  MIN_DAYS_SINCE_RESPONSE = 'MIN_DAYS_SINCE_RESPONSE',
  MAX_INVITATIONS_IN_WINDOW = 'MAX_INVITATIONS_IN_WINDOW',
}
registerEnumType(ContactRuleKind, { name: 'ContactRuleKind', description: 'A contact rule that can keep a customer from being invited.' });

@ObjectType({ description: 'One rule that blocks an invitation now.' })
export class ContactBlock {
  @Field(() => ContactRuleKind)
  rule: ContactRuleKind;

  @Field(() => String, { nullable: true, description: 'The survey whose rules these are; null: company-wide (or the do-not-contact list).' })
  surveyCode: string | null;

  @Field(() => Date, { nullable: true, description: 'When this rule stops blocking (if nothing else happens); null: not by time (do-not-contact, open follow-up).' })
  until: Date | null;
}

@ObjectType({ description: 'Whether one customer may be invited to a survey at an instant.' })
export class ContactEligibility {
  @Field()
  customerRef: string;

  @Field()
  eligible: boolean;

  @Field(() => ContactRuleKind, { nullable: true, description: 'The rule that decides (the do-not-contact list first, then an open follow-up, then the rule that blocks longest); null when eligible.' })
  rule: ContactRuleKind | null;

  @Field(() => Date, { nullable: true, description: 'The first instant every rule allows an invitation again; null when eligible or when a rule does not end by time.' })
  nextEligibleAt: Date | null;

  @Field(() => [ContactBlock], { description: 'Every rule blocking now.' })
  blockedBy: ContactBlock[];
}

@ObjectType({ description: 'Contact rules of one survey, or company-wide (survey null).' })
export class ContactRule {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  surveyCode: string | null;

  @Field(() => Int, { nullable: true })
  minDaysSinceInvitation: number | null;

  @Field(() => Int, { nullable: true })
  minDaysSinceResponse: number | null;

  @Field(() => Int, { nullable: true })
  maxInvitations: number | null;

  @Field(() => Int, { nullable: true })
  windowDays: number | null;

  @Field()
  blockWhileFollowUpOpen: boolean;
}
