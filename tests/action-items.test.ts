import { createTestApp, codes, TestApp } from './support/test-app';
import { Role, Viewer } from '../src/modules/auth/viewer';

let t: TestApp;
const q = (sql: string, params: unknown[] = []) => t.db.dataSource.query(sql, params);

const ids: Record<string, string> = {};
const T0 = new Date('2026-03-02T09:00:00.000Z');
const at = (hours: number) => () => new Date(T0.getTime() + hours * 3_600_000);
const viewerAt = (name: string, role: Role, departmentId: string | null = null): Viewer => ({ keyId: null, name, role, departmentId });
const ADMIN = viewerAt('ops-admin', Role.ADMIN);
const INTEGRATION = viewerAt('ticketing', Role.INTEGRATION);

beforeAll(async () => {
  t = await createTestApp();
  const dept = async (code: string, parent: string | null, sla: number) => {
    const [row] = await q(`INSERT INTO departments (code, name, parent_id, sla_hours) VALUES ($1, $1, $2, $3) RETURNING id`, [code, parent ? ids[parent] : null, sla]);
    ids[code] = row.id;
  };
  await dept('CO', null, 48);
  await dept('SALES', 'CO', 24);
  await dept('SALES-EU', 'SALES', 12);
  await dept('SUPPORT', 'CO', 72);
  for (const [key, name, deptCode] of [['alice', 'Alice', 'SALES'], ['bob', 'Bob', 'SUPPORT'], ['carol', 'Carol', 'SALES-EU']]) {
    const [row] = await q(`INSERT INTO people (name, email, department_id) VALUES ($1, $2, $3) RETURNING id`, [name, `${key}@example.com`, ids[deptCode]]);
    ids[key] = row.id;
  }
  await q(`UPDATE departments SET owner_id = $1 WHERE code = 'SALES'`, [ids.alice]);
  await q(`UPDATE departments SET owner_id = $1 WHERE code = 'SUPPORT'`, [ids.bob]);
  await q(`UPDATE departments SET owner_id = $1 WHERE code = 'SALES-EU'`, [ids.carol]);
  const [survey] = await q(`INSERT INTO surveys (code, name, kind, auto_follow_up) VALUES ('rel', 'Relationship Q1', 'RELATIONSHIP', false) RETURNING id`);
  ids.survey = survey.id;
  for (const [ref, score, deptCode] of [['r-sales', 3, 'SALES'], ['r-support', 5, 'SUPPORT'], ['r-eu', 2, 'SALES-EU']] as const) {
    const [row] = await q(`INSERT INTO responses (external_ref, survey_id, score, department_id, responded_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`, [
      ref, ids.survey, score, ids[deptCode], '2026-03-01T12:00:00Z',
    ]);
    ids[ref] = row.id;
  }
});
afterAll(() => t.close());

const ITEM = `id externalRef title description status priority version autoCreated dueAt closedAt firstActionAt createdAt updatedAt
  department { code } owner { name } assignee { name } response { externalRef } allowedTransitions
  events { actor at field fromValue toValue note }`;
const CREATE = `mutation($input: CreateActionItemInput!) { createActionItem(input: $input) { ${ITEM} } }`;
const UPDATE = `mutation($input: UpdateActionItemInput!) { updateActionItem(input: $input) { ${ITEM} } }`;
const GET = `query($id: ID!) { actionItem(id: $id) { ${ITEM} } }`;
const BULK = `mutation($updates: [UpdateActionItemInput!]!) { bulkUpdateActionItems(updates: $updates) {
  updated unchanged rejected results { index status item { id status version } error { code message field currentVersion } } } }`;

async function create(input: Record<string, unknown>, opts: { viewer?: Viewer; now?: () => Date } = {}) {
  return (await t.ok(CREATE, { input }, { viewer: ADMIN, now: at(0), ...opts })).createActionItem;
}
async function get(id: string) {
  return (await t.ok(GET, { id })).actionItem;
}
const outboxOf = (id: string) => q(`SELECT type, payload FROM outbox_events WHERE aggregate_id = $1 ORDER BY seq`, [id]);
const eventCount = async (id: string) => Number((await q(`SELECT count(*)::int AS n FROM action_item_events WHERE action_item_id = $1`, [id]))[0].n);

describe('createActionItem', () => {
  it('defaults department, title, owner, assignee and due date from the response and records a created event', async () => {
    const item = await create({ responseId: ids['r-sales'] });
    expect(item).toMatchObject({
      title: 'Follow up: score 3/10 on Relationship Q1',
      status: 'OPEN',
      priority: 'MEDIUM',
      version: 1,
      autoCreated: false,
      department: { code: 'SALES' },
      owner: { name: 'Alice' },
      assignee: { name: 'Alice' },
      response: { externalRef: 'r-sales' },
      closedAt: null,
      firstActionAt: null,
      createdAt: T0.toISOString(),
      dueAt: new Date(T0.getTime() + 24 * 3_600_000).toISOString(), // SALES has a 24-hour SLA
      allowedTransitions: ['IN_PROGRESS', 'BLOCKED', 'DONE', 'WONT_DO'],
    });
    expect(item.events).toHaveLength(1);
    expect(item.events[0]).toMatchObject({ actor: 'ops-admin', at: T0.toISOString(), field: 'created', fromValue: null });
    expect(JSON.parse(item.events[0].toValue)).toMatchObject({ departmentId: ids.SALES, assigneeId: ids.alice, responseId: ids['r-sales'] });
    const outbox = await outboxOf(item.id);
    expect(outbox.map((e: any) => e.type)).toEqual(['action_item.created']);
    expect(outbox[0].payload.item).toMatchObject({ id: item.id, status: 'OPEN', departmentId: ids.SALES });
  });

  it('takes explicit values over the defaults, and null for none', async () => {
    const dueAt = '2026-04-01T00:00:00.000Z';
    const item = await create({
      title: '  Call the customer back ',
      description: 'They asked about pricing',
      priority: 'HIGH',
      departmentId: ids.SUPPORT,
      responseId: ids['r-sales'],
      assigneeId: ids.carol,
      ownerId: null,
      dueAt,
    });
    expect(item).toMatchObject({
      title: 'Call the customer back',
      description: 'They asked about pricing',
      priority: 'HIGH',
      department: { code: 'SUPPORT' },
      assignee: { name: 'Carol' },
      owner: null,
      dueAt,
    });
  });

  it('needs a title without a response, and refuses unknown references, creating nothing', async () => {
    const before = Number((await q('SELECT count(*)::int AS n FROM action_items'))[0].n);
    const noTitle = await t.exec(CREATE, { input: { departmentId: ids.SALES } }, { viewer: ADMIN });
    expect(codes(noTitle)).toEqual(['BAD_USER_INPUT']);
    expect(noTitle.errors![0].extensions!.field).toBe('title');
    const blank = await t.exec(CREATE, { input: { title: '   ' } }, { viewer: ADMIN });
    expect(codes(blank)).toEqual(['BAD_USER_INPUT']);
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const [field, input] of [
      ['responseId', { responseId: missing }],
      ['departmentId', { title: 'x', departmentId: missing }],
      ['assigneeId', { title: 'x', departmentId: ids.SALES, assigneeId: missing }],
      ['ownerId', { title: 'x', ownerId: missing }],
    ] as const) {
      const res = await t.exec(CREATE, { input }, { viewer: ADMIN });
      expect(codes(res)).toEqual(['NOT_FOUND']);
      expect(res.errors![0].extensions!.field).toBe(field);
    }
    expect(codes(await t.exec(CREATE, { input: { title: 'x', responseId: 'nope' } }, { viewer: ADMIN }))).toEqual(['BAD_USER_INPUT']);
    expect(Number((await q('SELECT count(*)::int AS n FROM action_items'))[0].n)).toBe(before);
  });

  it('is idempotent by externalRef: a retry returns the same item, a different input is a CONFLICT', async () => {
    const input = { externalRef: 'TICKET-1', title: 'Refund', departmentId: ids.SUPPORT, priority: 'URGENT' };
    const first = await create(input);
    // Retried later (a different now): the defaults it did not give are not compared.
    const retry = await create(input, { now: at(5) });
    expect(retry).toEqual(first);
    expect(await eventCount(first.id)).toBe(1);
    expect((await outboxOf(first.id)).length).toBe(1);

    // A retry after the item has moved on still returns it (compared with how it was created).
    await t.ok(UPDATE, { input: { externalRef: 'TICKET-1', status: 'IN_PROGRESS', priority: 'LOW' } }, { viewer: ADMIN, now: at(1) });
    const late = await create(input, { now: at(6) });
    expect(late).toMatchObject({ id: first.id, version: 2, status: 'IN_PROGRESS', priority: 'LOW' });

    const conflicting = await t.exec(CREATE, { input: { ...input, title: 'Refund twice' } }, { viewer: ADMIN });
    expect(codes(conflicting)).toEqual(['CONFLICT']);
    // The current version too, so the client can update it (expectedVersion) instead.
    expect(conflicting.errors![0].extensions).toMatchObject({ existingId: first.id, currentVersion: 2, fields: ['title'] });
    expect(conflicting.errors![0].message).toMatch(/TICKET-1/);
    expect((await get(first.id)).title).toBe('Refund');
    expect(Number((await q(`SELECT count(*)::int AS n FROM action_items WHERE external_ref = 'TICKET-1'`))[0].n)).toBe(1);
  });

  it('stores one item when the same externalRef is created concurrently', async () => {
    const input = { externalRef: 'TICKET-RACE', title: 'Race', departmentId: ids.SALES };
    const results = await Promise.all([1, 2, 3, 4].map(() => t.exec(CREATE, { input }, { viewer: ADMIN, now: at(0) })));
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    expect(new Set(results.map((r) => r.data!.createActionItem.id)).size).toBe(1);
    const [{ n }] = await q(`SELECT count(*)::int AS n FROM action_items WHERE external_ref = 'TICKET-RACE'`);
    expect(n).toBe(1);
  });
});

// The lifecycle, written out independently of the implementation's table.
const ALLOWED: Record<string, string[]> = {
  OPEN: ['IN_PROGRESS', 'BLOCKED', 'DONE', 'WONT_DO'],
  IN_PROGRESS: ['OPEN', 'BLOCKED', 'DONE', 'WONT_DO'],
  BLOCKED: ['IN_PROGRESS', 'WONT_DO'],
  DONE: ['OPEN', 'IN_PROGRESS'],
  WONT_DO: ['OPEN', 'IN_PROGRESS'],
};
const STATUSES = Object.keys(ALLOWED);

describe('the transition table', () => {
  const pairs = STATUSES.flatMap((from) => STATUSES.filter((to) => to !== from).map((to) => [from, to] as const));

  it.each(pairs)('%s -> %s', async (from, to) => {
    const item = await create({ title: `${from} to ${to}`, departmentId: ids.SALES });
    const closed = from === 'DONE' || from === 'WONT_DO';
    await q(`UPDATE action_items SET status = $2, closed_at = $3, first_action_at = $4 WHERE id = $1`, [
      item.id, from, closed ? T0 : null, from === 'OPEN' ? null : T0,
    ]);
    const res = await t.exec(UPDATE, { input: { id: item.id, status: to, expectedVersion: 1 } }, { viewer: ADMIN, now: at(2) });
    const after = await get(item.id);
    if (ALLOWED[from].includes(to)) {
      expect(res.errors).toBeUndefined();
      expect(after).toMatchObject({ status: to, version: 2 });
      expect(after.allowedTransitions).toEqual(ALLOWED[to]);
    } else {
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0].message).toContain(`from ${from} it can move to ${ALLOWED[from].join(', ')}`);
      expect(res.errors![0].extensions).toMatchObject({ field: 'status', allowed: ALLOWED[from] });
      expect(after).toMatchObject({ status: from, version: 1 });
      expect(after.events).toHaveLength(1);
    }
  });

  it('keeps firstActionAt from the first move out of OPEN and sets closedAt only while closed', async () => {
    const item = await create({ title: 'Lifecycle', departmentId: ids.SALES });
    const step = async (status: string, hours: number) =>
      (await t.ok(UPDATE, { input: { id: item.id, status } }, { viewer: ADMIN, now: at(hours) })).updateActionItem;
    let s = await step('IN_PROGRESS', 1);
    expect(s).toMatchObject({ firstActionAt: at(1)().toISOString(), closedAt: null, version: 2 });
    s = await step('DONE', 3);
    expect(s).toMatchObject({ firstActionAt: at(1)().toISOString(), closedAt: at(3)().toISOString(), version: 3 });
    s = await step('OPEN', 4);
    expect(s).toMatchObject({ firstActionAt: at(1)().toISOString(), closedAt: null, version: 4 });
    s = await step('WONT_DO', 6);
    expect(s).toMatchObject({ firstActionAt: at(1)().toISOString(), closedAt: at(6)().toISOString(), version: 5 });
    s = await step('IN_PROGRESS', 7);
    expect(s.closedAt).toBeNull();
  });
});

describe('updateActionItem', () => {
  it('records every change as an event with actor, time, from, to and note, and emits one outbox event', async () => {
    const item = await create({ title: 'Events', departmentId: ids.SALES, externalRef: 'EV-1' });
    const dueAt = '2026-03-10T00:00:00.000Z';
    const res = await t.ok(
      UPDATE,
      { input: { externalRef: 'EV-1', status: 'IN_PROGRESS', assigneeId: ids.bob, title: 'Events!', priority: 'HIGH', dueAt, note: 'called, left a message' } },
      { viewer: INTEGRATION, now: at(2) },
    );
    const u = res.updateActionItem;
    expect(u).toMatchObject({ version: 2, status: 'IN_PROGRESS', assignee: { name: 'Bob' }, title: 'Events!', priority: 'HIGH', dueAt, updatedAt: at(2)().toISOString() });
    const changes = u.events.filter((e: any) => e.field !== 'created');
    const byField = Object.fromEntries(changes.map((e: any) => [e.field, e]));
    expect(Object.keys(byField).sort()).toEqual(['assignee', 'dueAt', 'priority', 'status', 'title']);
    for (const e of changes) expect(e).toMatchObject({ actor: 'ticketing', at: at(2)().toISOString(), note: 'called, left a message' });
    expect(byField.status).toMatchObject({ fromValue: 'OPEN', toValue: 'IN_PROGRESS' });
    expect(byField.assignee).toMatchObject({ fromValue: ids.alice, toValue: ids.bob });
    expect(byField.title).toMatchObject({ fromValue: 'Events', toValue: 'Events!' });
    expect(byField.priority).toMatchObject({ fromValue: 'MEDIUM', toValue: 'HIGH' });
    expect(byField.dueAt).toMatchObject({ fromValue: new Date(T0.getTime() + 24 * 3_600_000).toISOString(), toValue: dueAt });

    const outbox = await outboxOf(item.id);
    expect(outbox.map((e: any) => e.type)).toEqual(['action_item.created', 'action_item.changed']);
    expect(outbox[1].payload).toMatchObject({ actor: 'ticketing', note: 'called, left a message', item: { id: item.id, version: 2, status: 'IN_PROGRESS' } });
    expect(outbox[1].payload.changes).toHaveLength(5);

    // null clears the assignee and the due date.
    const cleared = (await t.ok(UPDATE, { input: { id: item.id, assigneeId: null, dueAt: null } }, { viewer: ADMIN, now: at(3) })).updateActionItem;
    expect(cleared).toMatchObject({ assignee: null, dueAt: null, version: 3 });
  });

  it('treats an update that changes nothing as a no-op: same version, no event, even when retried with the old expectedVersion', async () => {
    const item = await create({ title: 'Retry', departmentId: ids.SALES });
    const input = { id: item.id, status: 'IN_PROGRESS', note: 'started', expectedVersion: 1 };
    const first = (await t.ok(UPDATE, { input }, { viewer: ADMIN, now: at(1) })).updateActionItem;
    expect(first.version).toBe(2);
    const events = await eventCount(item.id);
    const outbox = (await outboxOf(item.id)).length;
    const retry = (await t.ok(UPDATE, { input }, { viewer: ADMIN, now: at(2) })).updateActionItem;
    expect(retry).toMatchObject({ version: 2, updatedAt: at(1)().toISOString() });
    const same = (await t.ok(UPDATE, { input: { id: item.id, status: 'IN_PROGRESS', title: 'Retry', note: 'only a note' } }, { viewer: ADMIN })).updateActionItem;
    expect(same.version).toBe(2);
    expect(await eventCount(item.id)).toBe(events);
    expect((await outboxOf(item.id)).length).toBe(outbox);
  });

  it('fails with CONFLICT on a stale expectedVersion, naming the current version, and changes nothing', async () => {
    const item = await create({ title: 'Stale', departmentId: ids.SALES });
    await t.ok(UPDATE, { input: { id: item.id, status: 'IN_PROGRESS', expectedVersion: 1 } }, { viewer: ADMIN, now: at(1) });
    const res = await t.exec(UPDATE, { input: { id: item.id, status: 'DONE', assigneeId: ids.bob, expectedVersion: 1 } }, { viewer: ADMIN, now: at(2) });
    expect(codes(res)).toEqual(['CONFLICT']);
    expect(res.errors![0].extensions).toMatchObject({ currentVersion: 2, expectedVersion: 1 });
    const after = await get(item.id);
    expect(after).toMatchObject({ status: 'IN_PROGRESS', version: 2, assignee: { name: 'Alice' }, closedAt: null });
    expect(after.events).toHaveLength(2);
  });

  it('lets exactly one of several concurrent updates with the same expectedVersion through', async () => {
    const item = await create({ title: 'Concurrent', departmentId: ids.SALES });
    const targets = ['IN_PROGRESS', 'BLOCKED', 'DONE', 'WONT_DO'];
    const results = await Promise.all(
      targets.map((status) => t.exec(UPDATE, { input: { id: item.id, status, expectedVersion: 1 } }, { viewer: ADMIN, now: at(1) })),
    );
    expect(results.filter((r) => !r.errors).length).toBe(1);
    expect(results.filter((r) => r.errors).map(codes)).toEqual([['CONFLICT'], ['CONFLICT'], ['CONFLICT']]);
    const after = await get(item.id);
    expect(after.version).toBe(2);
    expect(after.events).toHaveLength(2);
  });

  it('serialises concurrent unguarded updates: every change counted once in the version', async () => {
    const item = await create({ title: 'Serial', departmentId: ids.SALES });
    const titles = ['a', 'b', 'c', 'd', 'e'];
    const results = await Promise.all(titles.map((title) => t.exec(UPDATE, { input: { id: item.id, title } }, { viewer: ADMIN, now: at(1) })));
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    const after = await get(item.id);
    expect(after.version).toBe(1 + titles.length);
    const titleEvents = after.events.filter((e: any) => e.field === 'title');
    expect(titleEvents).toHaveLength(titles.length);
    // Each event starts from the value the previous one set: no lost update.
    expect(new Set(titleEvents.map((e: any) => e.fromValue)).size).toBe(titles.length);
  });

  it('finds items by id or externalRef, exactly one of them', async () => {
    const item = await create({ title: 'Lookup', departmentId: ids.SALES, externalRef: 'LOOK-1' });
    expect((await t.ok(UPDATE, { input: { externalRef: 'LOOK-1', priority: 'LOW' } }, { viewer: ADMIN })).updateActionItem).toMatchObject({ id: item.id, priority: 'LOW' });
    const both = await t.exec(UPDATE, { input: { id: item.id, externalRef: 'LOOK-1', priority: 'HIGH' } }, { viewer: ADMIN });
    expect(codes(both)).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.exec(UPDATE, { input: { priority: 'HIGH' } }, { viewer: ADMIN }))).toEqual(['BAD_USER_INPUT']);
    const unknownRef = await t.exec(UPDATE, { input: { externalRef: 'LOOK-404', priority: 'HIGH' } }, { viewer: ADMIN });
    expect(codes(unknownRef)).toEqual(['NOT_FOUND']);
    expect(unknownRef.errors![0].extensions!.field).toBe('externalRef');
    expect(codes(await t.exec(UPDATE, { input: { id: '00000000-0000-4000-8000-000000000000', priority: 'HIGH' } }, { viewer: ADMIN }))).toEqual(['NOT_FOUND']);
    expect(codes(await t.exec(UPDATE, { input: { id: item.id, assigneeId: '00000000-0000-4000-8000-000000000000' } }, { viewer: ADMIN }))).toEqual(['NOT_FOUND']);
    expect(codes(await t.exec(UPDATE, { input: { id: item.id, title: '' } }, { viewer: ADMIN }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.exec(UPDATE, { input: { id: item.id, expectedVersion: 0, priority: 'HIGH' } }, { viewer: ADMIN }))).toEqual(['BAD_USER_INPUT']);
    expect(await get(item.id)).toMatchObject({ priority: 'LOW', version: 2 });
  });
});

describe('bulkUpdateActionItems', () => {
  it('reports UPDATED, UNCHANGED and REJECTED per item, applying the good ones only', async () => {
    const a = await create({ title: 'Bulk A', departmentId: ids.SALES, externalRef: 'BULK-A' });
    const b = await create({ title: 'Bulk B', departmentId: ids.SALES });
    const c = await create({ title: 'Bulk C', departmentId: ids.SALES });
    const res = (
      await t.ok(
        BULK,
        {
          updates: [
            { externalRef: 'BULK-A', status: 'IN_PROGRESS' },
            { id: b.id, status: 'OPEN' },
            { id: c.id, status: 'DONE' },
            { id: c.id, status: 'BLOCKED' },
            { externalRef: 'BULK-404', status: 'DONE' },
            { id: a.id, title: 'x'.repeat(301) },
            { id: a.id, status: 'DONE', expectedVersion: 1 },
            { id: 'not-an-id', status: 'DONE' },
          ],
        },
        { viewer: INTEGRATION, now: at(1) },
      )
    ).bulkUpdateActionItems;
    expect(res.results.map((r: any) => [r.index, r.status, r.error?.code ?? null])).toEqual([
      [0, 'UPDATED', null],
      [1, 'UNCHANGED', null],
      [2, 'UPDATED', null],
      [3, 'REJECTED', 'BAD_USER_INPUT'],
      [4, 'REJECTED', 'NOT_FOUND'],
      [5, 'REJECTED', 'BAD_USER_INPUT'],
      [6, 'REJECTED', 'CONFLICT'],
      [7, 'REJECTED', 'BAD_USER_INPUT'],
    ]);
    expect({ updated: res.updated, unchanged: res.unchanged, rejected: res.rejected }).toEqual({ updated: 2, unchanged: 1, rejected: 5 });
    expect(res.results[0].item).toEqual({ id: a.id, status: 'IN_PROGRESS', version: 2 });
    expect(res.results[3].error.field).toBe('status');
    expect(res.results[5].error).toMatchObject({ field: 'title' });
    expect(res.results[5].item).toBeNull();
    // A stale expectedVersion in a bulk call gives the current version as a single update does.
    expect(res.results[6].error).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    expect(res.results[5].error.currentVersion).toBeNull();
    expect(await get(a.id)).toMatchObject({ status: 'IN_PROGRESS', version: 2, title: 'Bulk A' });
    expect(await get(b.id)).toMatchObject({ status: 'OPEN', version: 1 });
    expect(await get(c.id)).toMatchObject({ status: 'DONE', version: 2 });
  });

  it('takes at most 500 updates', async () => {
    const item = await create({ title: 'Cap', departmentId: ids.SALES });
    const over = await t.exec(BULK, { updates: Array.from({ length: 501 }, () => ({ id: item.id, status: 'IN_PROGRESS' })) }, { viewer: ADMIN });
    expect(codes(over)).toEqual(['BAD_USER_INPUT']);
    expect(over.errors![0].message).toMatch(/500/);
    expect(await get(item.id)).toMatchObject({ status: 'OPEN', version: 1 });
    const ok = (await t.ok(BULK, { updates: Array.from({ length: 500 }, () => ({ id: item.id, status: 'IN_PROGRESS' })) }, { viewer: ADMIN }))
      .bulkUpdateActionItems;
    expect({ updated: ok.updated, unchanged: ok.unchanged, rejected: ok.rejected }).toEqual({ updated: 1, unchanged: 499, rejected: 0 });
  });
});

describe('permissions and manager scope', () => {
  const LIST = `query($filter: ActionItemFilter) { actionItems(filter: $filter, first: 100) { totalCount edges { node { id department { code } } } } }`;

  it('lets a manager act on the items of their subtree only: another department is FORBIDDEN and unchanged', async () => {
    const mgr = viewerAt('sales-mgr', Role.MANAGER, ids.SALES);
    const mine = await create({ title: 'EU item', departmentId: ids['SALES-EU'] });
    const theirs = await create({ title: 'Support item', departmentId: ids.SUPPORT, externalRef: 'SUP-1' });
    const ok = await t.ok(UPDATE, { input: { id: mine.id, status: 'IN_PROGRESS' } }, { viewer: mgr });
    expect(ok.updateActionItem).toMatchObject({ status: 'IN_PROGRESS', version: 2 });
    for (const input of [{ id: theirs.id, status: 'DONE' }, { externalRef: 'SUP-1', assigneeId: ids.alice }]) {
      expect(codes(await t.exec(UPDATE, { input }, { viewer: mgr }))).toEqual(['FORBIDDEN']);
    }
    const bulk = (await t.ok(BULK, { updates: [{ id: theirs.id, status: 'DONE' }, { id: mine.id, status: 'DONE' }] }, { viewer: mgr })).bulkUpdateActionItems;
    expect(bulk.results.map((r: any) => r.error?.code ?? r.status)).toEqual(['FORBIDDEN', 'UPDATED']);
    const after = await get(theirs.id);
    expect(after).toMatchObject({ status: 'OPEN', version: 1, assignee: { name: 'Bob' } });
    expect(after.events).toHaveLength(1);
    expect(codes(await t.exec(GET, { id: theirs.id }, { viewer: mgr }))).toEqual(['FORBIDDEN']);

    // Creating: only in the subtree, and only for responses of the subtree.
    expect(codes(await t.exec(CREATE, { input: { title: 'x', departmentId: ids.SUPPORT } }, { viewer: mgr }))).toEqual(['FORBIDDEN']);
    // Another department's response is NOT_FOUND to them, as in response(id).
    expect(codes(await t.exec(CREATE, { input: { responseId: ids['r-support'], departmentId: ids.SALES } }, { viewer: mgr }))).toEqual(['NOT_FOUND']);
    expect(codes(await t.exec(CREATE, { input: { title: 'no department' } }, { viewer: mgr }))).toEqual(['FORBIDDEN']);
    const created = (await t.ok(CREATE, { input: { responseId: ids['r-eu'] } }, { viewer: mgr })).createActionItem;
    expect(created).toMatchObject({ department: { code: 'SALES-EU' }, assignee: { name: 'Carol' } });

    // Listing is scoped, and asking for a department outside the subtree is FORBIDDEN.
    const list = (await t.ok(LIST, {}, { viewer: mgr })).actionItems;
    const [{ n }] = await q(
      `SELECT count(*)::int AS n FROM action_items WHERE department_id IN (SELECT id FROM departments WHERE code IN ('SALES', 'SALES-EU'))`,
    );
    expect(list.totalCount).toBe(n);
    expect(list.edges.length).toBe(n);
    for (const e of list.edges) expect(['SALES', 'SALES-EU']).toContain(e.node.department.code);
    expect(codes(await t.exec(LIST, { filter: { departmentIds: [ids.SUPPORT] } }, { viewer: mgr }))).toEqual(['FORBIDDEN']);
  });

  it('refuses writes to roles without WRITE_ACTION_ITEMS and reads to roles without READ_ACTION_ITEMS', async () => {
    const item = await create({ title: 'Perm', departmentId: ids.SALES });
    const exec = viewerAt('cfo', Role.EXECUTIVE);
    expect(codes(await t.exec(UPDATE, { input: { id: item.id, status: 'DONE' } }, { viewer: exec }))).toEqual(['FORBIDDEN']);
    expect(codes(await t.exec(CREATE, { input: { title: 'x' } }, { viewer: exec }))).toEqual(['FORBIDDEN']);
    expect(codes(await t.exec(BULK, { updates: [] }, { viewer: exec }))).toEqual(['FORBIDDEN']);
    expect((await t.ok(GET, { id: item.id }, { viewer: exec })).actionItem.status).toBe('OPEN');
    // An integration key manages items but may not read the response (verbatims, customer).
    const res = await t.exec(`query($id: ID!) { actionItem(id: $id) { id response { id } } }`, { id: (await create({ responseId: ids['r-sales'] })).id }, { viewer: INTEGRATION });
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(res.data!.actionItem.response).toBeNull();
  });
});

describe('actionItems list', () => {
  const LIST = `query($filter: ActionItemFilter, $first: Int, $after: String) {
    actionItems(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id title } } } }`;
  const titles = async (filter: Record<string, unknown>, now?: () => Date) => {
    const res = await t.ok(LIST, { filter: { createdFrom: '2027-01-01T00:00:00Z', ...filter }, first: 500 }, { viewer: ADMIN, now });
    return res.actionItems.edges.map((e: any) => e.node.title);
  };

  beforeAll(async () => {
    // A fresh set in 2027, apart from the items created above.
    const base = new Date('2027-01-01T00:00:00Z').getTime();
    const spec = [
      { title: 'L1', departmentId: ids.SALES, priority: 'LOW', dueAt: '2027-01-05T00:00:00Z' },
      { title: 'L2', departmentId: ids['SALES-EU'], priority: 'HIGH', dueAt: '2027-01-03T00:00:00Z', assigneeId: ids.bob },
      { title: 'L3', departmentId: ids.SUPPORT, priority: 'HIGH', responseId: ids['r-support'] },
      { title: 'L4', departmentId: ids.SUPPORT, priority: 'URGENT', dueAt: '2027-01-02T00:00:00Z' },
      { title: 'L5', departmentId: ids.SALES, dueAt: null },
    ];
    for (const [i, input] of spec.entries()) await create(input, { now: () => new Date(base + i * 3_600_000) });
    const l4 = (await titlesToIds(['L4']))[0];
    await t.ok(UPDATE, { input: { id: l4, status: 'DONE' } }, { viewer: ADMIN, now: () => new Date(base + 10 * 3_600_000) });
  });
  const titlesToIds = async (list: string[]) =>
    (await q(`SELECT id, title FROM action_items WHERE title = ANY($1)`, [list])).map((r: any) => r.id);

  it('orders newest first and filters by status, department subtree, assignee, response, priority, creation time', async () => {
    expect(await titles({})).toEqual(['L5', 'L4', 'L3', 'L2', 'L1']);
    expect(await titles({ statuses: ['DONE'] })).toEqual(['L4']);
    expect(await titles({ statuses: ['OPEN', 'IN_PROGRESS'] })).toEqual(['L5', 'L3', 'L2', 'L1']);
    expect(await titles({ departmentIds: [ids.SALES] })).toEqual(['L5', 'L2', 'L1']);
    expect(await titles({ departmentIds: [ids['SALES-EU'], ids.SUPPORT] })).toEqual(['L4', 'L3', 'L2']);
    expect(await titles({ assigneeId: ids.bob })).toEqual(['L4', 'L3', 'L2']);
    expect(await titles({ responseId: ids['r-support'] })).toEqual(['L3']);
    expect(await titles({ priority: ['HIGH', 'URGENT'] })).toEqual(['L4', 'L3', 'L2']);
    expect(await titles({ priority: 'LOW' })).toEqual(['L1']);
    expect(await titles({ createdFrom: '2027-01-01T01:00:00Z', createdTo: '2027-01-01T03:00:00Z' })).toEqual(['L3', 'L2']);
    expect(await titles({ autoCreated: true })).toEqual([]);
  });

  it('computes overdue against the request clock, never counting closed items or items without a due date', async () => {
    // L3 is due at creation (02:00) + SUPPORT's 72 hours = 2027-01-04T02:00Z.
    expect(await titles({ overdue: true }, () => new Date('2027-01-01T12:00:00Z'))).toEqual([]);
    expect(await titles({ overdue: true }, () => new Date('2027-01-03T12:00:00Z'))).toEqual(['L2']);
    expect(await titles({ overdue: true }, () => new Date('2027-01-04T12:00:00Z'))).toEqual(['L3', 'L2']);
    expect(await titles({ overdue: true }, () => new Date('2027-02-01T00:00:00Z'))).toEqual(['L3', 'L2', 'L1']);
    expect(await titles({ overdue: false }, () => new Date('2027-02-01T00:00:00Z'))).toEqual(['L5', 'L4']);
  });

  it('pages with a stable cursor and a totalCount of all matches', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const res: any = (await t.ok(LIST, { filter: { createdFrom: '2027-01-01T00:00:00Z' }, first: 2, after }, { viewer: ADMIN })).actionItems;
      expect(res.totalCount).toBe(5);
      seen.push(...res.edges.map((e: any) => e.node.title));
      if (!res.pageInfo.hasNextPage) break;
      after = res.pageInfo.endCursor;
    }
    expect(seen).toEqual(['L5', 'L4', 'L3', 'L2', 'L1']);
    expect(codes(await t.exec(LIST, { after: 'garbage' }, { viewer: ADMIN }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.exec(LIST, { first: 501 }, { viewer: ADMIN }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.exec(LIST, { filter: { departmentIds: ['00000000-0000-4000-8000-000000000000'] } }, { viewer: ADMIN }))).toEqual(['NOT_FOUND']);
  });
});
