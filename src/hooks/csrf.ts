// SvelteKit's cross-site form check (kit.csrf), kept here so that one route can be let through: a form post
// (POST, PUT, PATCH, DELETE with a form content type) whose Origin is not the portal's is refused with 403, as
// SvelteKit does, except the one-click unsubscribe of RFC 8058. Mail programs send that POST from their own servers,
// with no Origin and no form token; the signed, single-purpose token in its address is its whole authority, and all
// it can do is stop one saved search's alerts (alerts/unsubscribe.ts). svelte.config.js turns SvelteKit's own check
// off in favour of this one, which runs in development too.
import { text, type Handle } from '@sveltejs/kit';

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
	if (crossSiteForm(event.request, event.url)) {
		const message = `Cross-site ${event.request.method} form submissions are forbidden`;
		return event.request.headers.get('accept') === 'application/json'
			? Response.json({ message }, { status: 403 })
			: text(message, { status: 403 });
	}
	return resolve(event);
};
