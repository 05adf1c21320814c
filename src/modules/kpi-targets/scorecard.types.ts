import { Field, Int, ObjectType } from 'type-graphql';
import { Person } from '../people/person.entity';
import { KpiStatus, KpiTarget } from './kpi-target.entity';

@ObjectType({ description: 'How many KPI targets have each status (as of the scorecard\'s instant).' })
export class KpiStatusCounts {
  @Field(() => Int, { description: 'Targets counted: onTrack + atRisk + offTrack + noData.' })
  total: number;

  @Field(() => Int, { description: 'Targets whose status is ON_TRACK.' })
  onTrack: number;

  @Field(() => Int, { description: 'Targets whose status is AT_RISK.' })
  atRisk: number;

  @Field(() => Int, { description: 'Targets whose status is OFF_TRACK.' })
  offTrack: number;

  @Field(() => Int, { description: 'Targets whose status is NO_DATA.' })
  noData: number;

  static of(statuses: readonly KpiStatus[]): KpiStatusCounts {
    const n = (s: KpiStatus) => statuses.filter((x) => x === s).length;
    return Object.assign(new KpiStatusCounts(), {
      total: statuses.length,
      onTrack: n(KpiStatus.ON_TRACK),
      atRisk: n(KpiStatus.AT_RISK),
      offTrack: n(KpiStatus.OFF_TRACK),
      noData: n(KpiStatus.NO_DATA),
    });
  }
}

@ObjectType({ description: 'One person of the management chain below (or being) the scorecard\'s owner, with their targets.' })
export class ScorecardPerson {
  @Field(() => Person)
  person: Person;

  @Field(() => Int, { description: 'Distance from the owner in the management chain (people.manager_id): 0 the owner, 1 their direct reports, 2 the reports of those...' })
  level: number;

  @Field(() => [KpiTarget], { description: "The person's targets in the scorecard, in the order of kpiTargets; their figures are as of the scorecard's asOf." })
  targets: KpiTarget[];

  @Field(() => KpiStatusCounts, { description: "Statuses of this person's targets (their own, not their reports')." })
  counts: KpiStatusCounts;
}

@ObjectType({ description: 'The targets of everyone at one distance from the owner in the management chain.' })
export class ScorecardLevel {
  @Field(() => Int, { description: '0: the owner; 1: their direct reports; and so on.' })
  level: number;

  @Field(() => Int, { description: 'People of the scorecard at this level (with or without targets).' })
  people: number;

  @Field(() => KpiStatusCounts, { description: 'Statuses of the targets of the people at this level.' })
  counts: KpiStatusCounts;
}

@ObjectType({
  description:
    "The KPI targets of a person and of everyone below them in the management chain, with status counts per person and per level, as of one instant. A MANAGER key sees only targets of departments in its subtree (and the people of its subtree, or owning such a target): every count is over those targets only.",
})
export class Scorecard {
  @Field(() => Person, { description: 'Whose scorecard: the top of the chain (level 0).' })
  owner: Person;

  @Field({ description: 'The instant the figures stand at: the asOf argument, or the time of the request.' })
  asOf: Date;

  @Field({ description: 'Targets whose period [periodStart, periodEnd) contains this instant are in the scorecard: the activeAt argument, or asOf.' })
  activeAt: Date;

  @Field(() => KpiStatusCounts, { description: 'Statuses of every target in the scorecard.' })
  counts: KpiStatusCounts;

  @Field(() => [ScorecardLevel], { description: 'Per level of the chain, from the owner (0) down; levels without people in the scorecard are left out.' })
  levels: ScorecardLevel[];

  @Field(() => [ScorecardPerson], {
    description: 'The people of the chain, by level, then name: everyone for an unscoped key (with or without targets); for a MANAGER key, the people of its subtree and those owning a target it may see.',
  })
  people: ScorecardPerson[];

  @Field(() => [KpiTarget], { description: 'Every target in the scorecard, in the order of kpiTargets (period start, owner name, metric).' })
  targets: KpiTarget[];
}
