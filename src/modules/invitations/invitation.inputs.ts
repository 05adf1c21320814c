import { Field, InputType, Int } from 'type-graphql';
import { TrendInterval } from '../reporting/reporting.types';

@InputType({ description: 'One survey invitation an integration sent. Validated on its own: a bad row is REJECTED without affecting the others.' })
export class SurveyInvitationInput {
  @Field({ description: 'Idempotency key: the same externalRef is stored once (DUPLICATE afterwards). 1-200 characters, no leading or trailing whitespace.' })
  externalRef: string;

  @Field({ description: "The customer's externalRef; a customer not known yet is created with that reference only." })
  customerRef: string;

  @Field({ description: 'Code of an existing survey (unknown: REJECTED with NOT_FOUND).' })
  surveyCode: string;

  @Field(() => String, { nullable: true, description: 'email, in-app, sms...; 1-100 characters.' })
  channel?: string | null;

  @Field(() => String, { nullable: true, description: 'Code of the department the invitation is sent for (unknown: REJECTED with NOT_FOUND).' })
  departmentCode?: string | null;

  @Field({ description: 'When it was sent; from 2000-01-01, not in the future (5 minutes of clock skew allowed).' })
  sentAt: Date;
}

@InputType({ description: 'Contact rules for one survey (surveyCode) or company-wide (surveyCode left out). A rule left out (null) does not apply.' })
export class ContactRuleInput {
  @Field(() => String, { nullable: true, description: 'The survey the rules are for; left out: the company-wide rules, which apply to every survey on top of its own.' })
  surveyCode?: string | null;

  @Field(() => Int, { nullable: true, description: 'Days that must pass after the last invitation (of this survey; company-wide: of any survey). 1-3650.' })
  minDaysSinceInvitation?: number | null;

  @Field(() => Int, { nullable: true, description: 'Days that must pass after the last response (of this survey; company-wide: of any survey). 1-3650.' })
  minDaysSinceResponse?: number | null;

  @Field(() => Int, { nullable: true, description: 'At most this many invitations in any windowDays days (with windowDays). 1-1000.' })
  maxInvitations?: number | null;

  @Field(() => Int, { nullable: true, description: 'The rolling window of maxInvitations, in days (with maxInvitations). 1-3650.' })
  windowDays?: number | null;

  @Field({ defaultValue: false, description: "No invitation while one of the customer's responses has an open follow-up (action item OPEN, IN_PROGRESS or BLOCKED)." })
  blockWhileFollowUpOpen: boolean;
}

export enum RateDimension {
  SURVEY = 'SURVEY',
  DEPARTMENT = 'DEPARTMENT',
  CHANNEL = 'CHANNEL',
}

@InputType({ description: 'Which invitations a response rate counts. Times are when the invitation was sent (UTC days).' })
export class ResponseRateFilter {
  @Field(() => Date, { nullable: true, description: 'Invitations sent at or after this instant (counted by UTC day: the day of from onwards).' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Invitations sent before this instant (by UTC day: days starting before to).' })
  to?: Date | null;

  @Field(() => [String], { nullable: true, description: 'Only these surveys (codes).' })
  surveyCodes?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Only this department and its subtree (code).' })
  departmentCode?: string | null;

  @Field(() => [String], { nullable: true, description: 'Only these channels.' })
  channels?: string[] | null;
}

export { TrendInterval };
