import { BreakdownDimension } from './reporting.types';

/** How each breakdown dimension reads its value: the joins it needs and the grouped expression (text). */
export const BREAKDOWN_SQL: Record<BreakdownDimension, { join: string; value: string }> = {
  CHANNEL: { join: '', value: 'r.channel' },
  TOUCHPOINT: { join: '', value: 'r.touchpoint' },
  REGION: { join: 'LEFT JOIN customers bc ON bc.id = r.customer_id', value: 'bc.region' },
  PLAN: { join: 'LEFT JOIN customers bc ON bc.id = r.customer_id', value: 'bc.plan' },
  SURVEY: { join: '', value: 'r.survey_id::text' },
  SURVEY_KIND: { join: 'JOIN surveys bs ON bs.id = r.survey_id', value: 'bs.kind' },
  AGENT: { join: '', value: 'r.agent_id::text' },
};

/** Dimensions whose value is an id (exposed as NpsBreakdownItem.id too). */
export const ID_DIMENSIONS: ReadonlySet<BreakdownDimension> = new Set([BreakdownDimension.SURVEY, BreakdownDimension.AGENT]);

export const DEFAULT_BREAKDOWN_LIMIT = 100;
export const MAX_BREAKDOWN_LIMIT = 1000;
