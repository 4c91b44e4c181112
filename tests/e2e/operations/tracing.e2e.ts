// Tracing as an operator meets it. The walks' server sends its traces to a local OTLP receiver (playwright.config.ts,
// tests/helpers/otlp-receiver.ts) and writes its log to a file: a request is one trace, with SvelteKit's root span
// (route, status, request id), the portal's own spans under it and the trace's id in the request's log line; no
// secret or address reaches a span. And with no collector configured, the server never loads the OpenTelemetry SDK.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { E2E_OTLP_PORT, E2E_WALKS_LOG, unique } from '../fixtures';
import type { ReceivedSpan } from '../../helpers/otlp-receiver';

const hex = (bytes: number) => crypto.randomBytes(bytes).toString('hex');

/** A request sent in a trace of our own (W3C traceparent, sampled), as a proxy in front of the portal would. */
function inTrace() {
	const traceId = hex(16);
	const parentId = hex(8);
	return { traceId, parentId, headers: { traceparent: `00-${traceId}-${parentId}-01` } };
}

/** The trace's spans once the root span has arrived (the server sends every 200 ms). */
async function spansOf(request: APIRequestContext, traceId: string): Promise<ReceivedSpan[]> {
	let spans: ReceivedSpan[] = [];
	await expect
		.poll(
			async () => {
				const answer = await request.get(`http://127.0.0.1:${E2E_OTLP_PORT}/__test/spans?trace=${traceId}`);
				spans = (await answer.json()) as ReceivedSpan[];
				return spans.some((span) => span.name === 'sveltekit.handle.root');
			},
			{ timeout: 15_000 }
		)
		.toBe(true);
	return spans;
}

/** The server's log lines that carry this request id. */
function logLinesOf(requestId: string): Record<string, unknown>[] {
	return fs
		.readFileSync(E2E_WALKS_LOG, 'utf8')
		.split('\n')
		.filter((line) => line.startsWith('{') && line.includes(requestId))
		.map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Whether `span` descends from `ancestor` within the trace. */
function descendsFrom(span: ReceivedSpan, ancestor: ReceivedSpan, spans: ReceivedSpan[]): boolean {
	const byId = new Map(spans.map((s) => [s.spanId, s]));
	for (let at = span.parentSpanId; at; at = byId.get(at)?.parentSpanId ?? null) {
		if (at === ancestor.spanId) return true;
	}
	return false;
}

test('a search is one trace: the root span with route and status, the search and Meilisearch under it, its id in the log line', async ({
	request
}) => {
	const { traceId, parentId, headers } = inTrace();
	const answer = await request.get(`/search?q=${encodeURIComponent(`ข้าวหอม ${unique()}`)}`, { headers });
	expect(answer.status()).toBe(200);
	const requestId = answer.headers()['x-request-id']!;

	const spans = await spansOf(request, traceId);
	const root = spans.find((span) => span.name === 'sveltekit.handle.root')!;
	// The proxy's trace goes on: the root span's parent is the one named in traceparent.
	expect(root.parentSpanId).toBe(parentId);
	expect(root.attributes).toMatchObject({
		'http.route': '/(public)/search',
		'http.method': 'GET',
		'http.response.status_code': 200,
		'portal.request_id': requestId
	});
	expect(root.resource['service.name']).toBe('talad-nam-kan-phalit');
	// SvelteKit's spans for each handle of the sequence and the page's load, and the portal's own under them.
	const names = spans.map((span) => span.name);
	expect(names).toEqual(expect.arrayContaining(['sveltekit.handle.sequenced.requestLog', 'sveltekit.load']));
	const search = spans.find((span) => span.name === 'search')!;
	expect(search.scope).toBe('talad-nam-kan-phalit');
	expect(search.attributes['portal.search.engine']).toBe('meili');
	expect(typeof search.attributes['portal.search.total']).toBe('number');
	expect(descendsFrom(search, root, spans)).toBe(true);
	const meilisearch = spans.find((span) => span.name === 'meilisearch.search')!;
	expect(meilisearch.parentSpanId).toBe(search.spanId);
	// The words searched for are in no span.
	expect(JSON.stringify(spans)).not.toContain('ข้าวหอม');

	// The request's log line carries the trace, so an operator goes from one to the other.
	const [line] = logLinesOf(requestId).filter((entry) => entry.msg === 'request');
	expect(line).toMatchObject({ route: '/(public)/search', status: 200, trace_id: traceId });
	expect(spans.map((span) => span.spanId)).toContain(line!.span_id);
});

test('no secret or address reaches a span: unsubscribe tokens, query strings, form fields', async ({
	request,
	baseURL
}) => {
	const token = `tok${hex(24)}`;
	const email = `someone.${unique()}@example.org`;
	const unsubscribe = inTrace();
	const page = await request.get(`/alerts/unsubscribe/${token}?token=${token}&email=${email}`, {
		headers: unsubscribe.headers
	});
	expect(page.status()).toBe(200);
	const signIn = inTrace();
	const refused = await request.post('/sign-in', {
		// As a browser posts it: asked for HTML, SvelteKit answers with the page and the failure's status.
		headers: { ...signIn.headers, origin: baseURL!, accept: 'text/html' },
		form: { email, password: `pw-${token}` },
		maxRedirects: 0
	});
	// Refused (no such account), with the address and password in the form.
	expect(refused.status()).toBe(400);

	const unsubscribeSpans = await spansOf(request, unsubscribe.traceId);
	const signInSpans = await spansOf(request, signIn.traceId);
	const root = unsubscribeSpans.find((span) => span.name === 'sveltekit.handle.root')!;
	expect(root.attributes['http.route']).toBe('/(public)/alerts/unsubscribe/[token]');
	expect(root.attributes['http.url']).toBe(`${baseURL}/alerts/unsubscribe/[redacted]`);
	expect(signInSpans.find((span) => span.name === 'sveltekit.form_action')?.attributes).toMatchObject({
		'sveltekit.form_action.result.type': 'failure',
		'sveltekit.form_action.result.status': 400
	});
	for (const spans of [unsubscribeSpans, signInSpans]) {
		const everything = JSON.stringify(spans);
		expect(everything).not.toContain(token);
		expect(everything).not.toContain(email);
	}
	// The log redacts the path the same way.
	const requestId = page.headers()['x-request-id']!;
	expect(logLinesOf(requestId).find((entry) => entry.msg === 'request')).toMatchObject({
		path: '/alerts/unsubscribe/[redacted]'
	});
	expect(fs.readFileSync(E2E_WALKS_LOG, 'utf8')).not.toContain(token);
});

/**
 * The production build started as `npm start` starts it, with every module it loads recorded (Node's module hooks),
 * and stopped by its own start-up check once the server's code is loaded: a database nobody listens on.
 */
function modulesLoaded(extraEnv: Record<string, string>): Promise<{ modules: string[]; output: string }> {
	const recorder = [
		"import { registerHooks } from 'node:module';",
		"import { writeSync } from 'node:fs';",
		'const seen = new Set();',
		'registerHooks({ load(url, context, next) { seen.add(url); return next(url, context); } });',
		"process.on('exit', () => writeSync(2, '\\nMODULES ' + JSON.stringify([...seen]) + '\\n'));"
	].join('\n');
	const child = spawn(
		process.execPath,
		['--import', `data:text/javascript,${encodeURIComponent(recorder)}`, path.resolve('build/index.js')],
		{
			env: {
				PATH: process.env.PATH,
				NODE_ENV: 'production',
				DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
				MEILI_URL: 'http://127.0.0.1:1',
				MEILI_MASTER_KEY: 'a-master-key-nobody-uses',
				...extraEnv
			},
			stdio: ['ignore', 'pipe', 'pipe']
		}
	);
	let output = '';
	child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
	return new Promise((resolve) =>
		child.on('exit', () => {
			const line = output.split('\n').find((text) => text.startsWith('MODULES '));
			resolve({ modules: line ? (JSON.parse(line.slice(8)) as string[]) : [], output });
		})
	);
}

const SDK = /\/@opentelemetry\/(sdk-trace|exporter-trace-otlp-http|context-async-hooks|resources)\//;

test('without a collector the server never loads the OpenTelemetry SDK; with one, it does', async () => {
	const [off, on] = await Promise.all([
		modulesLoaded({}),
		modulesLoaded({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' })
	]);
	for (const run of [off, on]) {
		// Both got as far as the server's start-up: its hooks and everything they import were loaded.
		expect(run.output).toContain('could not start');
		expect(run.modules.some((url) => url.includes('/build/server/chunks/entries/hooks.server'))).toBe(true);
	}
	// The API is there either way (SvelteKit's spans go to its no-op tracer); the SDK only with a collector.
	expect(off.modules.some((url) => url.includes('/@opentelemetry/api/'))).toBe(true);
	expect(off.modules.filter((url) => SDK.test(url))).toEqual([]);
	expect(on.modules.filter((url) => SDK.test(url)).length).toBeGreaterThan(0);
});
