import { sumCounts } from './counts';
import { benjaminiHochberg, DEFAULT_FDR_Q } from './fdr';
import { MoverFigures, MoverGroupInput, movers, MoversFigures, MoverTotalInput } from './movers';
import type { NpsCounts } from './types';

/**
 * One family of groups screened together: the departments, the values of one breakdown dimension,
 * the saved segments. `partition`: the groups split the total's responses exactly (each response in
 * one group), so their contributions add up to the total's change; checked.
 */
export interface MoverFamilyInput {
  id: string;
  groups: readonly MoverGroupInput[];
  partition: boolean;
}

export interface ListedMover extends MoverFigures {
  /** The family's id. */
  family: string;
}

export interface MoverListFigures {
  total: MoversFigures['total'];
  /** The false discovery rate the list is controlled at. */
  q: number;
  /** m: the groups of every family with a p-value (responses on both sides), tested as one family. */
  tests: number;
  discoveries: number;
  /**
   * Every group of every family, largest |contribution| first (ties: family order, then input
   * order; groups without a contribution last). adjustedPValue and discovery are Benjamini-Hochberg
   * over ALL the groups listed here, not per family.
   */
  groups: ListedMover[];
}

const same = (a: NpsCounts, b: NpsCounts) => a.promoters === b.promoters && a.passives === b.passives && a.detractors === b.detractors;

/**
 * The movers screen across several families of groups against one total: each family through
 * `movers` (contributions, shares, own change, low sample, survey mix, all measured against the
 * given total), then ONE Benjamini-Hochberg step-up over every group's change p-value at q (0.05),
 * since the list is read as one screen: testing 40 departments, segments and channel values at 95%
 * each would flag about two of them by chance; BH bounds the expected share of false ones among
 * those flagged. A p-value significant on its own (below 0.05) can therefore fail to be a discovery.
 *
 * A group equal to the total in both periods (every response without a region falls in "no region")
 * says nothing the total does not: it is left out before the tests, with the rest of its family.
 *
 * Throws RangeError when a family marked `partition` does not add up to the total in either
 * period (its contributions could not add up to the total's change), and as `movers` does.
 */
export function moverList(
  input: { total: MoverTotalInput; families: readonly MoverFamilyInput[] },
  options?: { lowSampleThreshold?: number; confidence?: number; q?: number; mixShiftThreshold?: number },
): MoverListFigures {
  const q = options?.q ?? DEFAULT_FDR_Q;
  const ids = new Set<string>();
  for (const family of input.families) {
    if (ids.has(family.id)) throw new RangeError(`family ${JSON.stringify(family.id)} appears twice`);
    ids.add(family.id);
    if (!family.partition) continue;
    const previous = sumCounts(family.groups.map((g) => g.previous));
    const current = sumCounts(family.groups.map((g) => g.current));
    if (!same(previous, input.total.previous) || !same(current, input.total.current)) {
      throw new RangeError(`family ${JSON.stringify(family.id)} is marked as a partition but its groups do not add up to the total`);
    }
  }
  const moverOptions = { ...options, q, total: input.total };
  const whole = (g: MoverGroupInput) => same(g.previous, input.total.previous) && same(g.current, input.total.current);
  const families = input.families.map((f) => ({ ...f, groups: f.groups.filter((g) => !whole(g)) }));
  const figures = families.map((family) => ({ family, figures: movers(family.groups, moverOptions) }));
  const total = movers([], moverOptions).total;

  const listed: { familyIndex: number; index: number; mover: ListedMover }[] = [];
  figures.forEach(({ family, figures: f }, familyIndex) => {
    // movers() returns its groups ranked; restore input order for stable ties.
    const byId = new Map(f.groups.map((g) => [g.id, g]));
    family.groups.forEach((g, index) => listed.push({ familyIndex, index, mover: { ...byId.get(g.id)!, family: family.id } }));
  });

  const fdr = benjaminiHochberg(
    listed.map((l, i) => ({ id: i, pValue: l.mover.change.pValue })),
    { q },
  );
  for (const r of fdr.results) {
    listed[r.id].mover.adjustedPValue = r.adjustedPValue;
    listed[r.id].mover.discovery = r.discovery;
  }

  const ranked = [...listed].sort((a, b) => {
    const ca = a.mover.contribution;
    const cb = b.mover.contribution;
    const byNull = (ca === null ? 1 : 0) - (cb === null ? 1 : 0);
    if (byNull) return byNull;
    const bySize = ca === null || cb === null ? 0 : Math.abs(cb) - Math.abs(ca);
    return bySize || a.familyIndex - b.familyIndex || a.index - b.index;
  });
  ranked.forEach((r, i) => {
    r.mover.rank = r.mover.contribution === null ? null : i + 1;
  });

  return { total, q, tests: fdr.tests, discoveries: fdr.discoveries, groups: ranked.map((r) => r.mover) };
}
