import { assertValidCounts, sumCounts, totalOf } from './counts';
import { benjaminiHochberg, DEFAULT_FDR_Q } from './fdr';
import { DEFAULT_LOW_SAMPLE_THRESHOLD, NpsFigures, scoreFromCounts } from './score';
import { DEFAULT_MIX_SHIFT_THRESHOLD, KindCounts, surveyMix, SurveyMixFigures } from './survey-mix';
import type { NpsCounts } from './types';
import { compareWithVerdict, ScoreChangeVerdict } from './verdict';

/** One group (department, segment, channel value...) in both periods; optionally split by survey kind. */
export interface MoverGroupInput {
  id: string;
  previous: NpsCounts;
  current: NpsCounts;
  /** When given, its counts must add up to previous and current. */
  byKind?: readonly KindCounts[];
}

export interface MoverFigures {
  id: string;
  previous: NpsFigures;
  current: NpsFigures;
  /** The group's own change: compareScores with its verdict. */
  change: ScoreChangeVerdict;
  /** The group's share of all the groups' responses, in percent; null when that period has none. */
  previousResponseShare: number | null;
  currentResponseShare: number | null;
  /** Points of the total's NPS change this group accounts for (see movers); null when a total has no responses. */
  contribution: number | null;
  /** 1 = the largest |contribution|; ties keep input order; null with contribution. */
  rank: number | null;
  /** Either period below the low-sample threshold (as NpsFigures.lowSample; n = 0 included). */
  lowSample: boolean;
  /** Benjamini-Hochberg over the groups' change p-values (see benjaminiHochberg). */
  adjustedPValue: number | null;
  discovery: boolean;
  /** Survey-mix figures, when the group came split by kind. */
  mix: SurveyMixFigures | null;
}

/** The total the groups' contributions are measured against, when it is not simply their sum. */
export interface MoverTotalInput {
  previous: NpsCounts;
  current: NpsCounts;
  /** When given, its counts must add up to previous and current. */
  byKind?: readonly KindCounts[];
}

export interface MoversFigures {
  /** By rank (largest |contribution| first), then the groups without a contribution in input order. */
  groups: MoverFigures[];
  total: {
    previous: NpsFigures;
    current: NpsFigures;
    change: ScoreChangeVerdict;
    /** Mix figures of the total: options.total.byKind when a total is given, else the kinds summed over the groups when every group came split by kind; else null. */
    mix: SurveyMixFigures | null;
  };
}

function assertKindsAddUp(group: { id: string; previous: NpsCounts; current: NpsCounts; byKind?: readonly KindCounts[] }): void {
  if (!group.byKind) return;
  const same = (a: NpsCounts, b: NpsCounts) => a.promoters === b.promoters && a.passives === b.passives && a.detractors === b.detractors;
  if (!same(sumCounts(group.byKind.map((k) => k.previous)), group.previous) || !same(sumCounts(group.byKind.map((k) => k.current)), group.current)) {
    throw new RangeError(`group ${JSON.stringify(group.id)}: its counts by survey kind do not add up to its counts`);
  }
}

function assertInside(group: MoverGroupInput, total: MoverTotalInput): void {
  const fits = (a: NpsCounts, b: NpsCounts) => a.promoters <= b.promoters && a.passives <= b.passives && a.detractors <= b.detractors;
  if (!fits(group.previous, total.previous) || !fits(group.current, total.current)) {
    throw new RangeError(`group ${JSON.stringify(group.id)}: it has more responses of a category than the total it is measured against`);
  }
}

/**
 * Which groups moved the total NPS between two periods, and how far each can be trusted.
 *
 * The total is the groups' summed counts. Each group's contribution to the total's change is
 *   contribution_i = w_i,cur x NPS_i,cur - w_i,prev x NPS_i,prev,   w_i = n_i / N (its share of responses)
 * computed as 100 (P_i - D_i) / N_cur - 100 (P'_i - D'_i) / N_prev (a group without responses in a
 * period adds 0 to it). Since NPS_total = sum_i w_i x NPS_i (the total's promoters and detractors are
 * the groups' sums), the contributions add up exactly to NPS_total,cur - NPS_total,prev — PROVIDED
 * the groups partition the responses (no response in two groups, none outside all groups), which is
 * the caller's job: sibling departments without their common ancestor, one value per response of a
 * dimension. A group can contribute with an unchanged NPS: if its share grows and its NPS is above
 * zero, it pulls the total up (the contribution mixes "score moved" and "share moved").
 * Groups are ranked by |contribution|.
 *
 * Beside it, per group: its own change (compareScores with verdict), lowSample when either period
 * has fewer responses than the threshold (DEFAULT_LOW_SAMPLE_THRESHOLD = 30, as scoreFromCounts),
 * Benjamini-Hochberg adjusted p-values over the groups' changes at q (0.05), and, when split by survey
 * kind, surveyMix (shares moved by more than mixShiftThreshold = 10 points; mix-adjusted change).
 * Contributions are null when either period's total has no responses.
 *
 * `options.total`: the total to measure against when the groups do not partition it (saved segments
 * overlap and leave responses out): shares and contributions are then n_i / N and
 * 100 (P_i - D_i) / N of THAT total, the total's figures and mix are its own, and the contributions
 * need not add up to its change. Each group must then fit inside it (no category count above the
 * total's). Without it the total is the groups' sum, as above.
 *
 * Throws RangeError on invalid counts, repeated ids, kind counts that do not add up, or a group
 * larger than the given total.
 */
export function movers(
  groups: readonly MoverGroupInput[],
  options?: { lowSampleThreshold?: number; confidence?: number; q?: number; mixShiftThreshold?: number; total?: MoverTotalInput },
): MoversFigures {
  const ids = new Set<string>();
  for (const g of groups) {
    if (ids.has(g.id)) throw new RangeError(`group id ${JSON.stringify(g.id)} appears twice`);
    ids.add(g.id);
    assertValidCounts(g.previous);
    assertValidCounts(g.current);
    assertKindsAddUp(g);
  }
  const scoreOptions = { lowSampleThreshold: options?.lowSampleThreshold ?? DEFAULT_LOW_SAMPLE_THRESHOLD };
  const compareOptions = { confidence: options?.confidence };
  const mixOptions = { shiftThreshold: options?.mixShiftThreshold ?? DEFAULT_MIX_SHIFT_THRESHOLD };
  const given = options?.total;
  if (given) {
    assertValidCounts(given.previous);
    assertValidCounts(given.current);
    assertKindsAddUp({ id: '(total)', ...given });
    for (const g of groups) assertInside(g, given);
  }
  const previousTotal = given ? given.previous : sumCounts(groups.map((g) => g.previous));
  const currentTotal = given ? given.current : sumCounts(groups.map((g) => g.current));
  const nPrevious = totalOf(previousTotal);
  const nCurrent = totalOf(currentTotal);
  const comparable = nPrevious > 0 && nCurrent > 0;

  const rows = groups.map((g, index) => {
    const previous = scoreFromCounts(g.previous, scoreOptions);
    const current = scoreFromCounts(g.current, scoreOptions);
    const contribution = comparable
      ? (100 * (g.current.promoters - g.current.detractors)) / nCurrent - (100 * (g.previous.promoters - g.previous.detractors)) / nPrevious
      : null;
    return {
      index,
      figures: {
        id: g.id,
        previous,
        current,
        change: compareWithVerdict(g.previous, g.current, compareOptions),
        previousResponseShare: nPrevious === 0 ? null : (100 * previous.responses) / nPrevious,
        currentResponseShare: nCurrent === 0 ? null : (100 * current.responses) / nCurrent,
        contribution,
        rank: null as number | null,
        lowSample: previous.lowSample || current.lowSample,
        adjustedPValue: null as number | null,
        discovery: false as boolean,
        mix: g.byKind ? surveyMix(g.byKind, mixOptions) : null,
      } satisfies MoverFigures,
    };
  });

  const fdr = benjaminiHochberg(
    rows.map((r) => ({ id: r.index, pValue: r.figures.change.pValue })),
    { q: options?.q ?? DEFAULT_FDR_Q },
  );
  for (const result of fdr.results) {
    rows[result.id].figures.adjustedPValue = result.adjustedPValue;
    rows[result.id].figures.discovery = result.discovery;
  }

  const ranked = [...rows].sort((a, b) => {
    const ca = a.figures.contribution;
    const cb = b.figures.contribution;
    if (ca === null || cb === null) return (ca === null ? 1 : 0) - (cb === null ? 1 : 0) || a.index - b.index;
    return Math.abs(cb) - Math.abs(ca) || a.index - b.index;
  });
  ranked.forEach((r, i) => {
    if (r.figures.contribution !== null) r.figures.rank = i + 1;
  });

  let totalMix: SurveyMixFigures | null = null;
  if (given) {
    totalMix = given.byKind ? surveyMix(given.byKind, mixOptions) : null;
  } else if (groups.length > 0 && groups.every((g) => g.byKind)) {
    const byKind = new Map<string, KindCounts>();
    for (const g of groups) {
      for (const k of g.byKind!) {
        const sum = byKind.get(k.kind);
        byKind.set(k.kind, sum ? { kind: k.kind, previous: sumCounts([sum.previous, k.previous]), current: sumCounts([sum.current, k.current]) } : k);
      }
    }
    totalMix = surveyMix([...byKind.values()], mixOptions);
  }

  return {
    groups: ranked.map((r) => r.figures),
    total: {
      previous: scoreFromCounts(previousTotal, scoreOptions),
      current: scoreFromCounts(currentTotal, scoreOptions),
      change: compareWithVerdict(previousTotal, currentTotal, compareOptions),
      mix: totalMix,
    },
  };
}
