import { SqlParams } from '../../common/sql-params';

/**
 * Moves a condition compiled against its own SqlParams into `target`: its placeholders are
 * renumbered after target's and its values appended. Lets several independently compiled
 * conditions (some of which may have failed) share one statement.
 */
export function mergeInto(target: SqlParams, sql: string, values: readonly unknown[]): string {
  const offset = target.values.length;
  target.values.push(...values);
  return offset === 0 ? sql : sql.replace(/\$(\d+)/g, (_m, n: string) => `$${Number(n) + offset}`);
}
