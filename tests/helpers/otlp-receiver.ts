// A local OpenTelemetry collector for tests, over real HTTP: it takes what an OTLP/HTTP trace exporter sends
// (POST /v1/traces, an ExportTraceServiceRequest in OTLP's JSON encoding, gzip or not) and decodes it as the OTLP
// specification says: field names in lowerCamelCase, trace and span ids in hex, 64-bit integers as strings or
// numbers, attribute values as AnyValue, unknown fields ignored. A good request is answered 200 with an
// ExportTraceServiceResponse; a body that is not one gets 400, another content type 415 (this receiver does not
// read the protobuf encoding). Spans are kept flat, with their resource and scope; GET /__test/spans?trace=<id>
// lists them for a test in another process (the browser walks).
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { answerJson, serverWithBodies } from './json-server';

export interface ReceivedSpan {
	traceId: string;
	spanId: string;
	/** null for a trace's root (or a span whose parent is in another process). */
	parentSpanId: string | null;
	name: string;
	kind: number;
	startTimeUnixNano: string;
	endTimeUnixNano: string;
	attributes: Record<string, unknown>;
	events: { name: string; attributes: Record<string, unknown> }[];
	status: { code: number; message: string | null };
	resource: Record<string, unknown>;
	scope: string;
}

export interface LocalOtlpReceiver {
	baseUrl: string;
	spans: ReceivedSpan[];
	/** The Content-Type of every export request accepted. */
	contentTypes: string[];
	close(): Promise<void>;
}

/** The most spans kept: the walks' server is traced throughout, and only the newest are asked for. */
const KEPT = 50_000;

class BadRequest extends Error {}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

function list(value: unknown, what: string): unknown[] {
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value)) throw new BadRequest(`${what} must be an array`);
	return value;
}

function hexId(value: unknown, bytes: number, what: string, optional = false): string | null {
	if (optional && (value === undefined || value === '')) return null;
	if (typeof value !== 'string' || !new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(value))
		throw new BadRequest(`${what} must be ${bytes} bytes in hex`);
	if (/^0+$/.test(value)) throw new BadRequest(`${what} must not be all zeros`);
	return value.toLowerCase();
}

function uint64(value: unknown, what: string): string {
	if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return String(value);
	if (typeof value === 'string' && /^\d+$/.test(value)) return value;
	throw new BadRequest(`${what} must be a 64-bit unsigned integer`);
}

function anyValue(value: unknown): unknown {
	if (!isObject(value)) throw new BadRequest('an attribute value must be an AnyValue');
	if ('stringValue' in value) return String(value.stringValue);
	if ('boolValue' in value) return Boolean(value.boolValue);
	if ('intValue' in value) {
		const int = value.intValue;
		if (typeof int === 'number' && Number.isInteger(int)) return int;
		if (typeof int === 'string' && /^-?\d+$/.test(int)) return Number(int);
		throw new BadRequest('intValue must be an integer');
	}
	if ('doubleValue' in value) return Number(value.doubleValue);
	if ('arrayValue' in value) {
		const array = value.arrayValue;
		return list(isObject(array) ? array.values : undefined, 'arrayValue.values').map(anyValue);
	}
	if ('kvlistValue' in value) {
		const kvlist = value.kvlistValue;
		return keyValues(isObject(kvlist) ? kvlist.values : undefined);
	}
	if ('bytesValue' in value) return Buffer.from(String(value.bytesValue), 'base64').toString('hex');
	return null;
}

function keyValues(value: unknown): Record<string, unknown> {
	const result: Record<string, unknown> = {};
	for (const item of list(value, 'attributes')) {
		if (!isObject(item) || typeof item.key !== 'string') throw new BadRequest('an attribute must have a key');
		result[item.key] = anyValue(item.value);
	}
	return result;
}

/** An ExportTraceServiceRequest, decoded. */
export function decodeExportRequest(body: unknown): ReceivedSpan[] {
	if (!isObject(body)) throw new BadRequest('the body must be an ExportTraceServiceRequest');
	const spans: ReceivedSpan[] = [];
	for (const resourceSpans of list(body.resourceSpans, 'resourceSpans')) {
		if (!isObject(resourceSpans)) throw new BadRequest('resourceSpans must hold objects');
		const resource = keyValues(
			isObject(resourceSpans.resource) ? resourceSpans.resource.attributes : undefined
		);
		for (const scopeSpans of list(resourceSpans.scopeSpans, 'scopeSpans')) {
			if (!isObject(scopeSpans)) throw new BadRequest('scopeSpans must hold objects');
			const scope =
				isObject(scopeSpans.scope) && typeof scopeSpans.scope.name === 'string' ? scopeSpans.scope.name : '';
			for (const span of list(scopeSpans.spans, 'spans')) {
				if (!isObject(span) || typeof span.name !== 'string') throw new BadRequest('a span must have a name');
				const status = isObject(span.status) ? span.status : {};
				spans.push({
					traceId: hexId(span.traceId, 16, 'traceId')!,
					spanId: hexId(span.spanId, 8, 'spanId')!,
					parentSpanId: hexId(span.parentSpanId, 8, 'parentSpanId', true),
					name: span.name,
					kind: typeof span.kind === 'number' ? span.kind : 0,
					startTimeUnixNano: uint64(span.startTimeUnixNano, 'startTimeUnixNano'),
					endTimeUnixNano: uint64(span.endTimeUnixNano, 'endTimeUnixNano'),
					attributes: keyValues(span.attributes),
					events: list(span.events, 'events').map((event) => {
						if (!isObject(event)) throw new BadRequest('an event must be an object');
						return {
							name: typeof event.name === 'string' ? event.name : '',
							attributes: keyValues(event.attributes)
						};
					}),
					status: {
						code: typeof status.code === 'number' ? status.code : 0,
						message: typeof status.message === 'string' ? status.message : null
					},
					resource,
					scope
				});
			}
		}
	}
	return spans;
}

function gunzip(raw: Buffer): Buffer {
	try {
		return gunzipSync(raw);
	} catch (error) {
		throw new BadRequest(`the body is not gzip: ${(error as Error).message}`);
	}
}

export async function startOtlpReceiver({ port = 0 }: { port?: number } = {}): Promise<LocalOtlpReceiver> {
	const state: LocalOtlpReceiver = {
		baseUrl: '',
		spans: [],
		contentTypes: [],
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
	const server = serverWithBodies((request, response, body) => {
		const url = new URL(request.url ?? '/', 'http://receiver');
		if (request.method === 'GET' && url.pathname === '/__test/spans') {
			const trace = url.searchParams.get('trace');
			return answerJson(
				response,
				200,
				trace ? state.spans.filter((span) => span.traceId === trace) : state.spans
			);
		}
		if (request.method !== 'POST' || url.pathname !== '/v1/traces') return answerJson(response, 404, {});
		const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim();
		if (contentType !== 'application/json')
			return answerJson(response, 415, { code: 3, message: 'only the JSON encoding is read here' });
		try {
			let raw: Buffer = body;
			if (request.headers['content-encoding'] === 'gzip') raw = gunzip(raw);
			const spans = decodeExportRequest(JSON.parse(raw.toString('utf8')));
			state.contentTypes.push(contentType);
			state.spans.push(...spans);
			if (state.spans.length > KEPT) state.spans.splice(0, state.spans.length - KEPT);
			// ExportTraceServiceResponse: everything accepted (no partial_success).
			answerJson(response, 200, {});
		} catch (error) {
			if (!(error instanceof BadRequest || error instanceof SyntaxError)) throw error;
			answerJson(response, 400, { code: 3, message: error.message });
		}
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve());
	});
	state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return state;
}
