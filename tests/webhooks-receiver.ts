import http from 'node:http';
import net from 'node:net';
import { createHmac, timingSafeEqual } from 'node:crypto';

/** One request as a webhook receiver saw it. */
export interface Received {
  id: string;
  timestamp: number;
  signature: string;
  body: string;
  json: any;
  /** Checked here with node:crypto directly, not with the code under test. */
  signatureValid: boolean;
  /** The status the receiver answered. */
  status: number;
  at: number;
}

/** Standard Webhooks verification written independently of src/: HMAC-SHA256 over "id.timestamp.body". */
export function verifyStandardWebhook(secret: string, id: string, timestamp: string, body: string, header: string): boolean {
  const key = secret.startsWith('whsec_') ? Buffer.from(secret.slice('whsec_'.length), 'base64') : Buffer.from(secret, 'utf8');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return header.split(' ').some((part) => {
    const [v, sig] = part.split(',');
    const given = Buffer.from(sig ?? '', 'base64');
    return v === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/** A free port on 127.0.0.1: bind port 0, read it, close. */
export function reservePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

type Responder = (r: Omit<Received, 'status' | 'at'>, seen: number) => number | Promise<number>;

/** A webhook receiver on 127.0.0.1 that records every request and answers what `respond` says (default 200). */
export class Receiver {
  readonly received: Received[] = [];
  private server: http.Server | undefined;
  respond: Responder = () => 200;

  /** Settable after construction, once the endpoint (and its secret) exists. */
  constructor(public secret: string) {}

  start(port = 0): Promise<number> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const id = String(req.headers['webhook-id'] ?? '');
        const timestamp = String(req.headers['webhook-timestamp'] ?? '');
        const signature = String(req.headers['webhook-signature'] ?? '');
        let json: unknown = null;
        try {
          json = JSON.parse(body);
        } catch {
          /* recorded as null */
        }
        const r = { id, timestamp: Number(timestamp), signature, body, json, signatureValid: verifyStandardWebhook(this.secret, id, timestamp, body, signature) };
        const seen = this.received.filter((x) => x.id === id).length;
        const status = await this.respond(r, seen);
        if (!res.writable || res.destroyed) return;
        this.received.push({ ...r, status, at: Date.now() });
        res.writeHead(status, status >= 300 && status < 400 ? { location: 'http://127.0.0.1:1/elsewhere' } : {});
        res.end(status < 300 ? 'ok' : 'no');
      });
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
    });
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Requests answered 2xx, first per webhook-id. */
  accepted(): Received[] {
    const seen = new Set<string>();
    return this.received.filter((r) => r.status < 300 && !seen.has(r.id) && seen.add(r.id));
  }
}

/** Polls `check` until it returns a truthy value, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T> | T, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
