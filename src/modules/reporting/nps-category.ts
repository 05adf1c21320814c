import { registerEnumType } from 'type-graphql';

export enum NpsCategory {
  DETRACTOR = 'DETRACTOR',
  PASSIVE = 'PASSIVE',
  PROMOTER = 'PROMOTER',
}
registerEnumType(NpsCategory, { name: 'NpsCategory', description: '0-6 detractor, 7-8 passive, 9-10 promoter.' });

export enum NpsBand {
  NEEDS_IMPROVEMENT = 'NEEDS_IMPROVEMENT',
  GOOD = 'GOOD',
  GREAT = 'GREAT',
  EXCELLENT = 'EXCELLENT',
}
registerEnumType(NpsBand, {
  name: 'NpsBand',
  description: 'NEEDS_IMPROVEMENT: NPS below 0. GOOD: 0 to 30. GREAT: above 30 up to 70. EXCELLENT: above 70.',
});

/** SQL predicates per category, over a responses alias. */
export const CATEGORY_SQL: Record<NpsCategory, (alias: string) => string> = {
  DETRACTOR: (a) => `${a}.score <= 6`,
  PASSIVE: (a) => `${a}.score BETWEEN 7 AND 8`,
  PROMOTER: (a) => `${a}.score >= 9`,
};

/** The select list that turns a set of responses into NpsCounts (promoters, passives, detractors). */
export const countsSelect = (a = 'r') =>
  `count(*) FILTER (WHERE ${CATEGORY_SQL.PROMOTER(a)})::int AS promoters, ` +
  `count(*) FILTER (WHERE ${CATEGORY_SQL.PASSIVE(a)})::int AS passives, ` +
  `count(*) FILTER (WHERE ${CATEGORY_SQL.DETRACTOR(a)})::int AS detractors`;
