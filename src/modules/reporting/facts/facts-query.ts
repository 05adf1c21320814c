import type { SqlParams } from '../../../common/sql-params';
import { recordPlan } from '../../../common/query-stats';
import type { FilterPlan } from '../filter/filter-plan';
import { countsSelect, NpsCategory } from '../nps-category';
import { Dim, RAW_DIMS, RollupDef, rollupFor } from './rollup-defs';
import { Source, splitRange } from './time-segments';

/** A time range to count, tagged `k` (a trend bucket, a compared period, a KPI target); null bounds are open. */
export interface FactRange {
  k: number;
  lo: Date | null;
  hi: Date | null;
}

/** How the counts were found: rollups only, rollups and raw rows, or raw rows only. */
export type FactPlanKind = 'rollup' | 'hybrid' | 'raw';

/**
 * A grouping no rollup holds: an expression over a responses alias (its parameters already bound),
 * answered from the raw rows only (e.g. the answer to one follow-up question).
 */
export interface RawGroup {
  raw: (alias: string) => string;
}

export interface FactsRequest {
  filter: FilterPlan;
  params: SqlParams;
  ranges: readonly FactRange[];
  /**
   * Groupings: one, output as `g`, or several, output as `g`, `g2`, `g3`... (e.g. a breakdown value
   * and the survey, for the survey mix). Each is a rollup dimension or a raw-only expression (a
   * RawGroup, which sends the whole question to the raw rows).
   */
  groupBy?: Dim | RawGroup | readonly (Dim | RawGroup)[];
  /** Answer from the raw rows whatever the rollups hold (the equality test's reference). */
  rawOnly?: boolean;
}

export interface FactsSql {
  /** A statement yielding k, g, g2... (when grouped), promoters, passives, detractors (bigint sums). */
  sql: string;
  kind: FactPlanKind;
}

/** Up to this many raw fragments are written as one branch each; more share one unnest join. */
const MAX_INLINE_RAW_PIECES = 24;

/** One piece of a tagged range, bounds as timestamptz literals ('-infinity'/'infinity' when open). */
export interface RangePiece {
  k: number;
  lo: string;
  hi: string;
}

const ms = (d: Date | null, open: number) => (d ? d.getTime() : open);
const ts = (t: number) => (t === -Infinity ? '-infinity' : t === Infinity ? 'infinity' : new Date(t).toISOString());

/** The tagged ranges split into whole days, whole hours and raw fragments (time-segments.ts), by source. */
export function rangePieces(ranges: readonly FactRange[], useDay: boolean, useHour: boolean): Record<Source, RangePiece[]> {
  const pieces: Record<Source, RangePiece[]> = { day: [], hour: [], raw: [] };
  for (const r of ranges) {
    for (const s of splitRange(ms(r.lo, -Infinity), ms(r.hi, Infinity), useDay, useHour)) pieces[s.source].push({ k: r.k, lo: ts(s.lo), hi: ts(s.hi) });
  }
  return pieces;
}

/** A FROM item `s(k, lo, hi)` of the pieces, bound as three array parameters. */
export const piecesSql = (params: SqlParams, list: readonly RangePiece[]) =>
  `unnest(${params.p(list.map((s) => s.k))}::int[], ${params.p(list.map((s) => s.lo))}::timestamptz[], ${params.p(list.map((s) => s.hi))}::timestamptz[]) AS s(k, lo, hi)`;

/**
 * Plans and writes the counts of a compiled filter over some time ranges: each range is split into
 * whole days, whole hours and edge fragments (time-segments.ts), each piece read from the smallest
 * rollup holding every dimension the filter and grouping need, or from the raw rows when none does.
 * The pieces are disjoint and cover each range exactly, so the sums equal a count of the rows.
 */
export function factsSql(req: FactsRequest): FactsSql {
  const { filter, params } = req;
  const need = new Set<Dim>(filter.dims);
  const groups: readonly (Dim | RawGroup)[] = req.groupBy === undefined ? [] : Array.isArray(req.groupBy) ? req.groupBy : [req.groupBy as Dim | RawGroup];
  const rawOnly = req.rawOnly || filter.rawOnly.length > 0 || groups.some((d) => typeof d === 'object');
  for (const d of groups) if (typeof d === 'string') need.add(d);
  // What the raw rows group by: the column, a joined table's (a response's themes), or the expression.
  const rawGroups = groups.map((d) =>
    typeof d === 'object' ? { join: '', column: d.raw('r') } : RAW_DIMS[d] ? { join: RAW_DIMS[d]!.join('r'), column: RAW_DIMS[d]!.column } : { join: '', column: `r.${d}` },
  );
  const rawJoin = rawGroups.map((x) => x.join).filter(Boolean).join(' ');
  const day = rawOnly ? undefined : rollupFor('day', need);
  const hour = rawOnly ? undefined : rollupFor('hour', need);
  const pieces = rangePieces(req.ranges, !!day, !!hour);
  const aliases = groups.map((_, i) => (i === 0 ? 'g' : `g${i + 1}`));
  /** ', g, g2' (or ''): the grouping outputs. */
  const g = aliases.map((a) => `, ${a}`).join('');
  /** ', t.channel AS g, t.survey_id AS g2' over a rollup alias (only dimensions reach a rollup). */
  const cols = (alias: string) => groups.map((d, i) => `, ${alias}.${d as Dim} AS ${aliases[i]}`).join('');
  /** The same over the raw rows `r`: columns, joined tables' columns or expressions. */
  const rawCols = rawGroups.map((x, i) => `, ${x.column} AS ${aliases[i]}`).join('');
  const group = groups.length > 0;
  const branches: string[] = [];
  const segments = (list: readonly RangePiece[]) => piecesSql(params, list);
  const rollupBranch = (def: RollupDef, list: readonly RangePiece[]) => {
    const sum = (c: NpsCategory, col: string) => (!filter.categories || filter.categories.has(c) ? `sum(t.${col})` : '0');
    return `SELECT s.k${cols('t')}, ${sum(NpsCategory.PROMOTER, 'promoters')} AS promoters,
        ${sum(NpsCategory.PASSIVE, 'passives')} AS passives, ${sum(NpsCategory.DETRACTOR, 'detractors')} AS detractors
      FROM ${segments(list)} JOIN ${def.table} t ON t.bucket_start >= s.lo AND t.bucket_start < s.hi
      WHERE ${filter.where('t')}
      GROUP BY s.k${g}`;
  };
  if (day && pieces.day.length) branches.push(rollupBranch(day, pieces.day));
  if (hour && pieces.hour.length) branches.push(rollupBranch(hour, pieces.hour));
  if (pieces.raw.length) {
    const counts = countsSelect('r');
    const where = `${filter.where('r')} AND ${filter.categoriesWhere('r')}`;
    if (pieces.raw.length <= MAX_INLINE_RAW_PIECES) {
      // Few fragments: bounds written out, so the planner sees how few rows they hold (behind an
      // unnest join it guessed a tenth of the table and started parallel workers for 20 rows).
      for (const piece of pieces.raw) {
        branches.push(`SELECT ${piece.k}::int AS k${rawCols}, ${counts}
      FROM responses r ${rawJoin} WHERE r.responded_at >= ${params.p(piece.lo)}::timestamptz AND r.responded_at < ${params.p(piece.hi)}::timestamptz AND ${where}
      ${group ? `GROUP BY ${aliases.join(', ')}` : ''}`);
      }
    } else {
      branches.push(`SELECT s.k${rawCols}, ${counts}
      FROM ${segments(pieces.raw)} JOIN responses r ON r.responded_at >= s.lo AND r.responded_at < s.hi ${rawJoin}
      WHERE ${where}
      GROUP BY s.k${g}`);
    }
  }
  const rolled = pieces.day.length + pieces.hour.length > 0;
  const kind: FactPlanKind = !pieces.raw.length ? 'rollup' : rolled ? 'hybrid' : 'raw';
  recordPlan(kind);
  if (!branches.length) {
    // An empty range: no rows, but the filter's parameters are still referenced (PostgreSQL refuses unused ones).
    return {
      sql: `SELECT NULL::int AS k${rawCols}, 0::bigint AS promoters, 0::bigint AS passives, 0::bigint AS detractors
        FROM responses r ${rawJoin} WHERE FALSE AND ${filter.where('r')}`,
      kind,
    };
  }
  return {
    sql: `SELECT k${g}, sum(promoters) AS promoters, sum(passives) AS passives, sum(detractors) AS detractors
      FROM (${branches.join('\nUNION ALL\n')}) f GROUP BY k${g}`,
    kind,
  };
}
