import type { UserError } from '../../common/user-error';
import { checkCustomer, checkLabel, checkRef, checkStorable, problem } from '../customers/customer-rules';
import { CODE_MESSAGE, CODE_PATTERN } from '../departments/department.inputs';
import { EARLIEST_RESPONDED_AT, MAX_COMMENT_LENGTH, MAX_FOLLOW_UP_ANSWERS, MAX_QUESTION_LENGTH, ResponseInput } from './response.inputs';

/** How far in the future respondedAt may be, for clocks that disagree a little. */
export const CLOCK_SKEW_MS = 5 * 60_000;
const EARLIEST_RESPONDED_AT_MS = Date.parse(EARLIEST_RESPONDED_AT);
export const MAX_ROWS_PER_CALL = 1_000;

/** A row's problem, as the shared UserError of bulk results. */
export type RowError = UserError;

const given = (v: unknown) => v !== null && v !== undefined;

/** Rows from code (seeding, scripts) may carry respondedAt as a string; GraphQL gives Dates. */
export function toResponseInput(row: ResponseInput): ResponseInput {
  const at = row.respondedAt as Date | string;
  return at instanceof Date ? row : { ...row, respondedAt: new Date(at) };
}

export function checkCode(value: unknown, field: string): RowError | null {
  if (typeof value !== 'string' || !CODE_PATTERN.test(value)) return problem(field, `${field} ${CODE_MESSAGE}`);
  return null;
}

export function checkText(value: unknown, field: string, max: number): RowError | null {
  if (!given(value)) return null;
  if (typeof value !== 'string' || value.length > max) return problem(field, `${field} must be at most ${max} characters`);
  return checkStorable(value, field);
}

export function checkAgentEmail(value: unknown): RowError | null {
  if (!given(value)) return null;
  if (typeof value !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(value.trim()) || value.length > 320) return problem('agentEmail', 'agentEmail must be an email address');
  return checkStorable(value, 'agentEmail');
}

export function checkFollowUps(answers: ResponseInput['followUpAnswers']): RowError | null {
  if (!given(answers)) return null;
  if (!Array.isArray(answers) || answers.length > MAX_FOLLOW_UP_ANSWERS) {
    return problem('followUpAnswers', `followUpAnswers must have at most ${MAX_FOLLOW_UP_ANSWERS} items`);
  }
  for (let i = 0; i < answers.length; i++) {
    const a = answers[i];
    const q = `followUpAnswers.${i}.question`;
    if (typeof a?.question !== 'string' || !/\S/.test(a.question) || a.question.length > MAX_QUESTION_LENGTH) {
      return problem(q, `${q} must be 1-${MAX_QUESTION_LENGTH} characters`);
    }
    const err =
      checkStorable(a.question, q) ??
      (typeof a.answer === 'string' ? checkText(a.answer, `followUpAnswers.${i}.answer`, MAX_COMMENT_LENGTH) : problem(`followUpAnswers.${i}.answer`, 'answer must be text'));
    if (err) return err;
  }
  return null;
}

/**
 * The checks of one row that need no database, in field order; the first problem or null.
 * (Unknown survey, department and agent are found in the database: IngestService.)
 */
export function checkRow(row: ResponseInput, now: Date): RowError | null {
  const early = checkRef(row.externalRef, 'externalRef') ?? checkCode(row.surveyCode, 'surveyCode') ?? checkScore(row.score);
  if (early) return early;
  return (
    checkRespondedAt(row.respondedAt, now) ??
    checkText(row.comment, 'comment', MAX_COMMENT_LENGTH) ??
    checkLabel(row.channel, 'channel') ??
    checkLabel(row.touchpoint, 'touchpoint') ??
    (given(row.departmentCode) ? checkCode(row.departmentCode, 'departmentCode') : null) ??
    checkAgentEmail(row.agentEmail) ??
    checkFollowUps(row.followUpAnswers) ??
    (given(row.invitationRef) ? checkRef(row.invitationRef, 'invitationRef') : null) ??
    (given(row.customer) ? checkCustomer(row.customer!, 'customer') : null)
  );
}

export function checkScore(score: unknown): RowError | null {
  return Number.isInteger(score) && (score as number) >= 0 && (score as number) <= 10 ? null : problem('score', `score must be a whole number from 0 to 10, got ${score}`);
}

/** From EARLIEST_RESPONDED_AT, not in the future (CLOCK_SKEW_MS allowed). */
export function checkRespondedAt(at: unknown, now: Date): RowError | null {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) return problem('respondedAt', 'respondedAt must be a date-time');
  if (at.getTime() < EARLIEST_RESPONDED_AT_MS) {
    return problem('respondedAt', `respondedAt ${at.toISOString()} is before ${EARLIEST_RESPONDED_AT}, the earliest date accepted`);
  }
  if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    return problem('respondedAt', `respondedAt ${at.toISOString()} is in the future (server time ${now.toISOString()}; 5 minutes of clock skew allowed)`);
  }
  return null;
}
