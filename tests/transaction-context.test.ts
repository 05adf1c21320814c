import { createTestApp, TestApp } from './support/test-app';
import { inTransaction, transaction } from '../src/transaction';
import { SurveyKind } from '../src/modules/surveys/survey.entity';
import type { RequestContext } from '../src/context';

/**
 * The transaction travels with the context: a helper called inside transaction(ctx, fn) with fn's
 * context runs in the transaction. On the embedded database (one connection, held by the open
 * transaction) a helper reading through the data source instead would wait forever; here every
 * step must finish within a deadline.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** Fails instead of hanging when a statement waits for a connection that the transaction holds. */
function within<T>(what: string, work: Promise<T>, ms = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish in ${ms} ms: deadlocked outside the transaction?`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

class RollBack extends Error {}

const count = async (sql: string, params: unknown[] = []) => (await t.ctx().em.query(sql, params))[0].n as number;

describe('transaction(ctx, fn)', () => {
  it('hands fn a context on the transaction; service helpers called with it see its uncommitted rows, and a rollback leaves nothing', async () => {
    const s = t.app.services;
    const outer = t.ctx();
    expect(inTransaction(outer)).toBe(false);
    const work = transaction(outer, async (ctx) => {
      expect(inTransaction(ctx)).toBe(true);
      expect(ctx.em).not.toBe(outer.em);
      // A row written in the transaction, not committed: helpers given ctx find it.
      await ctx.em.query(`INSERT INTO departments (code, name) VALUES ('TX-DEPT', 'In the transaction')`);
      const ids = await within('departments.idsByCode', s.departments.idsByCode(ctx, ['TX-DEPT']));
      expect([...ids.keys()]).toEqual(['TX-DEPT']);
      const deptId = ids.get('TX-DEPT')!;
      expect((await within('the loader', ctx.loaders.department.load(deptId)))?.code).toBe('TX-DEPT');
      expect(await within('access.isDepartmentInScope', s.access.isDepartmentInScope(ctx, deptId))).toBe(true);

      // Services that open a transaction of their own join this one, and read what it wrote.
      const person = await within('people.upsert', s.people.upsert(ctx, { email: 'tx@example.com', name: 'Tx', departmentCode: 'TX-DEPT' }));
      expect(person.departmentId).toBe(deptId);
      expect((await within('people.findByEmail', s.people.findByEmail(ctx, 'tx@example.com')))?.id).toBe(person.id);
      await within('surveys.upsert', s.surveys.upsert(ctx, { code: 'TX-SURVEY', name: 'Tx survey', kind: SurveyKind.TRANSACTIONAL }));
      const rows = [0, 9, 10].map((score, i) => ({ externalRef: `tx-${i}`, surveyCode: 'TX-SURVEY', departmentCode: 'TX-DEPT', score, respondedAt: new Date('2026-01-05T10:00:00Z') }));
      const submitted = await within('ingest.submit', s.ingest.submit(ctx, rows as never));
      expect(submitted.accepted).toBe(3);

      // Reporting aggregates run on the transaction too (ctx.reports), rollups included.
      const summary = await within('reporting.summary', s.reporting.summary(ctx, { departmentIds: [deptId] } as never));
      expect(summary.responses).toBe(3);
      throw new RollBack('undo it all');
    });
    await expect(within('the transaction', work, 20_000)).rejects.toThrow(RollBack);

    expect(await s.departments.idsByCode(outer, ['TX-DEPT'])).toEqual(new Map());
    expect(await s.people.findByEmail(outer, 'tx@example.com')).toBeNull();
    expect(await count(`SELECT count(*)::int AS n FROM surveys WHERE code = 'TX-SURVEY'`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM responses WHERE external_ref LIKE 'tx-%'`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM outbox_events`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM action_items`)).toBe(0);
    expect((await s.reporting.summary(t.ctx(), null)).responses).toBe(0);
  });

  it('nested calls join the open transaction: one commit, or one rollback for all of it', async () => {
    const seen: RequestContext[] = [];
    await expect(
      transaction(t.ctx(), async (ctx) => {
        await ctx.em.query(`INSERT INTO departments (code, name) VALUES ('TX-OUTER', 'Outer')`);
        await transaction(ctx, async (inner) => {
          seen.push(ctx, inner);
          await inner.em.query(`INSERT INTO departments (code, name) VALUES ('TX-INNER', 'Inner')`);
        });
        throw new RollBack('after the inner one returned');
      }),
    ).rejects.toThrow(RollBack);
    expect(seen[1]).toBe(seen[0]);
    expect(await count(`SELECT count(*)::int AS n FROM departments WHERE code LIKE 'TX-%'`)).toBe(0);

    await transaction(t.ctx(), async (ctx) => {
      await transaction(ctx, (inner) => inner.em.query(`INSERT INTO departments (code, name) VALUES ('TX-KEPT', 'Kept')`));
    });
    expect([...(await t.app.services.departments.idsByCode(t.ctx(), ['TX-KEPT'])).keys()]).toEqual(['TX-KEPT']);
  });

  it('on the embedded database, a read outside an open transaction waits for its connection (what the context prevents)', async () => {
    if (t.db.kind !== 'pglite') return; // PostgreSQL has a pool: the read runs beside the transaction
    let outside: Promise<unknown> | undefined;
    let settled = false;
    await transaction(t.ctx(), async (ctx) => {
      await ctx.em.query('SELECT 1');
      outside = t.ctx().em.query('SELECT 1').finally(() => (settled = true));
      await new Promise((r) => setTimeout(r, 200));
      expect(settled).toBe(false);
    });
    await within('the read after the commit', outside!);
    expect(settled).toBe(true);
  });
});
