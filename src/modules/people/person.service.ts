import { Permission } from '../auth/permissions';
import type { RequestContext, ServiceDeps } from '../../context';
import { badInput, notFound } from '../../common/errors';
import { forgetDerived } from '../../common/request-cache';
import { isSelfOrAbove } from '../../common/hierarchy';
import type { Services } from '../../services';
import { transaction } from '../../transaction';
import { Person } from './person.entity';
import { PersonInput } from './person.inputs';

export class PersonService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {}

  /** By name; departmentId narrows to its subtree (unknown: NOT_FOUND; outside a MANAGER's subtree: FORBIDDEN). */
  async list(ctx: RequestContext, departmentId?: string): Promise<Person[]> {
    this.services.access.require(ctx, Permission.READ_ORG);
    if (departmentId) await this.services.access.assertDepartmentsVisible(ctx, [departmentId], 'departmentId');
    const qb = ctx.em.getRepository(Person).createQueryBuilder('p').orderBy('p.name', 'ASC').addOrderBy('p.id', 'ASC');
    const scope = this.services.access.departmentScope(ctx);
    if (scope) qb.andWhere(`p.department_id IN (${this.services.access.subtreeSql(':scope')})`, { scope });
    if (departmentId) qb.andWhere(`p.department_id IN (${this.services.access.subtreeSql(':dept')})`, { dept: departmentId });
    return qb.getMany();
  }

  async byId(ctx: RequestContext, id: string): Promise<Person> {
    this.services.access.require(ctx, Permission.READ_ORG);
    const person = await ctx.loaders.person.load(id);
    if (!person) throw notFound('Person', id, 'id');
    return person;
  }

  /** Through ctx.em: inside the caller's transaction, if any. */
  findByEmail(ctx: RequestContext, email: string): Promise<Person | null> {
    return ctx.em.getRepository(Person).findOneBy({ email: email.trim().toLowerCase() });
  }

  async upsert(ctx: RequestContext, input: PersonInput): Promise<Person> {
    this.services.access.require(ctx, Permission.WRITE_ORG);
    const email = input.email.trim().toLowerCase();
    const saved = await transaction(ctx, async (ctx) => {
      const repo = ctx.em.getRepository(Person);
      await ctx.em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`person:${email}`]);
      const person = (await repo.findOneBy({ email })) ?? repo.create({ email, departmentId: null, managerId: null, title: null });
      person.name = input.name;
      if (input.title !== undefined) person.title = input.title ?? null;
      if (input.departmentCode === null) person.departmentId = null;
      else if (input.departmentCode !== undefined) {
        const ids = await this.services.departments.idsByCode(ctx, [input.departmentCode]);
        const id = ids.get(input.departmentCode);
        if (!id) throw notFound('Department with code', input.departmentCode, 'departmentCode');
        person.departmentId = id;
      }
      if (input.managerEmail === null) person.managerId = null;
      else if (input.managerEmail !== undefined) {
        const managerEmail = input.managerEmail.trim().toLowerCase();
        if (managerEmail === email) throw badInput('A person cannot be their own manager', 'managerEmail');
        const manager = await repo.findOneBy({ email: managerEmail });
        if (!manager) throw notFound('Person with email', input.managerEmail, 'managerEmail');
        if (person.id) await this.assertNotInChain(ctx, person.id, manager.id);
        person.managerId = manager.id;
      }
      return repo.save(person);
    });
    // Later fields of the request read the person as written: the row, the reports lists of the old
    // and new manager, and derived figures (a KPI target's owner).
    ctx.loaders.person.clear(saved.id);
    ctx.loaders.personReports.clearAll();
    forgetDerived(ctx);
    return saved;
  }

  /** Refuses a manager who already reports (directly or not) to this person. */
  private async assertNotInChain(ctx: RequestContext, personId: string, managerId: string): Promise<void> {
    if (await isSelfOrAbove(ctx, 'people', managerId, personId)) throw badInput('The manager already reports to this person', 'managerEmail');
  }
}
