// A database that cannot be reached (PostgreSQL down or restarting, the connection dropped) answers 503, "try
// again shortly", never 500. A page's own load fails with it: handleError notes it and this hook sets the status.
// The auth hook's session check fails with it before any page runs: this hook answers for it.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Handle, RequestEvent } from '@sveltejs/kit';
import { DatabaseUnavailableError } from '$lib/server/db';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';

const RETRY_AFTER_SECONDS = '5';
// Per request: SvelteKit hands handleError a copy of the request's event, so the note travels with the request's
// async context rather than with the event object.
const outage = new AsyncLocalStorage<{ database: boolean }>();

/** Called by handleError: the request being answered failed because the database could not be reached. */
export function noteUnavailable(): void {
	const state = outage.getStore();
	if (state) state.database = true;
}

export const unavailable: Handle = async ({ event, resolve }) => {
	const state = { database: false };
	let response: Response;
	try {
		response = await outage.run(state, () => resolve(event));
	} catch (error) {
		if (!(error instanceof DatabaseUnavailableError)) throw error;
		return unavailableResponse(event);
	}
	if (response.status !== 500 || !state.database) return response;
	const headers = new Headers(response.headers);
	headers.set('Retry-After', RETRY_AFTER_SECONDS);
	return new Response(response.body, { status: 503, headers });
};

/**
 * The answer when no page could run: the database cannot be reached, or (`busy`) the request waited too long for
 * its turn. Under /api a plain 503, which the API's error hook turns into its JSON error; elsewhere a minimal page
 * in the visitor's language (the full error page needs the layout, whose data comes from the database too).
 */
export function unavailableResponse(event: RequestEvent, reason: 'database' | 'busy' = 'database'): Response {
	const headers = { 'Retry-After': RETRY_AFTER_SECONDS, 'Cache-Control': 'no-store' };
	if (event.url.pathname.startsWith('/api/') || event.isDataRequest)
		return new Response('unavailable', {
			status: 503,
			headers: { ...headers, 'Content-Type': 'text/plain' }
		});
	return plainPage(
		503,
		m.error_unavailable_title(),
		reason === 'busy' ? m.error_busy_body() : m.error_unavailable_body(),
		headers
	);
}

/**
 * A minimal page in the visitor's language, for answers given before any page can run (the full error page needs
 * the layout, whose data comes from the database).
 */
export function plainPage(
	status: number,
	title: string,
	body: string,
	headers: Record<string, string>
): Response {
	const page = `<!doctype html>
<html lang="${getLocale()}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — ${escapeHtml(m.portal_name())}</title></head>
<body><main><p>${status}</p><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p>
<p><a href="/">${escapeHtml(m.error_back_home())}</a></p></main></body>
</html>`;
	return new Response(page, { status, headers: { ...headers, 'Content-Type': 'text/html; charset=utf-8' } });
}

const escapeHtml = (text: string) =>
	text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
