import { createApiKey, createTestApp, codes, TestApp } from './support/test-app';
import { Role } from '../src/modules/auth/viewer';

let t: TestApp;
let base: string;
let key: string;
beforeAll(async () => {
  t = await createTestApp({ QUERY_MAX_DEPTH: '6', QUERY_MAX_ALIASES: '5', MAX_BODY_BYTES: '20000' });
  const port = await t.app.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${port}`;
  key = await createApiKey(t, { role: Role.ADMIN });
});

/** POSTs a query over HTTP with an admin key: the status and the parsed body. */
async function post(query: string): Promise<{ status: number; body: any; text: string }> {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query }),
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text), text };
}
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
    const big = JSON.stringify({ query: `{ departments { code } }`, variables: { pad: 'x'.repeat(30_000) } });
    const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(res.status).toBe(413);
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers health and readiness checks', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'up' });
  });

  it('returns a malformed JSON body as a 400 without internals', async () => {
    const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(res.status).toBe(400);
    expect(await res.text()).not.toMatch(/at .*\.js|node_modules/);
  });
});

describe('malformed operations are client errors (HTTP 400), never 500s', () => {
  it('answers a syntax error with 400 GRAPHQL_PARSE_FAILED and its location', async () => {
    const res = await post('{ viewer { name ');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(res.body.errors[0].locations).toEqual([{ line: 1, column: 17 }]);
  });

  it('refuses a document over the token limit with 400 GRAPHQL_PARSE_FAILED', async () => {
    const res = await post(`{ ${'a '.repeat(5100)}}`);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(res.body.errors[0].message).toMatch(/5000 tokens/);
    // Under the limit, a document parses and runs.
    expect((await post(`{ ${'departments { code } '.repeat(2)}}`)).status).toBe(200);
  });

  it('refuses a subscription operation with 400 GRAPHQL_VALIDATION_FAILED', async () => {
    const res = await post('subscription { viewer { name } }');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.errors[0].message).toMatch(/no subscriptions/);
  });

  it('answers a NUL character in a filter with BAD_USER_INPUT, not an internal error', async () => {
    const res = await t.exec(`query($c: [String!]) { npsSummary(filter: { channels: $c }) { responses } }`, { c: ['a\u0000b'] });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0].message).toMatch(/cannot be stored/);
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
