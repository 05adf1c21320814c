/**
 * Imported first by src/main.ts: starts tracing (src/tracing.ts) before anything loads http, pg or
 * graphql, when OTEL_EXPORTER_OTLP_ENDPOINT is set; does nothing else.
 */
import { startTracing } from './tracing';

export const tracing = startTracing();
