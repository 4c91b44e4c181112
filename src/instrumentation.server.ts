// Run before the portal's own modules are imported (SvelteKit's instrumentation file, loaded first by adapter-node's
// build/index.js): tracing starts here when OTEL_EXPORTER_OTLP_ENDPOINT is set. Unset, nothing more is imported, and
// SvelteKit's spans and the portal's own go to OpenTelemetry's no-op tracer.
import { env } from '$lib/server/env';
import { startTracing } from '$lib/server/tracing/start';

let settings: ReturnType<typeof env>;
try {
	settings = env();
} catch (error) {
	// The start-up's own message (hooks.server.ts): one line naming the setting.
	console.error(`ตลาดนำการผลิต could not start: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
}
await startTracing(settings);
