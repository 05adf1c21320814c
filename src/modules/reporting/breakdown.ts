import type { RawGroup } from './facts/facts-query';
import type { Dim } from './facts/rollup-defs';
import { BreakdownDimension } from './reporting.types';

/**
 * How each breakdown dimension groups: the column the fact planner groups counts by (`g` in its
 * output), then the join and the value (text) over those grouped facts `f`. REGION and PLAN read the
 * customer's attributes as they were when the response was stored (copied onto it).
 */
export const BREAKDOWN_SQL: Record<BreakdownDimension, { groupBy: Dim | 'follow_up_answer'; join: string; value: string }> = {
  CHANNEL: { groupBy: 'channel', join: '', value: 'f.g' },
  TOUCHPOINT: { groupBy: 'touchpoint', join: '', value: 'f.g' },
  REGION: { groupBy: 'region', join: '', value: 'f.g' },
  PLAN: { groupBy: 'plan', join: '', value: 'f.g' },
  SURVEY: { groupBy: 'survey_id', join: '', value: 'f.g::text' },
  SURVEY_KIND: { groupBy: 'survey_id', join: 'JOIN surveys bs ON bs.id = f.g', value: 'bs.kind' },
  AGENT: { groupBy: 'agent_id', join: '', value: 'f.g::text' },
  // A response counts under every theme it mentions; the markers of response_themes are not themes.
  THEME: { groupBy: 'theme_id', join: 'JOIN themes bt ON bt.id = f.g AND bt.active', value: 'f.g::text' },
  FOLLOW_UP_ANSWER: { groupBy: 'follow_up_answer', join: '', value: 'f.g' },
};

/** Dimensions whose value is an id (exposed as NpsBreakdownItem.id too). */
export const ID_DIMENSIONS: ReadonlySet<BreakdownDimension> = new Set([BreakdownDimension.SURVEY, BreakdownDimension.AGENT, BreakdownDimension.THEME]);

/** Dimensions derived from the verbatims: READ_RESPONSES as well as READ_REPORTS. */
export const VERBATIM_DIMENSIONS: ReadonlySet<BreakdownDimension> = new Set([BreakdownDimension.THEME, BreakdownDimension.FOLLOW_UP_ANSWER]);

/** The follow-up question FOLLOW_UP_ANSWER groups by when none is named. */
export const DEFAULT_FOLLOW_UP_QUESTION = 'Why did you give that score?';
export const MAX_QUESTION_LENGTH = 500;

/**
 * A response's answer to one follow-up question (bound as `q`; compared trimmed and
 * case-insensitively), trimmed; null when it has none (or only a blank one). The first answer
 * counts when the question was answered twice. Raw rows only: no rollup holds answers.
 */
export function followUpAnswerGroup(q: string): RawGroup {
  return {
    raw: (a) => `(SELECT btrim(x->>'answer') FROM jsonb_array_elements(CASE WHEN jsonb_typeof(${a}.follow_up_answers) = 'array' THEN ${a}.follow_up_answers ELSE '[]'::jsonb END) WITH ORDINALITY AS e(x, n)
        WHERE lower(btrim(x->>'question')) = lower(btrim(${q}::text)) AND btrim(x->>'answer') <> '' ORDER BY n LIMIT 1)`,
  };
}

export const DEFAULT_BREAKDOWN_LIMIT = 100;
export const MAX_BREAKDOWN_LIMIT = 1000;
