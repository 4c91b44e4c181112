// Under /api, every answer is JSON: what SvelteKit itself answers there (an unknown path, a method a route does
// not have, an error thrown outside a handler) is turned into the API's error object.
import type { Handle } from '@sveltejs/kit';
import { apiLocale, errorResponse, type ApiErrorCode } from '$lib/server/api/errors';

const CODES: Record<number, ApiErrorCode> = {
	400: 'invalid_parameters',
	401: 'token_missing',
	403: 'scope_missing',
	404: 'not_found',
	405: 'method_not_allowed',
	408: 'request_timeout',
	413: 'payload_too_large',
	415: 'unsupported_media_type',
	429: 'rate_limited',
	503: 'unavailable'
};

export const apiErrors: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (!event.url.pathname.startsWith('/api/') || response.status < 400) return response;
	if ((response.headers.get('content-type') ?? '').startsWith('application/json')) return response;
	const code = CODES[response.status] ?? 'server_error';
	const allow = response.headers.get('allow');
	return errorResponse(
		code,
		apiLocale(event.request.headers.get('accept-language')),
		code === 'method_not_allowed' ? { allowed: allow?.split(', ') ?? [] } : null,
		allow ? { Allow: allow } : {}
	);
};
