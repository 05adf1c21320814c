import { createTestApp, codes, TestApp } from './support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const UPSERT = `mutation($input: DepartmentInput!) { upsertDepartment(input: $input) { id code name parent { code } children { code } } }`;

describe('departments', () => {
  it('upserts idempotently by code and builds the tree', async () => {
    const a = await t.ok(UPSERT, { input: { code: 'CO', name: 'Company' } });
    const again = await t.ok(UPSERT, { input: { code: 'CO', name: 'Company Inc' } });
    expect(again.upsertDepartment.id).toBe(a.upsertDepartment.id);
    expect(again.upsertDepartment.name).toBe('Company Inc');
    await t.ok(UPSERT, { input: { code: 'SALES', name: 'Sales', parentCode: 'CO' } });
    await t.ok(UPSERT, { input: { code: 'SALES-EU', name: 'Sales EU', parentCode: 'SALES' } });
    const data = await t.ok(`{ departments { code parent { code } children { code } } }`);
    expect(data.departments).toEqual([
      { code: 'CO', parent: null, children: [{ code: 'SALES' }] },
      { code: 'SALES', parent: { code: 'CO' }, children: [{ code: 'SALES-EU' }] },
      { code: 'SALES-EU', parent: { code: 'SALES' }, children: [] },
    ]);
  });

  it('keeps the parent when parentCode is omitted and detaches on null', async () => {
    await t.ok(UPSERT, { input: { code: 'SALES-EU', name: 'Europe' } });
    let d = await t.ok(`{ departments { code parent { code } } }`);
    expect(d.departments.find((x: any) => x.code === 'SALES-EU').parent).toEqual({ code: 'SALES' });
    await t.ok(UPSERT, { input: { code: 'SALES-EU', name: 'Europe', parentCode: null } });
    d = await t.ok(`{ departments { code parent { code } } }`);
    expect(d.departments.find((x: any) => x.code === 'SALES-EU').parent).toBeNull();
    await t.ok(UPSERT, { input: { code: 'SALES-EU', name: 'Europe', parentCode: 'SALES' } });
  });

  it('refuses to make a department its own ancestor, changing nothing', async () => {
    for (const parentCode of ['SALES-EU', 'SALES']) {
      const res = await t.exec(UPSERT, { input: { code: 'SALES', name: 'Renamed', parentCode } });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0].message).toMatch(/own ancestor/);
    }
    const d = await t.ok(`{ departments { code name parent { code } } }`);
    expect(d.departments.find((x: any) => x.code === 'SALES')).toEqual({ code: 'SALES', name: 'Sales', parent: { code: 'CO' } });
  });

  it('rejects an unknown parent with NOT_FOUND and a malformed code with BAD_USER_INPUT', async () => {
    expect(codes(await t.exec(UPSERT, { input: { code: 'X', name: 'X', parentCode: 'NOPE' } }))).toEqual(['NOT_FOUND']);
    const bad = await t.exec(UPSERT, { input: { code: 'has space', name: 'X' } });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0].message).toMatch(/code/);
    const blank = await t.exec(UPSERT, { input: { code: 'SALES', name: ' \t ' } });
    expect(codes(blank)).toEqual(['BAD_USER_INPUT']);
    expect(blank.errors![0].message).toMatch(/name must not be blank/);
    const d = await t.ok(`{ departments { code } }`);
    expect(d.departments.map((x: any) => x.code)).toEqual(['CO', 'SALES', 'SALES-EU']);
    expect((await t.ok(`{ departments { code name } }`)).departments.find((x: any) => x.code === 'SALES').name).toBe('Sales');
  });

  it('answers NOT_FOUND for an unknown id and BAD_USER_INPUT for a malformed one', async () => {
    const q = `query($id: ID!) { department(id: $id) { code } }`;
    expect(codes(await t.exec(q, { id: '00000000-0000-4000-8000-000000000000' }))).toEqual(['NOT_FOUND']);
    expect(codes(await t.exec(q, { id: '42' }))).toEqual(['BAD_USER_INPUT']);
  });
});
