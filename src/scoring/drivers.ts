import { assertValidCounts, totalOf } from './counts';
import type { NpsCounts } from './types';
import { compareWithVerdict, ScoreVerdict } from './verdict';

export interface DriverImpactFigures {
  responses: number;
  /** Responses that mention the theme (each response counted once, however often it names the theme). */
  mentions: number;
  /** Percent of all responses that mention it; null with no responses. */
  mentionShare: number | null;
  /** Percent of the promoters / passives / detractors that mention it (null when there are none of them). */
  promoterMentionShare: number | null;
  passiveMentionShare: number | null;
  detractorMentionShare: number | null;
  npsAll: number | null;
  npsMentioning: number | null;
  npsNotMentioning: number | null;
  /**
   * npsNotMentioning - npsAll: how far the NPS would move without the responses that mention the theme.
   * Positive: the theme holds the NPS down (a complaint); negative: it holds it up (praise).
   * 0 when nothing mentions it; null when everything does (the NPS without them is undefined).
   */
  impact: number | null;
  /** npsMentioning - npsNotMentioning (plain NPS). impact = -(mentionShare / 100) x difference. */
  difference: number | null;
  /** The test of mentioning against not mentioning (two independent groups), as compareScores. */
  zScore: number | null;
  pValue: number | null;
  significant: boolean;
  /** SIGNIFICANT_UP: those mentioning it score significantly higher; NOT_COMPARABLE: a group is empty. */
  verdict: ScoreVerdict;
}

const percent = (part: number, whole: number) => (whole === 0 ? null : (100 * part) / whole);
const npsOf = (c: NpsCounts) => {
  const n = totalOf(c);
  return n === 0 ? null : (100 * (c.promoters - c.detractors)) / n;
};

/**
 * A theme's impact on NPS (BRIEF: "a theme's impact is how much NPS would move without it"), from the
 * counts of responses that mention it and of all responses, by category (the database counts both).
 *
 *   impact = NPS(responses not mentioning the theme) - NPS(all responses)
 *
 * Sign: positive means the NPS would rise without the theme, so the theme drags it down; negative
 * means it would fall, so the theme lifts it. As NPS(all) = w NPS(mentioning) + (1 - w) NPS(not),
 * with w the share of responses mentioning it, impact = w x (NPS(not) - NPS(mentioning)): a theme
 * matters when it is both common (w) and distinctive (the gap). The per-category mention shares
 * (detractorMentionShare: "62.5% of detractors mention waiting times") give the separate promoter
 * and detractor readings the brief asks for.
 *
 * Significance: the two groups (mentioning, not mentioning) are disjoint sets of responses, so their
 * NPS are independent estimates and compareScores' test applies: z = (NPS'_m - NPS'_not) /
 * sqrt(SE'_m^2 + SE'_not^2) with adjusted-Wald values, two-sided p. Since impact = -w x difference
 * and w is taken as known, this tests impact = 0 too. Across many themes, control the false
 * discovery rate with benjaminiHochberg. Throws RangeError when a mentioning count exceeds the
 * matching count of all responses, or on invalid counts.
 */
export function driverImpact(input: { mentioning: NpsCounts; all: NpsCounts }, options?: { confidence?: number }): DriverImpactFigures {
  const { mentioning, all } = input;
  assertValidCounts(mentioning);
  assertValidCounts(all);
  for (const key of ['promoters', 'passives', 'detractors'] as const) {
    if (mentioning[key] > all[key]) throw new RangeError(`mentioning.${key} (${mentioning[key]}) exceeds all.${key} (${all[key]})`);
  }
  const notMentioning: NpsCounts = {
    promoters: all.promoters - mentioning.promoters,
    passives: all.passives - mentioning.passives,
    detractors: all.detractors - mentioning.detractors,
  };
  const npsAll = npsOf(all);
  const npsMentioning = npsOf(mentioning);
  const npsNotMentioning = npsOf(notMentioning);
  const test = compareWithVerdict(notMentioning, mentioning, options);
  return {
    responses: totalOf(all),
    mentions: totalOf(mentioning),
    mentionShare: percent(totalOf(mentioning), totalOf(all)),
    promoterMentionShare: percent(mentioning.promoters, all.promoters),
    passiveMentionShare: percent(mentioning.passives, all.passives),
    detractorMentionShare: percent(mentioning.detractors, all.detractors),
    npsAll,
    npsMentioning,
    npsNotMentioning,
    impact: npsNotMentioning === null || npsAll === null ? null : npsNotMentioning - npsAll,
    difference: test.delta,
    zScore: test.zScore,
    pValue: test.pValue,
    significant: test.significant,
    verdict: test.verdict,
  };
}
