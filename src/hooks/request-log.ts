// One line per request: method, path (no query string: it may hold personal data), status, duration.
import type { Handle } from '@sveltejs/kit';

export const requestLog: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	const response = await resolve(event);
	if (event.url.pathname !== '/health' || response.status !== 200) {
		const ms = (performance.now() - started).toFixed(1);
		console.log(`${event.request.method} ${event.url.pathname} ${response.status} ${ms}ms`);
	}
	return response;
};
