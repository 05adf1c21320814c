import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context';
import { loadRef } from '../../common/loader-factories';
import { parseId } from '../../common/ids';
import { Department } from './department.entity';
import { DepartmentInput } from './department.inputs';
import { Person } from '../people/person.entity';
import { ReportCached } from '../../common/report-cache/cached.decorator';

@Resolver(() => Department)
export class DepartmentResolver {
  @ReportCached()
  @Query(() => [Department], { description: 'All departments visible to the caller, ordered by code.' })
  departments(@Ctx() ctx: RequestContext): Promise<Department[]> {
    return ctx.services.departments.list(ctx);
  }

  @ReportCached()
  @Query(() => Department)
  department(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<Department> {
    return ctx.services.departments.byId(ctx, parseId(id, 'id'));
  }

  @Mutation(() => Department, { description: 'Creates or updates a department by code (idempotent).' })
  upsertDepartment(@Ctx() ctx: RequestContext, @Arg('input') input: DepartmentInput): Promise<Department> {
    return ctx.services.departments.upsert(ctx, input);
  }

  @FieldResolver(() => Department, { nullable: true })
  parent(@Ctx() ctx: RequestContext, @Root() dept: Department): Promise<Department | null> {
    return loadRef(ctx.loaders.department, dept.parentId);
  }

  @FieldResolver(() => [Department], { description: 'Direct children, ordered by code.' })
  children(@Ctx() ctx: RequestContext, @Root() dept: Department): Promise<Department[]> {
    return ctx.services.departments.children(ctx, dept);
  }

  @FieldResolver(() => Person, { nullable: true })
  owner(@Ctx() ctx: RequestContext, @Root() dept: Department): Promise<Person | null> {
    return loadRef(ctx.loaders.person, dept.ownerId);
  }
}
