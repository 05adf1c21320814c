import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefix of generated secrets (Standard Webhooks): the rest is the base64 of the key bytes. */
export const SECRET_PREFIX = 'whsec_';

/** A new random secret: `whsec_` + base64 of 32 random bytes. */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/**
 * The HMAC key of a secret. For `whsec_` secrets it is the base64-decoded rest (Standard
 * Webhooks); any other secret is used as its UTF-8 bytes.
 */
export function secretKey(secret: string): Buffer {
  return secret.startsWith(SECRET_PREFIX) ? Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64') : Buffer.from(secret, 'utf8');
}

/** Why a secret given by an admin is unusable, or null when it is fine. */
export function secretProblem(secret: string): string | null {
  if (secret.startsWith(SECRET_PREFIX)) {
    const rest = secret.slice(SECRET_PREFIX.length);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(rest) || rest.length % 4 !== 0) return 'a whsec_ secret must be followed by base64';
    const bytes = Buffer.from(rest, 'base64').length;
    if (bytes < 24 || bytes > 64) return 'a whsec_ secret must encode 24 to 64 bytes';
    return null;
  }
  if (secret.length < 24 || secret.length > 256) return 'secret must be 24 to 256 characters (or whsec_ + base64)';
  if (/\s/.test(secret)) return 'secret must not contain whitespace';
  return null;
}

/** `v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`: the webhook-signature header value. */
export function sign(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** Checks a webhook-signature header (space-separated list of `v1,<sig>`) in constant time. */
export function verify(secret: string, id: string, timestampSeconds: number, body: string, header: string): boolean {
  const expected = Buffer.from(sign(secret, id, timestampSeconds, body).slice(3), 'base64');
  return header.split(' ').some((part) => {
    const [version, sig] = part.split(',', 2);
    if (version !== 'v1' || !sig) return false;
    const given = Buffer.from(sig, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/** The headers of one signed attempt (Standard Webhooks). */
export function signedHeaders(secret: string, id: string, timestampSeconds: number, body: string): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': sign(secret, id, timestampSeconds, body),
  };
}
