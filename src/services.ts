import type { AppDeps } from './context';
import { AccessService } from './modules/auth/access.service';
import { DepartmentService } from './modules/departments/department.service';
import { PersonService } from './modules/people/person.service';

/** One instance of each feature service per process; each call takes the request context first. */
export class Services {
  readonly access = new AccessService();
  readonly departments: DepartmentService;
  readonly people: PersonService;

  constructor(readonly deps: AppDeps) {
    this.departments = new DepartmentService(deps, this);
    this.people = new PersonService(deps, this);
  }
}
