// SvelteKit's cross-site form check (kit.csrf), kept here so that one route can be let through: a form post
// (POST, PUT, PATCH, DELETE with a form content type) whose Origin is not the portal's is refused with 403, as
// SvelteKit does, except the one-click unsubscribe of RFC 8058. Mail programs send that POST from their own servers,
// with no Origin and no form token; the signed, single-purpose token in its address is its whole authority, and all
// it can do is stop one saved search's alerts (alerts/unsubscribe.ts). svelte.config.js turns SvelteKit's own check
// off in favour of this one, which runs in development too. The refusal speaks the visitor's language: it runs
// inside the locale hook, and answers with the API's JSON error under /api.
import type { Handle } from '@sveltejs/kit';
import { plainPage } from './unavailable';
import { apiLocale, errorResponse } from '$lib/server/api/errors';
import { m } from '$lib/paraglide/messages';

const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** The unsubscribe page of one saved search; a POST there is its one-click unsubscribe. */
const ONE_CLICK_UNSUBSCRIBE = /^\/alerts\/unsubscribe\/[A-Za-z0-9._-]+$/;

function isForm(request: Request): boolean {
	const type = request.headers.get('content-type')?.split(';', 1)[0]!.trim().toLowerCase() ?? '';
	return FORM_TYPES.has(type);
}

/** Whether a request is a cross-site form submission the portal refuses. */
export function crossSiteForm(request: Request, url: URL): boolean {
	if (!UNSAFE.has(request.method) || !isForm(request)) return false;
	if (request.headers.get('origin') === url.origin) return false;
	return !(request.method === 'POST' && ONE_CLICK_UNSUBSCRIBE.test(url.pathname) && url.search === '');
}

export const csrf: Handle = async ({ event, resolve }) => {
	if (!crossSiteForm(event.request, event.url)) return resolve(event);
	const { request, url } = event;
	if (url.pathname.startsWith('/api/'))
		return errorResponse('cross_site_form', apiLocale(request.headers.get('accept-language')));
	const headers = { 'Cache-Control': 'no-store' };
	// A form enhanced by SvelteKit asks for JSON, and reads `message` as SvelteKit's own check sends it.
	if (request.headers.get('accept') === 'application/json')
		return Response.json({ message: m.error_cross_site_form_body() }, { status: 403, headers });
	return plainPage(403, m.error_cross_site_form_title(), m.error_cross_site_form_body(), headers);
};
