/**
 * Counts the SQL statements a piece of work sends through the pg driver (PostgreSQL and PGlite
 * over its socket alike). A connection the pool opens meanwhile queues `LISTEN nps_data_changed`
 * (src/db/change-feed.ts) ahead of its first statement: that is the connection's setup, not the
 * work's, and whether it happens depends on the pool's idle timeout, so it is not counted.
 */
function textOf(sql: unknown): string | undefined {
  const text = typeof sql === 'string' ? sql : (sql as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? text : undefined;
}

export function isConnectionSetup(sql: unknown): boolean {
  return /^\s*LISTEN\s/i.test(textOf(sql) ?? '');
}

/**
 * A DataLoader's lookup of rows by primary key (entityLoader in src/common/loader-factories.ts:
 * `SELECT "Department"."id" AS "Department_id", ... WHERE (("Department"."id" IN (...)))`). Each
 * batch is one tick's loads: on PostgreSQL, where a request's sections run on several connections
 * at once, whether two sections' lookups share a tick depends on which answers first, so their
 * number may vary by a few between runs (on PGlite, one connection, it does not).
 */
export function isByIdLookup(sql: string): boolean {
  return /^SELECT "(\w+)"\."id" AS "\1_id"[\s\S]* WHERE \(*"\1"\."id" IN \(/.test(sql);
}

export async function countStatements<T>(work: () => Promise<T>): Promise<{ count: number; result: T; sql: string[] }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const spy = jest.spyOn(require('pg').Client.prototype, 'query');
  try {
    const result = await work();
    const sql = spy.mock.calls.filter((args) => !isConnectionSetup(args[0])).map((args) => textOf(args[0]) ?? '?');
    return { count: sql.length, result, sql };
  } finally {
    spy.mockRestore();
  }
}
