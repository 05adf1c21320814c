import { createApiKey, createTestApp, TestApp } from './support/test-app';
import { Role } from '../src/modules/auth/viewer';

/**
 * Browsers over real HTTP: CORS_ORIGINS decides which other origins may call the API. Apollo's CSRF
 * prevention stays on beside it.
 */
const DASH = 'https://dash.example.com';
const LOCAL = 'http://localhost:5173';
const QUERY = '{ viewer { role } }';

interface Served {
  t: TestApp;
  base: string;
  key: string;
}

async function serve(env: Record<string, string>): Promise<Served> {
  const t = await createTestApp({ MAX_BODY_BYTES: '20000', ...env });
  const port = await t.app.listen(0, '127.0.0.1');
  return { t, base: `http://127.0.0.1:${port}`, key: await createApiKey(t, { role: Role.ADMIN }) };
}

const preflight = (s: Served, origin: string, method = 'POST', headers = 'content-type, authorization') =>
  fetch(`${s.base}/graphql`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });

const post = (s: Served, origin: string | null, body: string = JSON.stringify({ query: QUERY }), key: string | null = s.key) =>
  fetch(`${s.base}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(origin ? { origin } : {}),
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body,
  });

/** Every Access-Control-* header of an answer, lower-cased names. */
const corsHeaders = (res: Response) => Object.fromEntries([...res.headers].filter(([name]) => name.startsWith('access-control-')));
const list = (value: string | null) => (value ?? '').split(',').map((v) => v.trim().toLowerCase()).filter(Boolean);

describe('with CORS_ORIGINS', () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve({ CORS_ORIGINS: `${DASH}, ${LOCAL}`, CORS_MAX_AGE_S: '120' });
  });
  afterAll(() => s.t.close());

  it('answers the preflight of an allowed origin: 204, the origin echoed, methods, headers, max age, Vary: Origin', async () => {
    for (const origin of [DASH, LOCAL]) {
      const res = await preflight(s, origin);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(list(res.headers.get('access-control-allow-methods'))).toEqual(['get', 'post', 'options']);
      expect(list(res.headers.get('access-control-allow-headers'))).toEqual(
        expect.arrayContaining(['content-type', 'authorization', 'apollo-require-preflight', 'x-apollo-operation-name']),
      );
      expect(res.headers.get('access-control-max-age')).toBe('120');
      expect(list(res.headers.get('vary'))).toContain('origin');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      expect(await res.text()).toBe('');
    }
  });

  it('refuses the preflight of any other origin with 403 and no CORS header, exact origins only', async () => {
    for (const origin of ['https://evil.example.com', 'http://dash.example.com', 'https://dash.example.com:8443', 'http://localhost:3000', 'null']) {
      const res = await preflight(s, origin);
      expect({ origin, status: res.status }).toEqual({ origin, status: 403 });
      expect(corsHeaders(res)).toEqual({});
      expect(list(res.headers.get('vary'))).toContain('origin');
      const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(body.errors[0].message).toContain('CORS_ORIGINS');
    }
  });

  it('sets Access-Control-Allow-Origin, Vary and the exposed headers on a real POST from an allowed origin', async () => {
    const res = await post(s, DASH);
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).data.viewer.role).toBe('ADMIN');
    expect(res.headers.get('access-control-allow-origin')).toBe(DASH);
    expect(list(res.headers.get('vary'))).toContain('origin');
    expect(list(res.headers.get('access-control-expose-headers'))).toEqual(
      expect.arrayContaining(['x-request-id', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset']),
    );
    // Preflight-only headers are not on actual answers.
    expect(res.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('lets the page read error answers too: 401 without a key, 413 from the body parser', async () => {
    const unauthenticated = await post(s, DASH, undefined, null);
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get('access-control-allow-origin')).toBe(DASH);
    const tooLarge = await post(s, DASH, JSON.stringify({ query: QUERY, variables: { pad: 'x'.repeat(30_000) } }));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('access-control-allow-origin')).toBe(DASH);
  });

  it('still serves a request from another origin (the browser hides it) but without any CORS header', async () => {
    const res = await post(s, 'https://evil.example.com');
    expect(res.status).toBe(200);
    expect(corsHeaders(res)).toEqual({});
    expect(list(res.headers.get('vary'))).toContain('origin');
    // And a request without Origin (curl, a server-side script) as before.
    const plain = await post(s, null);
    expect(plain.status).toBe(200);
    expect(corsHeaders(plain)).toEqual({});
  });

  it("keeps Apollo's CSRF prevention: a simple GET from an allowed origin without a preflight header is refused", async () => {
    const url = `${s.base}/graphql?query=${encodeURIComponent(QUERY)}`;
    const simple = await fetch(url, { headers: { origin: DASH, authorization: `Bearer ${s.key}` } });
    expect(simple.status).toBe(400);
    const body = (await simple.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0].message).toMatch(/CSRF/);
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
    // The header a preflight would have allowed lets the same GET through.
    const forced = await fetch(url, { headers: { origin: DASH, authorization: `Bearer ${s.key}`, 'apollo-require-preflight': 'true' } });
    expect(forced.status).toBe(200);
    expect(forced.headers.get('access-control-allow-origin')).toBe(DASH);
  });
});

describe('without CORS_ORIGINS (the default)', () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve({});
  });
  afterAll(() => s.t.close());

  it('refuses every preflight with 403 and sends no CORS header on any answer', async () => {
    for (const origin of [DASH, LOCAL, `http://127.0.0.1`]) {
      const res = await preflight(s, origin);
      expect(res.status).toBe(403);
      expect(corsHeaders(res)).toEqual({});
    }
    const res = await post(s, DASH);
    expect(res.status).toBe(200);
    expect(corsHeaders(res)).toEqual({});
    expect(res.headers.get('vary')).toBeNull();
  });
});

describe('with CORS_ORIGINS=*', () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve({ CORS_ORIGINS: '*' });
  });
  afterAll(() => s.t.close());

  it('allows any origin with Access-Control-Allow-Origin: * and the default max age of 600 s', async () => {
    const res = await preflight(s, 'https://anywhere.example.org');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-max-age')).toBe('600');
    const answer = await post(s, 'https://anywhere.example.org');
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  });
});
