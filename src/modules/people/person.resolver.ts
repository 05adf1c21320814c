import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context';
import { loadRef } from '../../common/loader-factories';
import { parseId, parseOptionalId } from '../../common/ids';
import { Person } from './person.entity';
import { PersonInput } from './person.inputs';
import { Department } from '../departments/department.entity';
import { ReportCached } from '../../common/report-cache/cached.decorator';

@Resolver(() => Person)
export class PersonResolver {
  @ReportCached()
  @Query(() => [Person], {
    description:
      'People, ordered by name; departmentId narrows to that subtree (NOT_FOUND when unknown). A MANAGER key sees its subtree only; a departmentId outside it is FORBIDDEN.',
  })
  people(@Ctx() ctx: RequestContext, @Arg('departmentId', () => ID, { nullable: true }) departmentId?: string): Promise<Person[]> {
    return ctx.services.people.list(ctx, parseOptionalId(departmentId, 'departmentId'));
  }

  @ReportCached()
  @Query(() => Person)
  person(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<Person> {
    return ctx.services.people.byId(ctx, parseId(id, 'id'));
  }

  @Mutation(() => Person, { description: 'Creates or updates a person by email (idempotent).' })
  upsertPerson(@Ctx() ctx: RequestContext, @Arg('input') input: PersonInput): Promise<Person> {
    return ctx.services.people.upsert(ctx, input);
  }

  @FieldResolver(() => Department, { nullable: true })
  department(@Ctx() ctx: RequestContext, @Root() person: Person): Promise<Department | null> {
    return loadRef(ctx.loaders.department, person.departmentId);
  }

  @FieldResolver(() => Person, { nullable: true })
  manager(@Ctx() ctx: RequestContext, @Root() person: Person): Promise<Person | null> {
    return loadRef(ctx.loaders.person, person.managerId);
  }
}
