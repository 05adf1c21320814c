import { createTestApp, codes, TestApp } from './support/test-app';

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await createTestApp({ QUERY_MAX_DEPTH: '6', QUERY_MAX_ALIASES: '5', MAX_BODY_BYTES: '4096' });
  const port = await t.app.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => t.close());

describe('baseline protection', () => {
  it('rejects queries deeper than the limit', async () => {
    const deep = `{ departments { parent { parent { parent { parent { parent { parent { code } } } } } } } }`;
    const res = await t.exec(deep);
    expect(res.data).toBeUndefined();
    expect(codes(res)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(res.errors![0].message).toMatch(/depth/i);
  });

  it('rejects too many aliases', async () => {
    const aliases = Array.from({ length: 8 }, (_, i) => `a${i}: departments { code }`).join(' ');
    const res = await t.exec(`{ ${aliases} }`);
    expect(res.data).toBeUndefined();
    expect(res.errors![0].message).toMatch(/alias/i);
  });

  it('blocks CSRF-able requests (simple content type without a preflight header)', async () => {
    const res = await fetch(`${base}/graphql?query=%7Bdepartments%7Bcode%7D%7D`, { method: 'GET' });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF|preflight/i);
  });

  it('caps the request body size with 413 and a JSON error', async () => {
    const big = JSON.stringify({ query: `{ departments { code } }`, variables: { pad: 'x'.repeat(10_000) } });
    const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(res.status).toBe(413);
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers health and readiness checks', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('returns a malformed JSON body as a 400 without internals', async () => {
    const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(res.status).toBe(400);
    expect(await res.text()).not.toMatch(/at .*\.js|node_modules/);
  });
});

describe('introspection', () => {
  it('is off in production', async () => {
    const prod = await createTestApp({ NODE_ENV: 'production' });
    try {
      const res = await prod.exec(`{ __schema { queryType { name } } }`);
      expect(res.errors?.[0].message).toMatch(/introspection/i);
    } finally {
      await prod.close();
    }
  });
});
