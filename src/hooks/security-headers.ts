// Headers every response carries. The Content-Security-Policy itself comes from svelte.config.js, which
// adds the hashes of SvelteKit's own inline scripts.
import type { Handle } from '@sveltejs/kit';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { providerFormOrigins } from '$lib/server/identity/providers';

export const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const headers = response.headers;
	headers.set('X-Content-Type-Options', 'nosniff');
	headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	headers.set('X-Frame-Options', 'DENY');
	headers.set('Cross-Origin-Opener-Policy', 'same-origin');
	headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
	const policy = headers.get('Content-Security-Policy');
	if (policy) {
		// The digital-identity buttons post to the portal, which redirects to the provider: browsers check that
		// redirect against form-action, so the configured providers' origins join 'self'.
		const origins = providerFormOrigins();
		if (origins.length > 0)
			headers.set(
				'Content-Security-Policy',
				policy.replace("form-action 'self'", `form-action 'self' ${origins.join(' ')}`)
			);
	} else {
		// Endpoints (JSON, CSV) get no CSP from SvelteKit; they must not be framed or run scripts either.
		headers.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
	}
	if (event.url.protocol === 'https:') {
		headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
	}
	// What a signed-in person is shown, and any answer that starts or ends a session, is theirs alone: no shared
	// cache (a proxy, the portal's own page cache) and no back-button copy on a shared computer may keep it.
	// Whatever the route asked for (a public page's max-age) gives way.
	if (event.locals.user || setsSessionCookie(headers)) headers.set('Cache-Control', 'private, no-store');
	return response;
};

function setsSessionCookie(headers: Headers): boolean {
	return headers.getSetCookie().some((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`));
}
