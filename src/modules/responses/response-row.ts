import { Response } from './response.entity';

/** A raw `responses` row (snake_case, as pg returns it) as an entity. */
export function responseFromRow(row: Record<string, any>): Response {
  return Object.assign(new Response(), {
    id: row.id,
    externalRef: row.external_ref,
    score: Number(row.score),
    comment: row.comment,
    followUpAnswers: row.follow_up_answers ?? [],
    channel: row.channel,
    touchpoint: row.touchpoint,
    surveyId: row.survey_id,
    customerId: row.customer_id,
    departmentId: row.department_id,
    agentId: row.agent_id,
    region: row.region ?? null,
    plan: row.plan ?? null,
    product: row.product ?? null,
    signupChannel: row.signup_channel ?? null,
    respondedAt: new Date(row.responded_at),
    receivedAt: new Date(row.received_at),
    version: Number(row.version ?? 1),
  });
}
