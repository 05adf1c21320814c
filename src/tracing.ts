/**
 * OpenTelemetry tracing, on only when OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set: spans of incoming HTTP requests, GraphQL parse,
 * validate, execute and resolvers (root fields and their children), and PostgreSQL statements,
 * exported over OTLP/HTTP (JSON) in batches. Otherwise nothing of OpenTelemetry is even loaded.
 *
 * The instrumentations patch modules when they are first required, so this must run before
 * anything loads http, pg or graphql: src/main.ts imports it first.
 */
import type { Span } from '@opentelemetry/api';

export interface Tracing {
  /** Ends the batch processor: the spans still queued are sent. */
  shutdown(): Promise<void>;
}

/** Incoming requests that are not traced: probes and scrapes. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** Resolver spans below this depth are not made (a list of 1,000 rows would make thousands of spans). */
export const RESOLVER_SPAN_DEPTH = 2;

let started: Tracing | null = null;

export function startTracing(env: NodeJS.ProcessEnv = process.env): Tracing | null {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return null;
  if (started) return started;
  // Loaded here, not imported at the top: without the endpoint none of it is loaded (no cost).
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { NodeTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { GraphQLInstrumentation } = require('@opentelemetry/instrumentation-graphql') as typeof import('@opentelemetry/instrumentation-graphql');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  /* eslint-enable @typescript-eslint/no-require-imports */

  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? 'nps-api' }),
    // The exporter reads OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT and _HEADERS; the processor OTEL_BSP_*.
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has((req.url ?? '').split('?')[0]),
        // The request id (x-request-id) on the HTTP span: traces and log lines meet on it.
        applyCustomAttributesOnSpan: (span: Span, _req, res) => {
          const id = 'getHeader' in res ? res.getHeader('x-request-id') : undefined;
          if (typeof id === 'string') span.setAttribute('http.request_id', id);
        },
      }),
      new GraphQLInstrumentation({ depth: RESOLVER_SPAN_DEPTH, mergeItems: true, ignoreTrivialResolveSpans: true }),
      // Statements only, never their parameters (enhancedDatabaseReporting off).
      new PgInstrumentation({ enhancedDatabaseReporting: false }),
    ],
  });
  started = { shutdown: () => provider.shutdown() };
  return started;
}
