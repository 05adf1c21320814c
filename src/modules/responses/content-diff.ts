import type { FollowUpAnswer, Response } from './response.entity';

/**
 * What a response holds as content, in the order conflicts are reported. Customer attributes are
 * not content (a re-send may carry newer ones); neither are id, receivedAt and the copies of the
 * customer's segmentation attributes.
 */
export const CONTENT_FIELDS = ['score', 'comment', 'followUpAnswers', 'respondedAt', 'surveyCode', 'departmentCode', 'channel', 'touchpoint', 'agentEmail'] as const;
export type ContentField = (typeof CONTENT_FIELDS)[number];

/** A row's content with its codes resolved to the ids responses store. */
export interface RowContent {
  score: number;
  comment?: string | null;
  followUpAnswers?: readonly { question: string; answer: string }[] | null;
  respondedAt: Date;
  surveyId: string;
  departmentId: string | null;
  channel?: string | null;
  touchpoint?: string | null;
  agentId: string | null;
}

const answersKey = (a: readonly { question: string; answer: string }[] | null | undefined) =>
  JSON.stringify((a ?? []).map((x) => [x.question, x.answer]));

/**
 * The content fields in which `row` differs from the stored response (empty: the same response).
 * respondedAt compares instants (+02:00 and Z forms of one instant are equal). `verbatimsErased`:
 * the stored response's customer was erased, so its comment and answers were blanked on purpose and
 * are not compared (a re-send of it stays a DUPLICATE).
 */
export function contentDiff(row: RowContent, stored: Response, verbatimsErased = false): ContentField[] {
  const out: ContentField[] = [];
  if (row.score !== stored.score) out.push('score');
  if (!verbatimsErased && (row.comment ?? null) !== (stored.comment ?? null)) out.push('comment');
  if (!verbatimsErased && answersKey(row.followUpAnswers) !== answersKey(stored.followUpAnswers as FollowUpAnswer[])) out.push('followUpAnswers');
  if (row.respondedAt.getTime() !== stored.respondedAt.getTime()) out.push('respondedAt');
  if (row.surveyId !== stored.surveyId) out.push('surveyCode');
  if ((row.departmentId ?? null) !== (stored.departmentId ?? null)) out.push('departmentCode');
  if ((row.channel ?? null) !== (stored.channel ?? null)) out.push('channel');
  if ((row.touchpoint ?? null) !== (stored.touchpoint ?? null)) out.push('touchpoint');
  if ((row.agentId ?? null) !== (stored.agentId ?? null)) out.push('agentEmail');
  return out;
}
