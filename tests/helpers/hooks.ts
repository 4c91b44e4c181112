// A request through the portal's real `handle` (compression, log, security headers, API errors, locale, auth),
// in the request store SvelteKit runs hooks in (`sequence` reads it), with tracing off: for tests of what every
// answer carries, whatever the route answered.
import { INVALID_SPAN_CONTEXT, trace } from '@opentelemetry/api';
import { handle } from '../../src/hooks.server';
import { routeEvent } from './route-event';

/** A module of SvelteKit's own, outside its typed API: how it runs hooks and builds a page's CSP. */
export const kitInternal = <T>(specifier: string) => import(/* @vite-ignore */ specifier) as Promise<T>;

export async function throughHooks(
	url: string,
	response: () => Response,
	{ init, cookies }: { init?: RequestInit; cookies?: Record<string, string> } = {}
): Promise<Response> {
	// The span SvelteKit gives hooks when no tracer is registered: OpenTelemetry's non-recording one.
	const span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
	const event = {
		...routeEvent({ locals: { user: null, session: null }, method: 'GET', cookies }),
		request: new Request(url, init),
		url: new URL(url),
		locals: {} as App.Locals,
		route: { id: null },
		tracing: { enabled: false, root: span, current: span }
	};
	const state = { tracing: { record_span: ({ fn }: { fn: (s: object) => unknown }) => fn(span) } };
	const input = { event, resolve: async () => response() } as unknown as Parameters<typeof handle>[0];
	const { with_request_store } = await kitInternal<{
		with_request_store: <T>(store: unknown, fn: () => T) => T;
	}>('@sveltejs/kit/internal/server');
	return with_request_store({ event, state }, () => handle(input));
}
