import { createTestApp, codes, TestApp, viewers } from './support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  for (const [code, parentCode] of [['CO', null], ['OPS', 'CO'], ['OPS-DESK', 'OPS'], ['SALES', 'CO']] as const) {
    await t.ok(`mutation($input: DepartmentInput!) { upsertDepartment(input: $input) { id } }`, { input: { code, name: code, parentCode } });
  }
});
afterAll(() => t.close());

const UPSERT = `mutation($input: PersonInput!) { upsertPerson(input: $input) { id email name title department { code } manager { email } } }`;
const PEOPLE = `query($d: ID) { people(departmentId: $d) { email name title department { code } manager { email } } }`;

async function person(email: string) {
  const all = (await t.ok(PEOPLE)).people as any[];
  return all.find((p) => p.email === email);
}

describe('people', () => {
  it('creates a person with department, manager and title, and upserts by email case-insensitively', async () => {
    const ceo = await t.ok(UPSERT, { input: { email: 'Ceo@Example.com', name: 'Cleo Ceo', title: 'CEO', departmentCode: 'CO' } });
    expect(ceo.upsertPerson).toMatchObject({ email: 'ceo@example.com', title: 'CEO', department: { code: 'CO' }, manager: null });
    await t.ok(UPSERT, { input: { email: 'ops@example.com', name: 'Otto Ops', title: 'VP Operations', departmentCode: 'OPS', managerEmail: 'CEO@example.com' } });
    await t.ok(UPSERT, { input: { email: 'agent@example.com', name: 'Ada Agent', title: 'Agent', departmentCode: 'OPS-DESK', managerEmail: 'ops@example.com' } });
    const again = await t.ok(UPSERT, { input: { email: 'CEO@EXAMPLE.COM', name: 'Cleo C. Ceo' } });
    expect(again.upsertPerson.id).toBe(ceo.upsertPerson.id);
    // Omitted fields are unchanged on update.
    expect(again.upsertPerson).toMatchObject({ name: 'Cleo C. Ceo', title: 'CEO', department: { code: 'CO' } });
    expect(await person('agent@example.com')).toEqual({
      email: 'agent@example.com', name: 'Ada Agent', title: 'Agent', department: { code: 'OPS-DESK' }, manager: { email: 'ops@example.com' },
    });
  });

  it('clears department, manager and title on null', async () => {
    await t.ok(UPSERT, { input: { email: 'temp@example.com', name: 'Tem Porary', title: 'Temp', departmentCode: 'SALES', managerEmail: 'ceo@example.com' } });
    const cleared = await t.ok(UPSERT, { input: { email: 'temp@example.com', name: 'Tem Porary', title: null, departmentCode: null, managerEmail: null } });
    expect(cleared.upsertPerson).toMatchObject({ title: null, department: null, manager: null });
  });

  it('refuses a person as their own manager, and a manager who already reports to them, changing nothing', async () => {
    const own = await t.exec(UPSERT, { input: { email: 'ops@example.com', name: 'Renamed', managerEmail: 'OPS@example.com' } });
    expect(codes(own)).toEqual(['BAD_USER_INPUT']);
    expect(own.errors![0].message).toMatch(/own manager/);
    // agent reports to ops, ops to ceo: neither may become the CEO's manager.
    for (const managerEmail of ['ops@example.com', 'agent@example.com']) {
      const res = await t.exec(UPSERT, { input: { email: 'ceo@example.com', name: 'Renamed', managerEmail } });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0].message).toMatch(/already reports to this person/);
    }
    expect(await person('ceo@example.com')).toMatchObject({ name: 'Cleo C. Ceo', manager: null });
    expect(await person('ops@example.com')).toMatchObject({ name: 'Otto Ops', manager: { email: 'ceo@example.com' } });
    // A sideways move in the chain is fine.
    await t.ok(UPSERT, { input: { email: 'temp@example.com', name: 'Tem Porary', managerEmail: 'agent@example.com' } });
  });

  it('answers NOT_FOUND for an unknown department or manager and BAD_USER_INPUT for a malformed email, storing nothing', async () => {
    const dept = await t.exec(UPSERT, { input: { email: 'new@example.com', name: 'New', departmentCode: 'NOPE' } });
    expect(codes(dept)).toEqual(['NOT_FOUND']);
    expect(dept.errors![0].message).toContain('NOPE');
    const mgr = await t.exec(UPSERT, { input: { email: 'new@example.com', name: 'New', managerEmail: 'ghost@example.com' } });
    expect(codes(mgr)).toEqual(['NOT_FOUND']);
    expect(codes(await t.exec(UPSERT, { input: { email: 'not-an-email', name: 'New' } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.exec(UPSERT, { input: { email: 'new@example.com', name: '' } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.exec(UPSERT, { input: { email: 'new@example.com', name: '   ' } }))).toEqual(['BAD_USER_INPUT']);
    expect(await person('new@example.com')).toBeUndefined();
  });

  it('lists people by name, narrowed to a department subtree', async () => {
    const all = (await t.ok(PEOPLE)).people.map((p: any) => p.name);
    expect(all).toEqual([...all].sort());
    expect(all).toHaveLength(4);
    const { id } = (await t.ok(`{ departments { id code } }`)).departments.find((d: any) => d.code === 'OPS');
    const ops = (await t.ok(PEOPLE, { d: id })).people.map((p: any) => p.email);
    expect(ops).toEqual(['agent@example.com', 'ops@example.com']);
    // An unknown department is NOT_FOUND, not an empty list.
    const unknown = await t.exec(PEOPLE, { d: '00000000-0000-4000-8000-000000000000' });
    expect(codes(unknown)).toEqual(['NOT_FOUND']);
    expect(unknown.errors![0].extensions!.field).toBe('departmentId');
  });

  it("confines a manager's list to their subtree and refuses them upsertPerson", async () => {
    const { id } = (await t.ok(`{ departments { id code } }`)).departments.find((d: any) => d.code === 'OPS-DESK');
    const mine = await t.ok(PEOPLE, {}, { viewer: viewers.manager(id) });
    expect(mine.people.map((p: any) => p.email)).toEqual(['agent@example.com']);
    // Naming a department outside the subtree is FORBIDDEN, not an empty list.
    const { id: sales } = (await t.ok(`{ departments { id code } }`)).departments.find((d: any) => d.code === 'SALES');
    expect(codes(await t.exec(PEOPLE, { d: sales }, { viewer: viewers.manager(id) }))).toEqual(['FORBIDDEN']);
    const res = await t.exec(UPSERT, { input: { email: 'x@example.com', name: 'X' } }, { viewer: viewers.manager(id) });
    expect(codes(res)).toEqual(['FORBIDDEN']);
  });

  it('answers person(id) with NOT_FOUND for an unknown id and BAD_USER_INPUT for a malformed one', async () => {
    const q = `query($id: ID!) { person(id: $id) { email } }`;
    expect(codes(await t.exec(q, { id: '00000000-0000-4000-8000-000000000000' }))).toEqual(['NOT_FOUND']);
    expect(codes(await t.exec(q, { id: 'nope' }))).toEqual(['BAD_USER_INPUT']);
  });
});
