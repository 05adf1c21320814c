import { DAY, HOUR, iso } from './calendar';
import { TEAM_SPEED } from './model';
import { Rng } from './random';
import type { ResponseSeed } from './responses';
import { FOLLOW_UP_THRESHOLD, SurveySeed } from './surveys';

export type Status = 'OPEN' | 'IN_PROGRESS' | 'BLOCKED' | 'DONE' | 'WONT_DO';
export const STATUSES: readonly Status[] = ['OPEN', 'IN_PROGRESS', 'BLOCKED', 'DONE', 'WONT_DO'];
export type Priority = 'LOW' | 'MEDIUM' | 'HIGH' | 'URGENT';

/** One field changed by an update; person fields name people by seed key (ids are known at insert). */
export interface ChangeSeed {
  field: 'status' | 'assignee' | 'priority' | 'dueAt';
  from: string | null;
  to: string | null;
  person?: true;
}

/** One updateActionItem call: a version, one event per changed field. */
export interface UpdateSeed {
  at: number;
  actor: string;
  note: string | null;
  changes: ChangeSeed[];
}

export interface ActionItemSeed {
  key: string;
  externalRef: string | null;
  title: string;
  description: string | null;
  autoCreated: boolean;
  response: ResponseSeed | null;
  team: string;
  ownerKey: string | null;
  createdAt: number;
  createdBy: string;
  createdNote: string | null;
  /** As created; updates may change them. */
  initialDueAt: number;
  initialPriority: Priority;
  initialAssigneeKey: string | null;
  updates: UpdateSeed[];
  // The state after the updates:
  dueAt: number;
  status: Status;
  priority: Priority;
  assigneeKey: string | null;
  firstActionAt: number | null;
  closedAt: number | null;
}

/** The integration key names that submit responses and push status changes from the help desk. */
export const INGEST_ACTOR = 'survey-sync';
export const HELPDESK_ACTOR = 'helpdesk-sync';
/** As FollowUpService names itself. */
export const FOLLOW_UP_ACTOR = 'system';

const DONE_NOTES = ['Called the customer back; issue resolved.', 'Refund issued and confirmed with the customer.', 'Customer happy with the fix.', 'Explained the change; customer satisfied.', 'Replacement shipped and received.'];
const WONT_DO_NOTES = ['Customer unreachable after three attempts.', 'Duplicate of an earlier complaint.', 'Customer declined a call-back.'];
const BLOCK_NOTES = ['Waiting on the courier investigation.', 'Waiting for finance to approve the credit.', 'Waiting on engineering for a fix.', 'Customer asked to be called next week.'];
const START_NOTES = ['Contacted the customer.', 'Picked up; reviewing the case.', 'Left a voicemail, will try again.'];
const REVIEW_NOTE = 'Closed in the monthly backlog review: too old to follow up usefully.';
/** The backlog review closes what is still open this many days after it was opened (drawn per item; blocked items 30 days later). */
const REVIEW_AFTER_DAYS: [number, number] = [21, 42];

function triagedPriority(r: ResponseSeed): Priority {
  if (r.customer.plan === 'Enterprise' && r.score <= 4) return 'URGENT';
  if (r.score <= 2) return 'HIGH';
  return r.score <= 4 ? 'MEDIUM' : 'LOW';
}

const sec = (ms: number) => Math.floor(ms / 1000) * 1000;
/** Between two updates of one item (so each update has its own second, as a version does). */
const MIN_GAP = 60_000;

/** Applies updates in order, keeping status, firstActionAt and closedAt in step as the service does. */
function replay(item: ActionItemSeed): ActionItemSeed {
  for (const u of item.updates) {
    u.at = sec(u.at);
    for (const c of u.changes) {
      if (c.field === 'status') {
        item.status = c.to as Status;
        if (item.status !== 'OPEN' && item.firstActionAt === null) item.firstActionAt = u.at;
        item.closedAt = item.status === 'DONE' || item.status === 'WONT_DO' ? u.at : null;
      } else if (c.field === 'assignee') item.assigneeKey = c.to;
      else if (c.field === 'dueAt') item.dueAt = Date.parse(c.to!);
      else item.priority = c.to as Priority;
    }
  }
  return item;
}

/**
 * One automatic follow-up per detractor of a survey with auto follow-up, as FollowUpService opens
 * them (title, no description, MEDIUM priority, owned by and assigned to the department's owner, due after the
 * department's SLA). Each history then plays out against the anchor: triage (priority, the agent as
 * assignee, for the slow fifth a new due date agreed with the customer), work, sometimes a block
 * (a new date agreed when stuck on a third party), then DONE or WONT_DO. Teams have their own speed, so older
 * items are mostly closed, recent ones OPEN or IN_PROGRESS, and a backlog gets stuck (overdue)
 * until the monthly backlog review closes what is three to six weeks old as WONT_DO: at the
 * anchor, a minority of the open follow-ups are overdue, as in a team that keeps up.
 */
export function buildAutoActionItems(
  rng: Rng,
  responses: readonly ResponseSeed[],
  surveys: ReadonlyMap<string, SurveySeed>,
  slaHours: ReadonlyMap<string, number>,
  owners: ReadonlyMap<string, string>,
  anchor: number,
): ActionItemSeed[] {
  const items: ActionItemSeed[] = [];
  for (const r of responses) {
    const survey = surveys.get(r.surveyCode)!;
    if (!survey.autoFollowUp || r.score > FOLLOW_UP_THRESHOLD) continue;
    const sla = slaHours.get(r.team)! * HOUR;
    const speed = TEAM_SPEED[r.team] ?? 1;
    const created = r.receivedAt;
    const owner = owners.get(r.team) ?? null;
    const updates: UpdateSeed[] = [];
    let status: Status = 'OPEN';
    const update = (at: number, note: string | null, changes: ChangeSeed[]) => {
      updates.push({ at, actor: HELPDESK_ACTOR, note, changes });
      for (const c of changes) if (c.field === 'status') status = c.to as Status;
    };
    const to = (next: Status): ChangeSeed => ({ field: 'status', from: status, to: next });
    let due = created + sla;
    const moveDue = (next: number): ChangeSeed => {
      const change: ChangeSeed = { field: 'dueAt', from: iso(due), to: iso(next) };
      due = next;
      return change;
    };

    // A backlog: some items were never touched, some stalled in progress, some stuck blocked.
    const fate = rng.weighted({ normal: 93, neglected: 2, stalled: 2.5, stuck: 2.5 });
    const first = created + Math.max(5 * 60_000, rng.exp(sla * 0.3 * speed));
    // A fifth need days (a replacement, a refund, a second visit): the agent agrees a new date with the customer.
    const slow = rng.chance(0.2);
    if (fate !== 'neglected' && first < anchor) {
      const triage: ChangeSeed[] = [to('IN_PROGRESS')];
      if (r.agentKey && r.agentKey !== owner) triage.push({ field: 'assignee', from: owner, to: r.agentKey, person: true });
      const priority = triagedPriority(r);
      if (priority !== 'MEDIUM') triage.push({ field: 'priority', from: 'MEDIUM', to: priority });
      if (slow) triage.push(moveDue(sec(first + rng.between(4, 8) * DAY * speed)));
      update(first, rng.pick(START_NOTES), triage);
      let t = first;
      if (fate === 'stuck' || rng.chance(0.12)) {
        const blockedAt = t + MIN_GAP + rng.exp(sla * 0.2 * speed);
        if (blockedAt < anchor) {
          // Stuck on a third party: a new date is agreed with the customer (it may pass too).
          update(blockedAt, rng.pick(BLOCK_NOTES), fate === 'stuck' ? [to('BLOCKED'), moveDue(sec(blockedAt + rng.between(14, 35) * DAY))] : [to('BLOCKED')]);
          t = fate === 'stuck' ? Infinity : blockedAt + MIN_GAP + rng.exp(sla * 0.8 * speed);
          if (t < anchor) update(t, 'Unblocked.', [to('IN_PROGRESS')]);
        }
      }
      // Most close quickly; the slow ones in days.
      const close = fate === 'stalled' ? Infinity : t + MIN_GAP + rng.exp(slow ? 5 * DAY * speed : sla * 0.45 * speed);
      if (close < anchor) {
        const wont = rng.chance(0.13);
        update(close, rng.pick(wont ? WONT_DO_NOTES : DONE_NOTES), [to(wont ? 'WONT_DO' : 'DONE')]);
      }
    }
    // Blocked items wait for their third party a month longer. (`status` is set by update(): read it as a Status.)
    const state = status as Status;
    const review = created + (rng.between(REVIEW_AFTER_DAYS[0], REVIEW_AFTER_DAYS[1]) + (state === 'BLOCKED' ? 30 : 0)) * DAY;
    const last = updates.length ? updates[updates.length - 1].at : created;
    if ((state === 'OPEN' || state === 'IN_PROGRESS' || state === 'BLOCKED') && review < anchor && review > last + MIN_GAP) {
      update(review, REVIEW_NOTE, [to('WONT_DO')]);
    }
    items.push(
      replay({
        key: r.externalRef,
        externalRef: null,
        title: `Follow up: score ${r.score}/10 on ${survey.name}`,
        // Like FollowUpService: the verbatim stays on the response (integration keys list items).
        description: null,
        autoCreated: true,
        response: r,
        team: r.team,
        ownerKey: owner,
        createdAt: created,
        createdBy: FOLLOW_UP_ACTOR,
        createdNote: `Opened automatically for a detractor response (submitted by ${INGEST_ACTOR})`,
        initialDueAt: created + sla,
        dueAt: created + sla, // replay applies the moves
        initialPriority: 'MEDIUM',
        initialAssigneeKey: owner,
        updates,
        status: 'OPEN',
        priority: 'MEDIUM',
        assigneeKey: owner,
        firstActionAt: null,
        closedAt: null,
      }),
    );
  }
  return items;
}

/** Improvement work people opened by hand (no response), with ticket references, in every status. */
export function buildManualActionItems(owners: ReadonlyMap<string, string>, anchor: number): ActionItemSeed[] {
  const specs: [string, string, Status, number, Priority, string][] = [
    ['OPS-101', 'OPS-DEL', 'IN_PROGRESS', 40, 'URGENT', 'Review the new courier contract: late deliveries since March'],
    ['OPS-102', 'OPS-DEL', 'BLOCKED', 25, 'HIGH', 'Tracking updates missing for the new courier'],
    ['FIN-210', 'OPS-BILL', 'OPEN', 12, 'HIGH', 'Stop surprise charges on invoices (pro-rata fees)'],
    ['FIN-198', 'OPS-BILL', 'DONE', 120, 'MEDIUM', 'Shorten refund processing to 5 working days'],
    ['SUP-55', 'CX-SUP-APAC', 'DONE', 300, 'HIGH', 'Add a second APAC shift to cut phone wait times'],
    ['SUP-61', 'CX-SUP-AMER', 'IN_PROGRESS', 20, 'MEDIUM', 'Reduce transfers between support and billing'],
    ['APP-812', 'PRD-APP', 'DONE', 200, 'HIGH', 'Fix the checkout crash on older phones'],
    ['APP-930', 'PRD-APP', 'WONT_DO', 90, 'LOW', 'Monthly budget per office in the app'],
    ['AM-17', 'SAL-AM', 'OPEN', 3, 'MEDIUM', 'Quarterly check-in calls for every Business account'],
  ];
  return specs.map(([ref, team, status, ageDays, priority, title]) => {
    const created = sec(anchor - ageDays * DAY);
    const owner = owners.get(team) ?? null;
    const path: Status[] = status === 'OPEN' ? [] : status === 'IN_PROGRESS' ? ['IN_PROGRESS'] : status === 'BLOCKED' ? ['IN_PROGRESS', 'BLOCKED'] : ['IN_PROGRESS', status];
    let from: Status = 'OPEN';
    const updates: UpdateSeed[] = path.map((next, i) => {
      const u: UpdateSeed = {
        at: created + ((i + 1) * ageDays * DAY) / (path.length + 1),
        actor: 'demo-admin',
        note: next === 'BLOCKED' ? 'Waiting on the courier.' : null,
        changes: [{ field: 'status', from, to: next }],
      };
      from = next;
      return u;
    });
    return replay({
      key: ref,
      externalRef: ref,
      title,
      description: null,
      autoCreated: false,
      response: null,
      team,
      ownerKey: owner,
      createdAt: created,
      createdBy: 'demo-admin',
      createdNote: null,
      initialDueAt: created + 30 * DAY,
      dueAt: created + 30 * DAY,
      initialPriority: priority,
      initialAssigneeKey: owner,
      updates,
      status: 'OPEN',
      priority,
      assigneeKey: owner,
      firstActionAt: null,
      closedAt: null,
    });
  });
}
