import { createHash } from 'node:crypto';
import { Field, Int, ObjectType } from 'type-graphql';
import type { RequestContext } from '../../context';
import { badInput, notFound } from '../../common/errors';
import { forgetDerived } from '../../common/request-cache';
import { transaction } from '../../transaction';
import { Permission } from '../auth/permissions';
import { checkRef } from './customer-rules';

@ObjectType({ description: 'The record of a customer erasure: what was done, never what was erased.' })
export class CustomerErasure {
  @Field({ description: 'SHA-256 (hex) of the erased externalRef: the reference itself is not kept.' })
  refHash: string;

  @Field()
  erasedAt: Date;

  @Field({ description: 'Name of the API key that asked for it.' })
  erasedBy: string;

  @Field(() => Int, { description: 'Responses whose verbatims and follow-up answers were erased.' })
  responses: number;

  @Field(() => Int, { description: 'Action items whose free text (title, description, event notes and text values) was erased.' })
  actionItems: number;

  @Field(() => Int, { description: 'Outbox events whose payload was reduced to its non-personal fields (with their delivery logs).' })
  outboxEvents: number;

  @Field({ description: 'true when this reference had already been erased (nothing was done again).' })
  alreadyErased: boolean;
}

export const refHash = (ref: string) => createHash('sha256').update(ref, 'utf8').digest('hex');

/** What an erased customer's externalRef becomes: unique, derived from the hash, nothing of the ref. */
export const erasedRef = (hash: string) => `erased:${hash}`;

/**
 * SQL: the externalRef a customer named `ref` (a text expression) is stored under: `ref` itself, or
 * `erased:<sha256>` once erased. Writes and lookups that name customers by reference go through it,
 * so a customer erased and named again (an invitation, the do-not-contact list, eligibility) is
 * found as the erased row instead of being created afresh under their reference.
 */
export const storedRefSql = (ref: string) =>
  `coalesce((SELECT 'erased:' || e.ref_hash FROM customer_erasures e WHERE e.ref_hash = encode(sha256(convert_to(${ref}, 'UTF8')), 'hex')), ${ref})`;

/** The text put in place of an erased action item title (the column is NOT NULL). */
export const ERASED_TITLE = 'Follow-up (customer data erased)';

/** Verbatims shorter than this are not searched for as quotes in other text (too common to mean a quote). */
const MIN_QUOTE_CHARS = 12;
/** The reference is searched for in other text from this length. */
const MIN_REF_QUOTE_CHARS = 6;

/** The fields of outbox payloads kept after an erasure: identifiers, scores, codes, statuses and dates. */
const KEEP_RESPONSE = ['id', 'externalRef', 'score', 'category', 'surveyCode', 'departmentCode', 'respondedAt', 'version'];
const KEEP_ITEM = ['id', 'externalRef', 'status', 'priority', 'version', 'autoCreated', 'responseId', 'departmentId', 'ownerId', 'assigneeId', 'dueAt', 'firstActionAt', 'closedAt', 'createdAt', 'updatedAt'];
/** Action-item fields whose event values (from/to) are free text. */
const TEXT_FIELDS = ['title', 'description', 'created'];

const pick = (o: Record<string, unknown> | null | undefined, keys: readonly string[]) =>
  Object.fromEntries(keys.filter((k) => o && k in o).map((k) => [k, o![k]]));

/** An outbox payload with only its non-personal fields (whitelisted: a field added later is dropped, not leaked). */
export function redactPayload(type: string, payload: Record<string, any>): Record<string, unknown> {
  if (type.startsWith('action_item.')) {
    return {
      item: pick(payload.item, KEEP_ITEM),
      changes: (Array.isArray(payload.changes) ? payload.changes : [])
        .filter((c: any) => !TEXT_FIELDS.includes(c?.field))
        .map((c: any) => pick(c, ['field', 'from', 'to'])),
      actor: payload.actor ?? null,
      note: null,
      erased: true,
    };
  }
  return { ...pick(payload, KEEP_RESPONSE), erased: true };
}

/**
 * eraseCustomer: removes one customer's personal data from every store, in one transaction.
 * - the customer row: externalRef becomes `erased:<sha256>`, free attributes {} (the segmentation
 *   labels, spend and tenure stay: they are not identifying and filters count with them);
 * - their responses: comment NULL, follow-up answers [] (scores, dates, departments and the
 *   attributes copied onto them stay, so no figure moves; the themes tagged stay as counted);
 * - action items following up those responses, and any item or event whose text quotes a verbatim
 *   or contains the reference: title replaced, description and notes NULL, text values of title,
 *   description and creation events NULL;
 * - outbox events of those responses and items: payload reduced to its non-personal fields; their
 *   deliveries' last error and attempt errors NULL, and any other delivery error quoting them
 *   (a receiver's answer may echo the body);
 * - the do-not-contact entry's reason NULL (the entry stays); survey invitations keep their
 *   references (identifiers of the sending system, like responses' externalRefs) and find the
 *   erased row when the customer is named again (storedRefSql);
 * - the full-text index follows the rows (an expression index); VACUUM then drops the old
 *   versions. A customer.erased event goes out; the erasure is recorded (customer_erasures).
 */
export async function eraseCustomer(ctx: RequestContext, externalRef: string): Promise<CustomerErasure> {
  ctx.services.access.require(ctx, Permission.ERASE_PERSONAL_DATA);
  const bad = checkRef(externalRef, 'externalRef');
  if (bad) throw badInput(bad.message, bad.field ?? 'externalRef');
  const hash = refHash(externalRef);
  const result = await transaction(ctx, async (ctx) => {
    // One erasure per reference at a time.
    await ctx.em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`erase:${hash}`]);
    const [done] = await ctx.em.query(`SELECT * FROM customer_erasures WHERE ref_hash = $1`, [hash]);
    if (done) return toErasure(done, true);
    const [customer] = await ctx.em.query(`SELECT id FROM customers WHERE external_ref = $1 FOR UPDATE`, [externalRef]);
    if (!customer) throw notFound('Customer', externalRef, 'externalRef');
    const now = ctx.now();

    // The texts to look for as quotes elsewhere, read before they go.
    const responses: { id: string; comment: string | null; answers: string[] }[] = (
      await ctx.em.query(
        `SELECT r.id, r.comment, coalesce((SELECT array_agg(a->>'answer') FROM jsonb_array_elements(r.follow_up_answers) a), '{}') AS answers
         FROM responses r WHERE r.customer_id = $1 FOR UPDATE`,
        [customer.id],
      )
    ).map((r: any) => ({ id: r.id, comment: r.comment, answers: r.answers ?? [] }));
    const responseIds = responses.map((r) => r.id);
    // The reference too, when long enough not to be part of unrelated words ("crm-4411", not "c1").
    const quotes = [
      ...(externalRef.length >= MIN_REF_QUOTE_CHARS ? [externalRef] : []),
      ...responses.flatMap((r) => [r.comment ?? '', ...r.answers]).filter((q) => q.trim().length >= MIN_QUOTE_CHARS),
    ];

    await ctx.em.query(`UPDATE responses SET comment = NULL, follow_up_answers = '[]'::jsonb WHERE id = ANY($1::uuid[])`, [responseIds]);
    // Their corrections' history (correctResponses) keeps earlier verbatims and notes: those go too,
    // the rest of each change (scores, dates, codes) stays.
    await ctx.em.query(
      `UPDATE response_history h SET note = NULL, changes = (
         SELECT coalesce(jsonb_agg(CASE WHEN c->>'field' IN ('comment', 'followUpAnswers') THEN jsonb_build_object('field', c->>'field', 'from', NULL, 'to', NULL) ELSE c END ORDER BY o), '[]'::jsonb)
         FROM jsonb_array_elements(h.changes) WITH ORDINALITY AS x(c, o))
       WHERE h.response_id = ANY($1::uuid[])`,
      [responseIds],
    );

    const items: { id: string }[] = await ctx.em.query(
      `SELECT a.id FROM action_items a
       WHERE a.response_id = ANY($1::uuid[])
          OR EXISTS (SELECT 1 FROM unnest($2::text[]) q
                     WHERE strpos(a.title, q) > 0 OR strpos(coalesce(a.description, ''), q) > 0
                        OR EXISTS (SELECT 1 FROM action_item_events e WHERE e.action_item_id = a.id
                                   AND (strpos(coalesce(e.note, ''), q) > 0 OR strpos(coalesce(e.from_value, ''), q) > 0 OR strpos(coalesce(e.to_value, ''), q) > 0)))
       FOR UPDATE`,
      [responseIds, quotes],
    );
    const itemIds = items.map((i) => i.id);
    await ctx.em.query(`UPDATE action_items SET title = $2, description = NULL WHERE id = ANY($1::uuid[])`, [itemIds, ERASED_TITLE]);
    await ctx.em.query(
      `UPDATE action_item_events SET note = NULL,
              from_value = CASE WHEN field = ANY($2::text[]) THEN NULL ELSE from_value END,
              to_value = CASE WHEN field = ANY($2::text[]) THEN NULL ELSE to_value END
       WHERE action_item_id = ANY($1::uuid[])`,
      [itemIds, TEXT_FIELDS],
    );

    const events: { id: string; type: string; payload: Record<string, any> }[] = await ctx.em.query(
      `SELECT id, type, payload FROM outbox_events WHERE aggregate_id = ANY($1::uuid[]) FOR UPDATE`,
      [[...responseIds, ...itemIds]],
    );
    if (events.length) {
      await ctx.em.query(
        `UPDATE outbox_events o SET payload = x.payload
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, payload jsonb) WHERE o.id = x.id`,
        [JSON.stringify(events.map((e) => ({ id: e.id, payload: redactPayload(e.type, e.payload) })))],
      );
    }
    // Delivery logs of those events, and any other whose error quotes them (a receiver's answer may echo a body).
    const eventIds = events.map((e) => e.id);
    await ctx.em.query(
      `UPDATE webhook_deliveries d SET last_error = NULL
       WHERE d.last_error IS NOT NULL AND (d.event_id = ANY($1::uuid[]) OR EXISTS (SELECT 1 FROM unnest($2::text[]) q WHERE strpos(d.last_error, q) > 0))`,
      [eventIds, quotes],
    );
    await ctx.em.query(
      `UPDATE webhook_delivery_attempts a SET error = NULL
       WHERE a.error IS NOT NULL
         AND (a.delivery_id IN (SELECT id FROM webhook_deliveries WHERE event_id = ANY($1::uuid[]))
              OR EXISTS (SELECT 1 FROM unnest($2::text[]) q WHERE strpos(a.error, q) > 0))`,
      [eventIds, quotes],
    );

    // The do-not-contact entry stays (the customer must still not be surveyed); its free-text reason goes.
    await ctx.em.query(`UPDATE do_not_contact SET reason = NULL WHERE customer_id = $1`, [customer.id]);
    await ctx.em.query(`UPDATE customers SET external_ref = $2, attributes = '{}'::jsonb, updated_at = $3 WHERE id = $1`, [customer.id, erasedRef(hash), now]);
    const [row] = await ctx.em.query(
      `INSERT INTO customer_erasures (ref_hash, customer_id, erased_at, key_id, key_name, responses, action_items, outbox_events)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [hash, customer.id, now, ctx.viewer.keyId, ctx.viewer.name, responseIds.length, itemIds.length, events.length],
    );
    await ctx.services.outbox.enqueue(ctx, [
      {
        type: 'customer.erased',
        aggregateId: customer.id,
        payload: { customerId: customer.id, refHash: hash, erasedAt: now.toISOString(), responses: responseIds.length, actionItems: itemIds.length },
      },
    ]);
    return toErasure(row, false);
  });
  ctx.loaders.customer.clearAll();
  forgetDerived(ctx);
  return result;
}

function toErasure(row: Record<string, any>, alreadyErased: boolean): CustomerErasure {
  return Object.assign(new CustomerErasure(), {
    refHash: row.ref_hash,
    erasedAt: new Date(row.erased_at),
    erasedBy: row.key_name,
    responses: row.responses,
    actionItems: row.action_items,
    outboxEvents: row.outbox_events,
    alreadyErased,
  });
}
