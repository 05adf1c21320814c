import { createApiKey, createTestApp, TestApp } from './support/test-app';
import { Role } from '../src/modules/auth/viewer';

/** Every GraphQL answer says `cache-control: no-store`: results depend on the key and change with every write. */
let t: TestApp;
let base: string;
let key: string;
beforeAll(async () => {
  t = await createTestApp();
  const port = await t.app.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${port}`;
  key = await createApiKey(t, { role: Role.ADMIN });
});
afterAll(() => t.close());

const post = (body: string) =>
  fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body });

describe('cache-control header', () => {
  it('is no-store on a successful query', async () => {
    const res = await post(JSON.stringify({ query: '{ departments { code } }' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('is no-store on a mutation and on errors', async () => {
    const mutation = await post(JSON.stringify({ query: 'mutation { submitResponses(responses: []) { accepted } }' }));
    expect(mutation.headers.get('cache-control')).toBe('no-store');
    const invalid = await post(JSON.stringify({ query: '{ nope }' }));
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('cache-control')).toBe('no-store');
  });
});
