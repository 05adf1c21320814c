import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context';
import { Person } from '../people/person.entity';
import { KpiTarget } from './kpi-target.entity';
import { AS_OF_DESCRIPTION } from './kpi-as-of.docs';

/** Person fields that let a dashboard walk the accountability chain (CEO to agents) in one round trip. */
@Resolver(() => Person)
export class PersonTargetsResolver {
  @FieldResolver(() => [KpiTarget], { description: "The person's KPI targets visible to the caller, in the order of kpiTargets." })
  targets(
    @Ctx() ctx: RequestContext,
    @Root() person: Person,
    @Arg('activeAt', () => Date, { nullable: true, description: 'Only targets whose period contains this instant.' }) activeAt?: Date,
    @Arg('asOf', () => Date, { nullable: true, description: AS_OF_DESCRIPTION }) asOf?: Date | null,
  ): Promise<KpiTarget[]> {
    return ctx.services.kpiTargets.forOwner(ctx, person.id, activeAt ?? undefined, asOf);
  }

  @FieldResolver(() => [Person], { description: 'People whose manager this person is (direct reports), ordered by name. A MANAGER sees only those in their subtree.' })
  reports(@Ctx() ctx: RequestContext, @Root() person: Person): Promise<Person[]> {
    return ctx.services.kpiTargets.reportsOf(ctx, person);
  }
}
