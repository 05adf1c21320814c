import DataLoader from 'dataloader';
import { EntityManager, EntityTarget, In, ObjectLiteral } from 'typeorm';

/** Batches lookups by primary key into one `WHERE id IN (...)` per tick, on `em` (a request's, or its transaction's). */
export function entityLoader<T extends ObjectLiteral & { id: string }>(em: EntityManager, target: EntityTarget<T>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await em.getRepository(target).findBy({ id: In([...ids]) } as never);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** Batches lookups by another unique column (a business code) into one `WHERE column IN (...)` per tick; null: none has it. */
export function uniqueKeyLoader<T extends ObjectLiteral>(em: EntityManager, target: EntityTarget<T>, column: keyof T & string) {
  return new DataLoader<string, T | null>(async (keys) => {
    const rows = await em.getRepository(target).findBy({ [column]: In([...keys]) } as never);
    const byKey = new Map(rows.map((r) => [r[column] as string, r]));
    return keys.map((k) => byKey.get(k) ?? null);
  });
}

/** Batches "all rows whose `column` is one of these keys" into one query, grouped per key. */
export function groupLoader<T extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<T>,
  column: keyof T & string,
  order: Partial<Record<keyof T & string, 'ASC' | 'DESC'>>,
) {
  return new DataLoader<string, T[]>(async (keys) => {
    const rows = await em.getRepository(target).find({ where: { [column]: In([...keys]) } as never, order: order as never });
    const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
    for (const row of rows) groups.get(row[column] as string)?.push(row);
    return keys.map((k) => groups.get(k)!);
  });
}

/** Loads a nullable reference through a loader. */
export async function loadRef<T>(loader: DataLoader<string, T | null>, id: string | null | undefined): Promise<T | null> {
  return id ? loader.load(id) : null;
}
