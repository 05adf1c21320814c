import { normalizeFilter, toStoredFilter } from '../src/modules/reporting/filter/normalize-filter';
import type { PersonSeed } from './org';

export interface SegmentSeed {
  name: string;
  description: string;
  /** Stored the way the segments service stores it (normalized filter, ISO dates). */
  filter: Record<string, unknown>;
  /** For agent segments: the person whose responses it covers. */
  agentKey?: string;
}

export const AGENT_SEGMENT_PREFIX = 'Agent: ';

/** A few headline segments, plus one per support agent (the scope of their KPI targets). */
export function buildSegments(people: readonly PersonSeed[], surveyId: (code: string) => string, personId: (key: string) => string): SegmentSeed[] {
  const stored = (f: Record<string, unknown>) => toStoredFilter(normalizeFilter(f, 'segment filter'));
  const out: SegmentSeed[] = [
    { name: 'Enterprise EMEA', description: 'Enterprise-plan customers in EMEA.', filter: stored({ plans: ['Enterprise'], regions: ['EMEA'] }) },
    { name: 'New customers (< 90 days)', description: 'Answers given in the first 90 days of the relationship.', filter: stored({ tenureMaxDays: 90 }) },
    {
      name: 'Support detractors via phone',
      description: 'Detractors of the after-call survey who answered by phone: the call-back queue.',
      filter: stored({ surveyIds: [surveyId('TX-SUPPORT-CALL')], channels: ['phone'], categories: ['DETRACTOR'] }),
    },
    { name: 'High-value accounts', description: 'Customers spending at least 100,000 a year.', filter: stored({ spendMin: 100_000 }) },
    { name: 'Starter plan, relationship', description: 'Starter-plan customers answering the relationship survey.', filter: stored({ plans: ['Starter'], surveyKind: 'RELATIONSHIP' }) },
  ];
  for (const p of people) {
    if (p.level !== 'AGENT' || !p.departmentCode.startsWith('CX-SUP-')) continue;
    out.push({ name: `${AGENT_SEGMENT_PREFIX}${p.name}`, description: `Responses handled by ${p.name} (${p.title}).`, filter: stored({ agentIds: [personId(p.key)] }), agentKey: p.key });
  }
  return out;
}
