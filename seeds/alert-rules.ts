/** A demo significant-shift alert rule (src/modules/alerts). */
export interface AlertRuleSeed {
  name: string;
  metric: 'NPS' | 'DETRACTOR_SHARE' | 'FOLLOW_UP_RATE';
  departmentCode: string | null;
  segmentName: string | null;
  window: 'WEEK' | 'MONTH';
  timeZone: string;
  compareTo: 'PREVIOUS_WINDOW' | 'SAME_WINDOW_LAST_YEAR';
  minSample: number;
}

const rule = (r: Partial<AlertRuleSeed> & Pick<AlertRuleSeed, 'name' | 'metric'>): AlertRuleSeed => ({
  departmentCode: null,
  segmentName: null,
  window: 'WEEK',
  timeZone: 'Europe/Paris',
  compareTo: 'PREVIOUS_WINDOW',
  minSample: 30,
  ...r,
});

/**
 * The demo's alert rules: weekly NPS watches on the company and its support regions, the company's
 * detractor share and support's follow-up rate weekly, monthly NPS per division, billing's
 * detractor share against the same month last year, the ordering app in New York months, and a segment. Twelve rules in three families (Paris weeks, Paris months,
 * New York months), evaluated by the worker once each window completes (npm run alerts -- evaluate
 * runs the same evaluation by hand).
 */
export const ALERT_RULES: readonly AlertRuleSeed[] = [
  rule({ name: 'Company NPS, weekly', metric: 'NPS', departmentCode: 'CO', minSample: 100 }),
  rule({ name: 'Company detractor share, weekly', metric: 'DETRACTOR_SHARE', departmentCode: 'CO', minSample: 100 }),
  rule({ name: 'Support EMEA NPS, weekly', metric: 'NPS', departmentCode: 'CX-SUP-EMEA' }),
  rule({ name: 'Support Americas NPS, weekly', metric: 'NPS', departmentCode: 'CX-SUP-AMER' }),
  rule({ name: 'Support APAC NPS, weekly', metric: 'NPS', departmentCode: 'CX-SUP-APAC', minSample: 20 }),
  rule({ name: 'Support follow-up rate, weekly', metric: 'FOLLOW_UP_RATE', departmentCode: 'CX-SUP', minSample: 20 }),
  rule({ name: 'Customer Experience NPS, monthly', metric: 'NPS', departmentCode: 'CX', window: 'MONTH' }),
  rule({ name: 'Operations NPS, monthly', metric: 'NPS', departmentCode: 'OPS', window: 'MONTH' }),
  rule({ name: 'Product NPS, monthly', metric: 'NPS', departmentCode: 'PRD', window: 'MONTH' }),
  rule({ name: 'Billing detractor share, monthly vs last year', metric: 'DETRACTOR_SHARE', departmentCode: 'OPS-BILL', window: 'MONTH', compareTo: 'SAME_WINDOW_LAST_YEAR' }),
  rule({ name: 'Ordering App NPS, monthly (New York)', metric: 'NPS', departmentCode: 'PRD-APP', window: 'MONTH', timeZone: 'America/New_York' }),
  rule({ name: 'Enterprise EMEA NPS, monthly', metric: 'NPS', segmentName: 'Enterprise EMEA', window: 'MONTH', minSample: 20 }),
];
