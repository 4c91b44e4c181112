// Request bodies: the pages' forms take at most 6 MB (a 5 MB attachment with its fields); the API sets its own,
// larger limit for exchange documents. adapter-node's BODY_SIZE_LIMIT is the outer bound for both. Runs inside the
// locale hook: the refusal is in the visitor's language.
import type { Handle } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';

export const PAGE_BODY_LIMIT = 6 * 1024 * 1024;

export const bodyLimit: Handle = async ({ event, resolve }) => {
	const declared = Number(event.request.headers.get('content-length') ?? 0);
	if (declared > PAGE_BODY_LIMIT && !event.url.pathname.startsWith('/api/'))
		return new Response(m.error_payload_too_large(), {
			status: 413,
			headers: { 'Content-Type': 'text/plain; charset=utf-8' }
		});
	return resolve(event);
};
