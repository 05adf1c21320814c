import { signedHeaders } from './signature';
import type { AttemptOutcome } from './delivery-queue';

export const USER_AGENT = 'nps-kpi-api-webhooks/1';
const MAX_ERROR_CHARS = 200;

/** The body and headers of one attempt. */
export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

/** Signs a body for one attempt: webhook-id is the delivery id, the timestamp is the attempt's. */
export function signRequest(secret: string, deliveryId: string, body: string, at: Date): SignedRequest {
  const timestamp = Math.floor(at.getTime() / 1000);
  return {
    body,
    headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...signedHeaders(secret, deliveryId, timestamp, body) },
  };
}

/** A short reason without the URL (it may carry a token, as Slack webhook URLs do) or anything secret. */
export function describeFailure(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; name?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
  if (e?.name === 'AbortError') return 'aborted';
  const code = e?.cause?.code;
  if (code) return `connection failed: ${code}`;
  const message = e?.cause?.message ?? e?.message ?? String(err);
  return message.slice(0, MAX_ERROR_CHARS);
}

/**
 * POSTs one request with Node's fetch: a timeout, no redirects followed (a 3xx is a failure),
 * the response body discarded. 2xx is success; anything else, or no answer, is a failure.
 */
export async function postOnce(url: string, req: SignedRequest, timeoutMs: number, clock: () => Date): Promise<AttemptOutcome> {
  const startedAt = clock();
  const t0 = performance.now();
  const done = (o: Omit<AttemptOutcome, 'startedAt' | 'durationMs'>): AttemptOutcome => ({
    startedAt,
    durationMs: Math.max(0, Math.round(performance.now() - t0)),
    ...o,
  });
  try {
    const res = await fetch(url, { method: 'POST', body: req.body, headers: req.headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel().catch(() => undefined);
    const ok = res.status >= 200 && res.status < 300;
    return done({ succeeded: ok, statusCode: res.status, error: ok ? null : `HTTP ${res.status}` });
  } catch (err) {
    return done({ succeeded: false, statusCode: null, error: describeFailure(err, timeoutMs) });
  }
}
