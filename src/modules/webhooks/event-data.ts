import type { RequestContext } from '../../context';
import { Permission, ROLE_PERMISSIONS } from '../auth/permissions';
import type { Role } from '../auth/viewer';

/**
 * What every event says about the response it concerns (a response event's own, an action item's
 * followed-up response), read when the event is sent: after a correction it is the corrected
 * response, after an erasure it carries nothing erased.
 */
export interface EventResponseContext {
  customerExternalRef: string | null;
  agent: { id: string; email: string; name: string } | null;
  channel: string | null;
  touchpoint: string | null;
  surveyCode: string | null;
  /** Verbatims and customer details: sent only to endpoints whose role may read them. */
  comment: string | null;
  followUpAnswers: unknown[];
  customer: Record<string, unknown> | null;
}

/** The fields only a role with READ_RESPONSES receives, wherever they appear at the top of an event's data. */
export const VERBATIM_KEYS = ['comment', 'followUpAnswers', 'customer'] as const;

/** The response an event concerns: a response event's id, an action item event's item.responseId. */
export function eventResponseId(type: string, payload: Record<string, any>, aggregateId: string | null): string | null {
  if (type.startsWith('response.')) return typeof payload.id === 'string' ? payload.id : aggregateId;
  if (type.startsWith('action_item.')) return typeof payload.item?.responseId === 'string' ? payload.item.responseId : null;
  return null;
}

/** Reads the context of one response (null when it no longer exists). */
export async function responseContext(ctx: RequestContext, responseId: string): Promise<EventResponseContext | null> {
  const [r] = await ctx.em.query(
    `SELECT r.comment, r.follow_up_answers, r.channel, r.touchpoint, s.code AS survey_code,
            p.id AS agent_id, p.email AS agent_email, p.name AS agent_name,
            c.external_ref AS customer_ref, c.region, c.plan, c.spend, c.signup_channel, c.customer_since, c.product, c.attributes
     FROM responses r JOIN surveys s ON s.id = r.survey_id
     LEFT JOIN people p ON p.id = r.agent_id
     LEFT JOIN customers c ON c.id = r.customer_id
     WHERE r.id = $1`,
    [responseId],
  );
  if (!r) return null;
  return {
    customerExternalRef: r.customer_ref ?? null,
    agent: r.agent_id ? { id: r.agent_id, email: r.agent_email, name: r.agent_name } : null,
    channel: r.channel,
    touchpoint: r.touchpoint,
    surveyCode: r.survey_code,
    comment: r.comment,
    followUpAnswers: r.follow_up_answers ?? [],
    customer: r.customer_ref
      ? {
          externalRef: r.customer_ref,
          region: r.region,
          plan: r.plan,
          spend: r.spend === null ? null : Number(r.spend),
          signupChannel: r.signup_channel,
          customerSince: r.customer_since ? new Date(r.customer_since).toISOString() : null,
          product: r.product,
          attributes: r.attributes ?? {},
        }
      : null,
  };
}

export const mayReadVerbatims = (role: Role) => ROLE_PERMISSIONS[role]?.has(Permission.READ_RESPONSES) ?? false;

/**
 * An event's data as an endpoint of `role` receives it: the stored payload plus, when the event
 * concerns a response that exists, its context (customerExternalRef, agent, channel, touchpoint,
 * surveyCode), with comment, followUpAnswers and customer only for a role that may read
 * verbatims; for other roles those keys are removed from the payload itself too.
 */
export function eventData(payload: Record<string, unknown>, context: EventResponseContext | null, role: Role): Record<string, unknown> {
  const data: Record<string, unknown> = { ...payload };
  const verbatims = mayReadVerbatims(role);
  if (context) {
    Object.assign(data, {
      customerExternalRef: context.customerExternalRef,
      agent: context.agent,
      channel: context.channel,
      touchpoint: context.touchpoint,
      surveyCode: context.surveyCode,
    });
    if (verbatims) Object.assign(data, { comment: context.comment, followUpAnswers: context.followUpAnswers, customer: context.customer });
  }
  if (!verbatims) {
    for (const k of VERBATIM_KEYS) delete data[k];
    // A correction's changes hold the old and new values: those of a verbatim are verbatims too.
    if (Array.isArray(data.changes)) data.changes = data.changes.filter((c) => !(VERBATIM_KEYS as readonly string[]).includes((c as { field?: string })?.field ?? ''));
  }
  return data;
}
