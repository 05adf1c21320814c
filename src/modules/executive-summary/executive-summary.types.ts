import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { ComparisonRange } from '../reporting/comparison-range';
import type { ResponseFilter } from '../reporting/filter/response-filter.input';
import { CompareTo } from '../reporting/reporting.types';

/** The checked arguments every section reads (not exposed). */
export interface SummaryPeriod {
  /** from..to and the earlier period compareTo names, as npsComparison checks them. */
  range: ComparisonRange;
  /** The asOf argument, checked (not in the future); undefined: live. */
  asOf: Date | undefined;
  /** The filter every response section counts with: { from, to }. */
  filter: ResponseFilter;
  /** Identifies the arguments, for the request's memo of shared counts. */
  key: string;
}

@ObjectType({
  description:
    "An executive summary of one period against an earlier one, in one request: the company's score and its change, the volume of responses, the departments ranked, the significant movers, the KPI targets, the closed loop, the top drivers from verbatims and the benchmark gaps. " +
    'Each section is counted only when asked for, with a bounded number of SQL statements whatever the size of the organisation (README, "Executive summary"). ' +
    "The company is every response the key may see: the whole organisation (responses without a department included) for ADMIN and EXECUTIVE keys, a MANAGER key's own department subtree (see department). " +
    'Every figure equals what the single query it is named after answers for the same period, compareTo and timeZone (npsComparison, departmentScores, movers, kpiTargets, closedLoop, drivers, NpsScore.benchmarks).',
})
export class ExecutiveSummary {
  @Field({ description: 'Start of the period summarised (the from argument), inclusive.' })
  from: Date;

  @Field({ description: 'End of the period summarised (the to argument), exclusive.' })
  to: Date;

  @Field(() => CompareTo, { description: 'Which earlier period changes are against (the compareTo argument; company.previousFrom..previousTo are its bounds).' })
  compareTo: CompareTo;

  @Field(() => String, { description: 'The time zone whose calendar compareTo follows (canonical spelling; UTC by default).' })
  timeZone: string;

  @Field({
    description:
      'The instant the figures stand at: the asOf argument, else the time of the request. Only responses given before it are counted, in both periods and in every section (company, volume, departments, movers, kpis, closedLoop, drivers and their samples, benchmarks); the periods themselves stay those of from, to and compareTo, so a past report is reproduced as it stood. KPI statuses are judged at it, and the action items (closedLoop, rate targets) are read as their history left them at it (overdue judged at it). ' +
      'Responses received late (given before asOf, stored after) and later corrections do change a past summary.',
  })
  asOf: Date;

  @Field({
    description:
      'to is after asOf: the current period was counted in part (up to asOf), its figures will still grow, and every change compares part of a period with a whole earlier one; movers flags each mover partial. Read volume.change especially with care.',
  })
  partialPeriod: boolean;

  /** The checked arguments (sections read them). */
  period: SummaryPeriod;
}

@ObjectType({ description: 'How many responses the summary rests on, against the earlier period.' })
export class ExecutiveVolume {
  @Field(() => Int, { description: 'Responses given in from..to (before asOf): company.current.responses.' })
  responses: number;

  @Field(() => Int, { description: 'Responses in the earlier period (company.previous.responses); 0 when there is no like-for-like period (company.comparable false).' })
  previousResponses: number;

  @Field(() => Int, { description: 'responses - previousResponses.' })
  change: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'change as a percentage of previousResponses (+25 = a quarter more responses); null when the earlier period had none. With partialPeriod the current period is incomplete, so a fall here may only mean it has not ended.',
  })
  changePercent: number | null;

  @Field({ description: 'Fewer responses than the low-sample threshold (30 by default) in either period: the score and its change rest on little; read the interval (company.current.marginOfError).' })
  lowSample: boolean;
}
