// Each request's id: the one a proxy in front already gave it when it looks like one, otherwise a new one. The log
// entry, the X-Request-Id header and the error page all carry it.
import type { RequestEvent } from '@sveltejs/kit';

const ids = new WeakMap<Request, string>();

const PROXY_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Made on first use, so an error handler has one even for a request the logging hook never saw. */
export function requestIdOf(event: Pick<RequestEvent, 'request'>): string {
	let id = ids.get(event.request);
	if (!id) {
		const given = event.request.headers.get('x-request-id');
		id = given && PROXY_ID.test(given) ? given : crypto.randomUUID();
		ids.set(event.request, id);
	}
	return id;
}
