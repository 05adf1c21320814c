import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import { spawnSync } from 'node:child_process';
import { BUILT, gqlHttp, requireBuild, startServer } from './support/spawn-server';

/**
 * Tracing on the real start path (the compiled server, as `npm start` runs it): with
 * OTEL_EXPORTER_OTLP_ENDPOINT pointing at an OTLP/HTTP receiver in this test, a GraphQL request
 * over HTTP is exported as one trace holding its HTTP span, its GraphQL operation and resolver
 * spans and its PostgreSQL statements. Without the variable, nothing is sent and nothing of
 * OpenTelemetry is loaded. On the embedded database, with an API key made by the CLI beforehand.
 */
jest.setTimeout(240_000);

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: Record<string, unknown> }[];
}

/** A minimal OTLP/HTTP (JSON) trace receiver: keeps every span posted to /v1/traces. */
async function otlpReceiver() {
  const spans: OtlpSpan[] = [];
  const requests: { path: string; contentType?: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', contentType: req.headers['content-type'] });
      if (req.url === '/v1/traces' && req.headers['content-type']?.startsWith('application/json')) {
        const payload = JSON.parse(body) as { resourceSpans: { resource: unknown; scopeSpans: { spans: OtlpSpan[] }[] }[] };
        for (const rs of payload.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, requests, close: () => new Promise((r) => server.close(r)) };
}

const waitFor = async (cond: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
};

describe('tracing', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nps-tracing-'));
  let key = '';
  beforeAll(() => {
    // The CLI creates the embedded database (migrations: slow on a busy machine) and the key.
    requireBuild();
    const made = spawnSync(process.execPath, [path.join(BUILT, 'cli', 'apikey.js'), 'create', '--name', 'tracing-admin', '--role', 'ADMIN'], {
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir },
      encoding: 'utf8',
      timeout: 200_000,
    });
    expect([made.status, made.stderr]).toEqual([0, expect.anything()]);
    key = made.stdout.trim().split('\n').pop()!.trim(); // the key is the last line
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('exports a trace of a GraphQL request (HTTP, operation, resolvers, PostgreSQL) to the OTLP endpoint', async () => {
    const receiver = await otlpReceiver();
    const server = await startServer({ DATA_DIR: dataDir, SEED_DEMO: 'false', WEBHOOKS_ENABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '200', OTEL_SERVICE_NAME: 'nps-api-test' });
    try {
      expect(server.output()).toMatch(/"tracing":true/);
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'x-request-id': 'traced-1' },
        body: JSON.stringify({ query: '{ departments { code } npsSummary { responses } }' }),
      });
      expect(res.status).toBe(200);
      await fetch(server.url.replace('/graphql', '/healthz'));
      await waitFor(() => receiver.spans.some((s) => s.name.startsWith('graphql.resolve')) && receiver.spans.some((s) => s.name.startsWith('pg.query')), 15_000);
    } finally {
      expect(await server.stop()).toBe(0);
      await receiver.close();
    }
    const http = receiver.spans.find((s) => s.attributes.some((a) => a.key === 'http.request_id' && a.value.stringValue === 'traced-1'));
    expect(http).toBeDefined();
    const trace = receiver.spans.filter((s) => s.traceId === http!.traceId);
    const names = trace.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['graphql.parse', 'graphql.validate', 'query']));
    expect(names.filter((n) => n.startsWith('graphql.resolve')).length).toBeGreaterThanOrEqual(2);
    expect(names.some((n) => n.startsWith('pg.query'))).toBe(true);
    // Every span of the trace hangs from the HTTP span.
    const ids = new Set(trace.map((s) => s.spanId));
    for (const s of trace) if (s !== http) expect(ids.has(s.parentSpanId!)).toBe(true);
    // Probes are not traced.
    expect(receiver.spans.some((s) => s.attributes.some((a) => String(a.value.stringValue ?? '').includes('/healthz')))).toBe(false);
  });

  it('is off without OTEL_EXPORTER_OTLP_ENDPOINT: nothing of OpenTelemetry is loaded (metrics off too: prom-client, which loads its API, is not either)', async () => {
    const server = await startServer({ DATA_DIR: dataDir, SEED_DEMO: 'false', WEBHOOKS_ENABLED: 'false', NODE_OPTIONS: `--require ${path.join(__dirname, 'support', 'report-otel-modules.js')}` });
    try {
      expect(server.output()).toMatch(/"tracing":false/);
      expect((await gqlHttp(server.url, key, '{ departments { code } }')).status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(server.output()).toMatch(/otel modules loaded: 0\b/);
  });
});
