/**
 * Industry benchmarks and internal standards for the demo. The benchmark figures are ILLUSTRATIVE:
 * made up to sit near the demo's own scores so that its screens show gaps both ways. They are not
 * published figures; a real deployment replaces them with its panel's or a study's.
 */

export interface BenchmarkSeed {
  name: string;
  industry: string;
  surveyKind: 'RELATIONSHIP' | 'TRANSACTIONAL';
  value: number;
  source: string;
  year: number;
  notes: string;
}

export interface StandardSeed {
  name: string;
  description: string;
  value: number;
  surveyKind: 'RELATIONSHIP' | 'TRANSACTIONAL' | null;
  departmentCode: string | null;
  segmentName: string | null;
}

/** The demo company's industry (Brightline: B2B workplace supplies by subscription). */
export const DEMO_INDUSTRY = 'B2B services';

const SOURCE = "Illustrative — replace with your panel's figures";
const NOTES = 'Demo data: an invented figure, not a published benchmark.';

/** The benchmarks of the anchor's year and the year before (for an anchor in 2026: 2025 and 2026). */
export function benchmarksFor(anchor: Date): BenchmarkSeed[] {
  const year = anchor.getUTCFullYear();
  return [
    { name: 'B2B services, relationship NPS', industry: DEMO_INDUSTRY, surveyKind: 'RELATIONSHIP', value: 35, source: SOURCE, year: year - 1, notes: NOTES },
    { name: 'B2B services, relationship NPS', industry: DEMO_INDUSTRY, surveyKind: 'RELATIONSHIP', value: 41, source: SOURCE, year, notes: NOTES },
    { name: 'B2B services, transactional NPS (all touchpoints)', industry: DEMO_INDUSTRY, surveyKind: 'TRANSACTIONAL', value: 30, source: SOURCE, year, notes: NOTES },
  ];
}

/**
 * A company-wide floor every team inherits, a stricter standard for support calls (its regional
 * teams inherit it), a lower one for delivery (the courier change), and one for a key segment.
 */
export const STANDARDS: readonly StandardSeed[] = [
  { name: 'Company NPS standard', description: 'The floor every team is held to, whatever the survey.', value: 25, surveyKind: null, departmentCode: 'CO', segmentName: null },
  {
    name: 'Support standard (after a call)',
    description: 'Agreed with the VP Customer Experience for the after-call survey; applies to every regional support team.',
    value: 40,
    surveyKind: 'TRANSACTIONAL',
    departmentCode: 'CX-SUP',
    segmentName: null,
  },
  { name: 'Delivery standard', description: 'Lowered while the new courier settles in.', value: 10, surveyKind: null, departmentCode: 'OPS-DEL', segmentName: null },
  { name: 'Enterprise EMEA standard', description: 'Our largest accounts: held above the company floor.', value: 40, surveyKind: null, departmentCode: null, segmentName: 'Enterprise EMEA' },
];
