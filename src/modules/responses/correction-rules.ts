import { checkLabel, checkRef, checkStorable, problem } from '../customers/customer-rules';
import type { Response } from './response.entity';
import type { ResponseCorrectionInput } from './correction.types';
import { checkAgentEmail, checkCode, checkFollowUps, checkRespondedAt, checkScore, checkText, RowError } from './ingest-rules';
import { MAX_COMMENT_LENGTH } from './response.inputs';

export const MAX_CORRECTION_NOTE = 2_000;

const given = (v: unknown) => v !== null && v !== undefined;

/** The checks of one correction that need no database (the same rules as a submitted row); the first problem or null. */
export function checkCorrection(c: ResponseCorrectionInput, now: Date): RowError | null {
  return (
    checkRef(c.externalRef, 'externalRef') ??
    (Number.isInteger(c.expectedVersion) && c.expectedVersion >= 1 ? null : problem('expectedVersion', 'expectedVersion must be a whole number from 1')) ??
    (given(c.score) ? checkScore(c.score) : null) ??
    (given(c.respondedAt) ? checkRespondedAt(c.respondedAt, now) : null) ??
    checkText(c.comment, 'comment', MAX_COMMENT_LENGTH) ??
    checkLabel(c.channel, 'channel') ??
    checkLabel(c.touchpoint, 'touchpoint') ??
    (given(c.departmentCode) ? checkCode(c.departmentCode, 'departmentCode') : null) ??
    checkAgentEmail(c.agentEmail) ??
    checkFollowUps(c.followUpAnswers) ??
    checkText(c.note, 'note', MAX_CORRECTION_NOTE) ??
    (given(c.note) ? checkStorable(c.note, 'note') : null)
  );
}

/** A stored response with the codes the history and events name it by. */
export interface StoredForCorrection {
  response: Response;
  surveyCode: string;
  departmentCode: string | null;
  agentEmail: string | null;
}

/** The values after a correction: ids to store, codes to report. */
export interface CorrectedValues {
  score: number;
  comment: string | null;
  followUpAnswers: { question: string; answer: string }[];
  respondedAt: Date;
  departmentId: string | null;
  departmentCode: string | null;
  channel: string | null;
  touchpoint: string | null;
  agentId: string | null;
  agentEmail: string | null;
}

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** The stored values, in the form CorrectedValues holds them. */
export function currentValues(s: StoredForCorrection): CorrectedValues {
  const r = s.response;
  return {
    score: r.score,
    comment: r.comment ?? null,
    followUpAnswers: (r.followUpAnswers ?? []).map((a) => ({ question: a.question, answer: a.answer })),
    respondedAt: r.respondedAt,
    departmentId: r.departmentId ?? null,
    departmentCode: s.departmentCode,
    channel: r.channel ?? null,
    touchpoint: r.touchpoint ?? null,
    agentId: r.agentId ?? null,
    agentEmail: s.agentEmail,
  };
}

/** The fields that differ between two sets of values, as the history keeps them (dates as ISO strings, department by code, agent by email). */
export function valueChanges(before: CorrectedValues, after: CorrectedValues): FieldChange[] {
  const out: FieldChange[] = [];
  const push = (field: string, from: unknown, to: unknown, same: boolean) => {
    if (!same) out.push({ field, from, to });
  };
  push('score', before.score, after.score, before.score === after.score);
  push('comment', before.comment, after.comment, before.comment === after.comment);
  push('followUpAnswers', before.followUpAnswers, after.followUpAnswers, JSON.stringify(before.followUpAnswers) === JSON.stringify(after.followUpAnswers));
  push('respondedAt', before.respondedAt.toISOString(), after.respondedAt.toISOString(), before.respondedAt.getTime() === after.respondedAt.getTime());
  push('departmentCode', before.departmentCode, after.departmentCode, before.departmentId === after.departmentId);
  push('channel', before.channel, after.channel, before.channel === after.channel);
  push('touchpoint', before.touchpoint, after.touchpoint, before.touchpoint === after.touchpoint);
  push('agentEmail', before.agentEmail, after.agentEmail, before.agentId === after.agentId);
  return out;
}
