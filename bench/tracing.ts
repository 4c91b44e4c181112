// `npm run bench -- tracing`: what SvelteKit's tracing costs a request, off and on. A request through the portal is a
// nest of SPANS_PER_REQUEST spans (the root, each of the 13 handles of the sequence, resolve, the loads; counted on a
// /search trace in tests/e2e/operations/tracing.e2e.ts), each made the way SvelteKit's record_span makes it. Three
// builds of that nest are timed: tracing compiled out (each span a direct call), compiled in with no collector (the
// portal's default: OpenTelemetry's API with no SDK, its no-op tracer), and on, with the SDK batching to a local
// OTLP receiver over HTTP. The figures are per request, in the process's own time; a page itself takes milliseconds.
import { context, propagation, trace, type Span } from '@opentelemetry/api';
import { startOtlpReceiver } from '../tests/helpers/otlp-receiver';

type Row = { measure: string; value: string };

const SPANS_PER_REQUEST = 20;
const REQUESTS = Number(process.env.BENCH_TRACING_REQUESTS ?? 20_000);

/** SvelteKit's own no-op span, for the compiled-out path (kit/src/runtime/telemetry/noop.js). */
const noopSpan = trace.wrapSpanContext({ traceId: '', spanId: '', traceFlags: 0 });

/** record_span as SvelteKit has it, with `otel` null (compiled out) or the API's promise (compiled in). */
function recordSpan(otel: Promise<typeof trace> | null) {
	return async <T>(name: string, fn: (span: Span) => Promise<T>): Promise<T> => {
		if (otel === null) return fn(noopSpan);
		const tracer = (await otel).getTracer('sveltekit');
		return tracer.startActiveSpan(
			name,
			{ attributes: { 'http.route': '/(public)/search' } },
			async (span) => {
				try {
					return await fn(span);
				} finally {
					span.end();
				}
			}
		);
	};
}

async function request(record: ReturnType<typeof recordSpan>, depth = SPANS_PER_REQUEST): Promise<number> {
	if (depth === 0) return 1;
	return record(`sveltekit.handle.sequenced.${depth}`, () => request(record, depth - 1));
}

async function perRequestMicroseconds(record: ReturnType<typeof recordSpan>): Promise<number> {
	for (let i = 0; i < 2_000; i++) await request(record);
	const started = process.hrtime.bigint();
	for (let i = 0; i < REQUESTS; i++) await request(record);
	return Number(process.hrtime.bigint() - started) / 1_000 / REQUESTS;
}

export async function tracingBench(): Promise<Row[]> {
	const out = await perRequestMicroseconds(recordSpan(null));
	const off = await perRequestMicroseconds(recordSpan(Promise.resolve(trace)));
	const receiver = await startOtlpReceiver();
	const { startSdk } = await import('../src/lib/server/tracing/sdk');
	const stop = startSdk({ endpoint: receiver.baseUrl, headers: {}, serviceName: 'bench', batchDelayMs: 200 });
	const on = await perRequestMicroseconds(recordSpan(Promise.resolve(trace)));
	await stop();
	await receiver.close();
	trace.disable();
	context.disable();
	propagation.disable();
	const row = (label: string, value: number) => ({
		measure: `${label}: per request (${SPANS_PER_REQUEST} spans), ${REQUESTS} requests`,
		value: `${value.toFixed(1)} µs (+${(value - out).toFixed(1)} µs)`
	});
	return [
		row('tracing compiled out', out),
		row('tracing compiled in, no collector (the default)', off),
		row('tracing on, batched to a local OTLP receiver', on),
		// The loop makes spans far faster than any real load: past the SDK's queue of 2,048 it drops them (as it would
		// under a flood), so the receiver takes a fraction. The cost above is the request's own either way.
		{
			measure: 'spans the receiver took (the rest dropped by the SDK queue)',
			value: String(receiver.spans.length)
		}
	];
}
