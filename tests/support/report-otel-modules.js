// Preloaded into a spawned server by tests/tracing.test.ts: on exit, prints how many
// @opentelemetry modules were loaded (0 when tracing is off).
process.on('exit', () => {
  const n = Object.keys(require.cache).filter((f) => f.includes(`${require('node:path').sep}@opentelemetry${require('node:path').sep}`)).length;
  process.stdout.write(`otel modules loaded: ${n}\n`);
});
