import type { Dim } from './facts/rollup-defs';
import { BreakdownDimension } from './reporting.types';

/**
 * How each breakdown dimension groups: the column the fact planner groups counts by (`g` in its
 * output), then the join and the value (text) over those grouped facts `f`. REGION and PLAN read the
 * customer's attributes as they were when the response was stored (copied onto it).
 */
export const BREAKDOWN_SQL: Record<BreakdownDimension, { groupBy: Dim; join: string; value: string }> = {
  CHANNEL: { groupBy: 'channel', join: '', value: 'f.g' },
  TOUCHPOINT: { groupBy: 'touchpoint', join: '', value: 'f.g' },
  REGION: { groupBy: 'region', join: '', value: 'f.g' },
  PLAN: { groupBy: 'plan', join: '', value: 'f.g' },
  SURVEY: { groupBy: 'survey_id', join: '', value: 'f.g::text' },
  SURVEY_KIND: { groupBy: 'survey_id', join: 'JOIN surveys bs ON bs.id = f.g', value: 'bs.kind' },
  AGENT: { groupBy: 'agent_id', join: '', value: 'f.g::text' },
};

/** Dimensions whose value is an id (exposed as NpsBreakdownItem.id too). */
export const ID_DIMENSIONS: ReadonlySet<BreakdownDimension> = new Set([BreakdownDimension.SURVEY, BreakdownDimension.AGENT]);

export const DEFAULT_BREAKDOWN_LIMIT = 100;
export const MAX_BREAKDOWN_LIMIT = 1000;
