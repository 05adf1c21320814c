import { createHmac } from 'node:crypto';
import { generateSecret, secretKey, secretProblem, sign, signedHeaders, verify } from './signature';

describe('webhook signatures (Standard Webhooks)', () => {
  // Test vector from the Standard Webhooks reference implementations.
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const ts = 1614265330;
  const body = '{"test": 2432232314}';

  it('matches the published test vector', () => {
    expect(sign(secret, id, ts, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('uses the base64-decoded key for whsec_ secrets and the raw bytes otherwise', () => {
    const raw = 'a-plain-shared-secret-of-some-length';
    const expected = createHmac('sha256', raw).update(`${id}.${ts}.${body}`).digest('base64');
    expect(sign(raw, id, ts, body)).toBe(`v1,${expected}`);
    expect(secretKey(secret)).toEqual(Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64'));
  });

  it('verifies its own headers and rejects a changed body, id, timestamp or secret', () => {
    const h = signedHeaders(secret, id, ts, body);
    expect(verify(secret, id, ts, body, h['webhook-signature'])).toBe(true);
    expect(verify(secret, id, ts, body + ' ', h['webhook-signature'])).toBe(false);
    expect(verify(secret, id + 'x', ts, body, h['webhook-signature'])).toBe(false);
    expect(verify(secret, id, ts + 1, body, h['webhook-signature'])).toBe(false);
    expect(verify(generateSecret(), id, ts, body, h['webhook-signature'])).toBe(false);
    expect(verify(secret, id, ts, body, `v1,bogus ${h['webhook-signature']}`)).toBe(true);
  });

  it('generates whsec_ secrets of 32 random bytes and checks given ones', () => {
    const a = generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(secretKey(a)).toHaveLength(32);
    expect(a).not.toBe(generateSecret());
    expect(secretProblem(a)).toBeNull();
    expect(secretProblem('whsec_short')).toMatch(/24 to 64 bytes|base64/);
    expect(secretProblem('whsec_!!!!')).toMatch(/base64/);
    expect(secretProblem('too-short')).toMatch(/24 to 256/);
    expect(secretProblem('has white space in it, which is not ok')).toMatch(/whitespace/);
  });
});
