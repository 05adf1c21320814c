import { createTestApp, codes, TestApp } from './support/test-app';
import { Role, Viewer } from '../src/modules/auth/viewer';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const viewer = (role: Role, departmentId: string | null = null): Viewer => ({ keyId: null, name: role.toLowerCase(), role, departmentId });
const UPSERT = `mutation($input: SurveyInput!) { upsertSurvey(input: $input) { id code name kind channel cadenceDays autoFollowUp followUpThreshold updatedAt } }`;
const count = async () => Number((await t.deps.ds.query('SELECT count(*)::int AS n FROM surveys'))[0].n);

describe('surveys', () => {
  it('creates a survey with defaults, then updates it by code without a second row', async () => {
    const a = (await t.ok(UPSERT, { input: { code: 'REL-Q', name: 'Quarterly', kind: 'RELATIONSHIP', cadenceDays: 90 } })).upsertSurvey;
    expect(a).toMatchObject({ code: 'REL-Q', name: 'Quarterly', kind: 'RELATIONSHIP', channel: null, cadenceDays: 90, autoFollowUp: true, followUpThreshold: 6 });
    const b = (await t.ok(UPSERT, { input: { code: 'REL-Q', name: 'Quarterly NPS', kind: 'RELATIONSHIP', channel: 'email', followUpThreshold: 4 } })).upsertSurvey;
    expect(b.id).toBe(a.id);
    // Left out: unchanged (cadenceDays, autoFollowUp); given: written.
    expect(b).toMatchObject({ name: 'Quarterly NPS', channel: 'email', cadenceDays: 90, autoFollowUp: true, followUpThreshold: 4 });
    expect(await count()).toBe(1);
  });

  it('is idempotent: the same input again changes nothing, not even updatedAt', async () => {
    const input = { code: 'TX-SUP', name: 'Support call', kind: 'TRANSACTIONAL', channel: 'sms', autoFollowUp: false };
    const a = (await t.ok(UPSERT, { input })).upsertSurvey;
    const before = await count();
    const b = (await t.ok(UPSERT, { input })).upsertSurvey;
    expect(b).toEqual(a);
    expect(await count()).toBe(before);
  });

  it('clears a nullable field with null and keeps non-nullable ones on null', async () => {
    const s = (await t.ok(UPSERT, { input: { code: 'REL-Q', name: 'Quarterly NPS', kind: 'RELATIONSHIP', channel: null, cadenceDays: null, followUpThreshold: null } }))
      .upsertSurvey;
    expect(s).toMatchObject({ channel: null, cadenceDays: null, followUpThreshold: 4 });
  });

  it('survives concurrent upserts of the same code (one row)', async () => {
    const input = (i: number) => ({ input: { code: 'RACE', name: `Race ${i}`, kind: 'TRANSACTIONAL' } });
    const results = await Promise.all([1, 2, 3, 4].map((i) => t.ok(UPSERT, input(i))));
    expect(new Set(results.map((r) => r.upsertSurvey.id)).size).toBe(1);
    expect((await t.deps.ds.query(`SELECT count(*)::int AS n FROM surveys WHERE code = 'RACE'`))[0].n).toBe(1);
  });

  it('lists surveys by code and reads one by id', async () => {
    const { surveys } = await t.ok(`{ surveys { id code kind } }`);
    expect(surveys.map((s: any) => s.code)).toEqual(['RACE', 'REL-Q', 'TX-SUP']);
    const { survey } = await t.ok(`query($id: ID!) { survey(id: $id) { code name } }`, { id: surveys[1].id });
    expect(survey).toEqual({ code: 'REL-Q', name: 'Quarterly NPS' });
    expect(codes(await t.exec(`query($id: ID!) { survey(id: $id) { code } }`, { id: '00000000-0000-4000-8000-000000000000' }))).toEqual(['NOT_FOUND']);
    expect(codes(await t.exec(`query($id: ID!) { survey(id: $id) { code } }`, { id: 'nope' }))).toEqual(['BAD_USER_INPUT']);
  });

  it('rejects bad input with BAD_USER_INPUT and changes nothing', async () => {
    const before = await t.deps.ds.query('SELECT * FROM surveys ORDER BY code');
    for (const input of [
      { code: 'has space', name: 'X', kind: 'RELATIONSHIP' },
      { code: 'OK', name: '', kind: 'RELATIONSHIP' },
      { code: 'REL-Q', name: '   ', kind: 'RELATIONSHIP' },
      { code: 'OK', name: 'X', kind: 'RELATIONSHIP', cadenceDays: 0 },
      { code: 'REL-Q', name: 'X', kind: 'RELATIONSHIP', followUpThreshold: 11 },
    ]) {
      expect(codes(await t.exec(UPSERT, { input }))).toEqual(['BAD_USER_INPUT']);
    }
    expect(codes(await t.exec(UPSERT, { input: { code: 'OK', name: 'X', kind: 'WEEKLY' } }))).toEqual(['BAD_USER_INPUT']);
    expect(await t.deps.ds.query('SELECT * FROM surveys ORDER BY code')).toEqual(before);
  });

  it('needs WRITE_ORG to upsert; every role may list', async () => {
    for (const role of [Role.EXECUTIVE, Role.MANAGER, Role.INTEGRATION]) {
      const res = await t.exec(UPSERT, { input: { code: 'NEW', name: 'New', kind: 'RELATIONSHIP' } }, { viewer: viewer(role) });
      expect(codes(res)).toEqual(['FORBIDDEN']);
      const list = await t.ok(`{ surveys { code } }`, undefined, { viewer: viewer(role) });
      expect(list.surveys).toHaveLength(3);
    }
    expect(await count()).toBe(3);
  });
});
