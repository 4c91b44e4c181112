// One log entry per request: its id, method, route, path (without the query string, where reset and invitation
// tokens and search words travel, and with an unsubscribe link's token replaced), status and duration. The id goes
// back in X-Request-Id and onto the error page, so a user can quote it and an operator can find the entry; with
// tracing on, the entry carries its trace's id and the request's trace its id and status.
import type { Handle } from '@sveltejs/kit';
import { log } from '$lib/server/log';
import { countRequest } from '$lib/server/metrics/registry';
import { requestIdOf } from '$lib/server/request-id';
import { redactPath } from '$lib/server/secret-paths';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Anyone can send any method name: the rest are counted together, so a client cannot add labels. */
const methodLabel = (method: string) => (METHODS.has(method) ? method : 'OTHER');

export const requestLog: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	const requestId = requestIdOf(event);
	const response = await resolve(event);
	if (!response.headers.has('x-request-id')) {
		try {
			response.headers.set('X-Request-Id', requestId);
		} catch {
			// A response with immutable headers (a fetch passed through): it goes out without the id, still logged.
		}
	}
	// SvelteKit's root span has the route and the URL; the status is known only here. A no-op when tracing is off.
	event.tracing.root.setAttributes({
		'http.response.status_code': response.status,
		'portal.request_id': requestId
	});
	const seconds = (performance.now() - started) / 1000;
	countRequest(methodLabel(event.request.method), event.route.id, response.status, seconds);
	const quietHealth = event.url.pathname.startsWith('/health') && response.status === 200;
	if (!quietHealth) {
		const entry = {
			requestId,
			method: event.request.method,
			route: event.route.id,
			path: redactPath(event.url.pathname).slice(0, 300),
			status: response.status,
			ms: Math.round(seconds * 10_000) / 10
		};
		if (response.status >= 500) log().error(entry, 'request');
		else log().info(entry, 'request');
	}
	return response;
};
