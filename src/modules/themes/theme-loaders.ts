import DataLoader from 'dataloader';
import type { Queryable } from '../../context';
import { themeFromRow } from './theme-rows';
import type { Theme } from './theme.types';

/** Themes by id, one `WHERE id = ANY(...)` per tick (no entity: themes are read with SQL). */
export function themeLoader(em: Queryable) {
  return new DataLoader<string, Theme | null>(async (ids) => {
    const rows: Record<string, unknown>[] = await em.query('SELECT * FROM themes WHERE id = ANY($1::uuid[])', [[...ids]]);
    const byId = new Map(rows.map((r) => [r.id as string, themeFromRow(r)]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** The active themes each response mentions, by code, one statement per tick. */
export function responseThemesLoader(em: Queryable) {
  return new DataLoader<string, Theme[]>(async (ids) => {
    const rows: Record<string, unknown>[] = await em.query(
      `SELECT rt.response_id, t.* FROM response_themes rt JOIN themes t ON t.id = rt.theme_id AND t.active
       WHERE rt.response_id = ANY($1::uuid[]) ORDER BY t.code`,
      [[...ids]],
    );
    const groups = new Map<string, Theme[]>(ids.map((id) => [id, []]));
    for (const r of rows) groups.get(r.response_id as string)?.push(themeFromRow(r));
    return ids.map((id) => groups.get(id)!);
  });
}
