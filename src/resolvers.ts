import { NonEmptyArray } from 'type-graphql';
import { DepartmentResolver } from './modules/departments/department.resolver';
import { PersonResolver } from './modules/people/person.resolver';

/** Every resolver class of the schema. */
export const resolvers: NonEmptyArray<Function> = [DepartmentResolver, PersonResolver];
