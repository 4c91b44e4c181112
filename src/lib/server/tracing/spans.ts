// The portal's own spans (search, the outboxes, background jobs), through OpenTelemetry's API. With tracing off no
// SDK is registered and the API's tracer does nothing: a span costs a function call and an object.
import { SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

const tracer = trace.getTracer('talad-nam-kan-phalit');

/**
 * Runs `work` in a span of its own, a child of the span active now (the request's, a job's) or a trace's root. A
 * failure marks the span and is thrown on. Attributes never hold a secret or personal data: the export removes
 * what looks like one (./redact.ts), but what is not put there cannot leak.
 */
export function traced<T>(
	name: string,
	attributes: Attributes,
	work: (span: Span) => Promise<T>
): Promise<T> {
	return tracer.startActiveSpan(name, { attributes }, async (span) => {
		try {
			return await work(span);
		} catch (error) {
			span.recordException(error instanceof Error ? error : String(error));
			span.setStatus({
				code: SpanStatusCode.ERROR,
				message: error instanceof Error ? error.message : undefined
			});
			throw error;
		} finally {
			span.end();
		}
	});
}
