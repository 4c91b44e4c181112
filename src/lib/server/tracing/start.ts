// Tracing's switch: on when OTEL_EXPORTER_OTLP_ENDPOINT is set, and only then is the OpenTelemetry SDK imported
// (./sdk.ts). Off, SvelteKit's spans and the portal's own (./spans.ts) go to the API's no-op tracer.
import type { Env } from '../env';

let stop: (() => Promise<void>) | undefined;

type TracingSettings = Pick<
	Env,
	| 'OTEL_EXPORTER_OTLP_ENDPOINT'
	| 'OTEL_EXPORTER_OTLP_HEADERS'
	| 'OTEL_SERVICE_NAME'
	| 'OTEL_BSP_SCHEDULE_DELAY'
>;

/** Starts the SDK once, when an endpoint is configured; says whether tracing is on. */
export async function startTracing(settings: TracingSettings): Promise<boolean> {
	const endpoint = settings.OTEL_EXPORTER_OTLP_ENDPOINT;
	if (!endpoint) return false;
	if (!stop) {
		const { startSdk } = await import('./sdk');
		stop = startSdk({
			endpoint,
			headers: settings.OTEL_EXPORTER_OTLP_HEADERS ?? {},
			serviceName: settings.OTEL_SERVICE_NAME,
			batchDelayMs: settings.OTEL_BSP_SCHEDULE_DELAY
		});
	}
	return true;
}

/** Sends the spans still waiting and stops the SDK (on shutdown); nothing when tracing is off. */
export async function stopTracing(): Promise<void> {
	const stopping = stop;
	stop = undefined;
	await stopping?.();
}
