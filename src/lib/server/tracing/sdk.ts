// The OpenTelemetry SDK, imported only when OTEL_EXPORTER_OTLP_ENDPOINT is set (./start.ts). Spans are kept in a
// batch and sent over OTLP/HTTP (JSON) to the collector, with secrets and personal data taken out first
// (./redact.ts); the trace context of an incoming request (W3C `traceparent`) is followed, so a proxy's trace goes on.
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { setGlobalErrorHandler, W3CTraceContextPropagator, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
	BatchSpanProcessor,
	TracerProvider,
	type ReadableSpan,
	type SpanExporter
} from '@opentelemetry/sdk-trace';
import { log } from '../log';
import { redactAttributes, redactText } from './redact';

export interface SdkSettings {
	/** The collector's base URL; spans go to `<endpoint>/v1/traces`. */
	endpoint: string;
	headers: Record<string, string>;
	serviceName: string;
	/** How long spans wait to be sent together. */
	batchDelayMs: number;
}

/** A span as it leaves the process: its attributes, events and status message cleaned (./redact.ts). */
export function redactSpan(span: ReadableSpan): ReadableSpan {
	return {
		name: span.name,
		kind: span.kind,
		spanContext: () => span.spanContext(),
		parentSpanContext: span.parentSpanContext,
		startTime: span.startTime,
		endTime: span.endTime,
		status: span.status.message ? { ...span.status, message: redactText(span.status.message) } : span.status,
		attributes: redactAttributes(span.attributes),
		links: span.links,
		events: span.events.map((event) =>
			event.attributes ? { ...event, attributes: redactAttributes(event.attributes) } : event
		),
		duration: span.duration,
		ended: span.ended,
		resource: span.resource,
		instrumentationScope: span.instrumentationScope,
		droppedAttributesCount: span.droppedAttributesCount,
		droppedEventsCount: span.droppedEventsCount,
		droppedLinksCount: span.droppedLinksCount
	};
}

/** Cleans each batch on its way to the exporter: off the request's path, in the batch's own turn. */
export function redactingExporter(exporter: SpanExporter): SpanExporter {
	return {
		export: (spans: ReadableSpan[], done: (result: ExportResult) => void) =>
			exporter.export(spans.map(redactSpan), done),
		shutdown: () => exporter.shutdown(),
		forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve()
	};
}

/** Registers the SDK as the process's tracer; returns what sends the last spans and stops it. */
export function startSdk(settings: SdkSettings): () => Promise<void> {
	const exporter = new OTLPTraceExporter({
		url: `${settings.endpoint.replace(/\/+$/, '')}/v1/traces`,
		headers: settings.headers
	});
	const provider = new TracerProvider({
		resource: defaultResource().merge(resourceFromAttributes({ 'service.name': settings.serviceName })),
		spanProcessors: [
			new BatchSpanProcessor({
				exporter: redactingExporter(exporter),
				scheduledDelayMillis: settings.batchDelayMs
			})
		]
	});
	// A collector that cannot be reached costs spans, never a request: it is said in the log.
	setGlobalErrorHandler((error) => log().warn({ component: 'tracing', err: error }, 'traces not sent'));
	context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
	propagation.setGlobalPropagator(new W3CTraceContextPropagator());
	trace.setGlobalTracerProvider(provider);
	// The collector's origin only: a URL may carry a user and password.
	log().info({ component: 'tracing', collector: new URL(settings.endpoint).origin }, 'Tracing on');
	return () => provider.shutdown();
}
