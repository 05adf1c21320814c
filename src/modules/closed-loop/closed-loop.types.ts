import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    'How well the loop is closed for the responses matching a filter. Detractors are responses scored 0-6. The action items counted are ' +
    'those of the matching responses (automatic or manual, any score); items without a response are not part of these metrics. ' +
    'Rates are percentages (0-100), durations hours; figures are unrounded. Durations are measured in whole minutes (each item\'s duration rounded down to the minute) before the median is taken, so medians are multiples of 1/120 hour. ' +
    "Closed, open and the durations are the items' state now, or at the query's asOf (as their recorded history left them then).",
})
export class ClosedLoopMetrics {
  @Field(() => Int, { description: 'Detractor responses (score 0-6) matching the filter.' })
  detractors: number;

  @Field(() => Int, {
    description:
      'Detractors with at least one action item that has left OPEN (firstActionAt set: work started, blocked, done or declined). ' +
      'Edits that leave an item OPEN (reassigning it, changing its due date) do not count as a follow-up.',
  })
  followedUp: number;

  @Field(() => Float, { nullable: true, description: 'followedUp / detractors, in percent; null without detractors.' })
  followUpRate: number | null;

  @Field(() => Int, { description: 'Action items of the matching responses.' })
  actionItems: number;

  @Field(() => Float, { nullable: true, description: 'Median of firstActionAt - createdAt over the items that have left OPEN, each rounded down to a whole minute, in hours (the mean of the two middle values when their number is even); null when none has.' })
  medianHoursToFirstAction: number | null;

  @Field(() => Float, { nullable: true, description: 'Median of closedAt - createdAt over the closed items (DONE or WONT_DO), each rounded down to a whole minute, in hours (the mean of the two middle values when their number is even); null when none is closed.' })
  medianHoursToClose: number | null;

  @Field(() => Int, { description: 'Items closed (DONE or WONT_DO).' })
  closed: number;

  @Field(() => Int, { description: 'Closed items that have a due date and were closed by it (closedAt <= dueAt).' })
  closedWithinSla: number;

  @Field(() => Int, { description: 'Closed items that have a due date: the denominator of closedWithinSlaRate.' })
  closedWithDue: number;

  @Field(() => Float, {
    nullable: true,
    description: 'closedWithinSla / closed items that have a due date, in percent; null when there are none (items without a due date have no SLA).',
  })
  closedWithinSlaRate: number | null;

  @Field(() => Int, { description: 'Items not closed (OPEN, IN_PROGRESS or BLOCKED).' })
  open: number;

  @Field(() => Int, { description: 'Items not closed whose dueAt has passed: now, by the server clock, or at asOf when the query gives it.' })
  overdue: number;
}

@ObjectType({ description: "A department's closed-loop metrics over its whole subtree: the responses of the subtree (by the response's department) and their action items." })
export class DepartmentClosedLoop {
  /** Resolved through the department loader. */
  departmentId: string;

  @Field(() => ClosedLoopMetrics, { description: "Over the department's whole subtree: counts summed and medians taken over every item below it." })
  metrics: ClosedLoopMetrics;
}

@ObjectType({ description: 'Closed-loop metrics of the responses given in one time bucket.' })
export class ClosedLoopTrendPoint {
  @Field({ description: 'Start of the bucket (inclusive).' })
  periodStart: Date;

  @Field({ description: 'End of the bucket (exclusive): the start of the next bucket.' })
  periodEnd: Date;

  @Field(() => ClosedLoopMetrics, { description: "Over the responses given in the bucket and their action items (items' state as of now, or as of the query's asOf)." })
  metrics: ClosedLoopMetrics;
}

/** The costly part of ClosedLoopMetrics (the histograms): computed only when a request selects one of these fields. */
export const CLOSED_LOOP_MEDIANS = ['medianHoursToFirstAction', 'medianHoursToClose'] as const;
