import { SurveyKind } from '../surveys/survey.entity';

/**
 * The rules that decide which benchmarks and standards apply to a score. Pure: the comparer
 * (benchmark-comparisons.ts) reads the rows and the scope, these functions choose.
 *
 * - Industry benchmarks apply when every response the score can count comes from one kind of
 *   survey: the filter (or its segment) pins `surveyKind`, or names surveys all of one kind.
 *   Relationship and transactional NPS are not comparable, so a scope that may mix kinds gets no
 *   industry benchmark (pin a kind to see them). Only benchmarks of the company's industry apply
 *   (COMPANY_INDUSTRY; unset: every industry).
 * - A department score gets one department standard: the department's own, or else its nearest
 *   ancestor's (a company-wide standard covers every team that has none of its own).
 * - A score of a segment gets the segment's standard.
 * - A standard is for one kind of survey or for any kind (null). For a scope of one kind, a standard
 *   for that kind is preferred over one for any kind at the same department; for a scope that may
 *   mix kinds only standards for any kind apply. The nearest department with an applicable
 *   standard wins over a more specific one further up.
 */

/**
 * The one kind of survey a scope's responses can come from, or null when they may come from
 * several (or none). Each constraint lists the kinds one part of the filter allows (a pinned kind,
 * the kinds of the surveys it names); the scope allows their intersection.
 */
export function onlyKind(constraints: readonly (readonly SurveyKind[])[]): SurveyKind | null {
  let kinds = new Set<SurveyKind>(Object.values(SurveyKind));
  for (const allowed of constraints) kinds = new Set(allowed.filter((k) => kinds.has(k)));
  return kinds.size === 1 ? [...kinds][0] : null;
}

export interface StandardCandidate<T> {
  standard: T;
  /** 0: set on the department (or segment) itself; 1: on its parent; and so on up the tree. */
  depth: number;
}

/** The standard that applies to a scope of `kind` (null: may mix kinds) among the candidates, or null. */
export function pickStandard<T extends { surveyKind: SurveyKind | null }>(
  candidates: readonly StandardCandidate<T>[],
  kind: SurveyKind | null,
): StandardCandidate<T> | null {
  let best: StandardCandidate<T> | null = null;
  for (const c of candidates) {
    const k = c.standard.surveyKind;
    if (k !== null && k !== kind) continue;
    if (!best || c.depth < best.depth || (c.depth === best.depth && k !== null && best.standard.surveyKind === null)) best = c;
  }
  return best;
}
