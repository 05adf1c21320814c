import type { SqlParams } from '../../../common/sql-params';
import type { Dim } from '../facts/rollup-defs';
import { CATEGORY_SQL, NpsCategory } from '../nps-category';

/** The later of two optional time bounds (undefined: unbounded). */
export const laterBound = (a: Date | undefined, b: Date | undefined) => (!a ? b : !b ? a : a > b ? a : b);
/** The earlier of two optional time bounds (undefined: unbounded). */
export const earlierBound = (a: Date | undefined, b: Date | undefined) => (!a ? b : !b ? a : a < b ? a : b);

/**
 * A compiled filter: what the filter compiler decided a ResponseFilter means (its own fields, the
 * segment it names, the caller's scope), in a form the fact planner can route. Parameters are
 * already bound in the SqlParams the filter was compiled with.
 */
export class FilterPlan {
  constructor(
    /** Conditions other than time and categories, each over an alias. */
    private readonly conditions: readonly ((alias: string) => string)[],
    /** The rollup dimensions those conditions read. */
    readonly dims: ReadonlySet<Dim>,
    /** Fields only the raw rows can answer (empty: any rollup holding `dims` can). */
    readonly rawOnly: readonly string[],
    /** The latest `from` and earliest `to` of the filter and its segment (undefined: unbounded). */
    readonly from: Date | undefined,
    readonly to: Date | undefined,
    /** The categories counted (undefined: all three). */
    readonly categories: ReadonlySet<NpsCategory> | undefined,
    /** Where the conditions' parameters are bound; the time bounds are bound there when first used. */
    private readonly params: SqlParams,
  ) {}

  private bound?: { from?: string; to?: string };

  /** The conditions except time and categories: valid over `responses` and over a rollup holding `dims`. */
  where(alias: string): string {
    return this.conditions.length ? this.conditions.map((c) => c(alias)).join(' AND ') : 'TRUE';
  }

  /** Only the categories condition (over a responses alias), or TRUE. */
  categoriesWhere(alias: string): string {
    if (!this.categories) return 'TRUE';
    if (!this.categories.size) return 'FALSE';
    return `(${[...this.categories].map((c) => CATEGORY_SQL[c](alias)).join(' OR ')})`;
  }

  /** Every condition, time bounds included, over a responses alias: the plain raw-rows filter. */
  rawWhere(alias: string): string {
    const parts = [this.where(alias), this.categoriesWhere(alias)];
    // Bound on first use only: a parameter no statement refers to is an error in PostgreSQL.
    this.bound ??= { from: this.from && this.params.p(this.from), to: this.to && this.params.p(this.to) };
    if (this.bound.from) parts.push(`${alias}.responded_at >= ${this.bound.from}::timestamptz`);
    if (this.bound.to) parts.push(`${alias}.responded_at < ${this.bound.to}::timestamptz`);
    return parts.filter((p) => p !== 'TRUE').join(' AND ') || 'TRUE';
  }
}
