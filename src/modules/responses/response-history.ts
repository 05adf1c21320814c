import DataLoader from 'dataloader';
import type { Queryable } from '../../context';
import type { ResponseHistoryEntry } from './correction.types';

/** The corrections of each response, oldest first, one statement per tick (response_history has no entity: read with SQL). */
export function responseHistoryLoader(em: Queryable) {
  return new DataLoader<string, ResponseHistoryEntry[]>(async (ids) => {
    const rows: { response_id: string; version: number; at: Date; actor: string; note: string | null; changes: ResponseHistoryEntry['changes'] }[] = await em.query(
      'SELECT response_id, version, at, actor, note, changes FROM response_history WHERE response_id = ANY($1::uuid[]) ORDER BY response_id, version',
      [[...ids]],
    );
    const groups = new Map<string, ResponseHistoryEntry[]>(ids.map((id) => [id, []]));
    for (const r of rows) groups.get(r.response_id)?.push({ version: r.version, at: new Date(r.at), actor: r.actor, note: r.note, changes: r.changes });
    return ids.map((id) => groups.get(id)!);
  });
}
