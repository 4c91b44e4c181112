// The browser's side of an identity flow: the cookie that names it, and the trip to the provider.
import type { RequestEvent } from '@sveltejs/kit';
import { db } from '../context';
import { startIdentityFlow, SIGN_UP_LIFETIME_MS } from './service';

export const FLOW_COOKIE = 'identity_flow';

type Event = Pick<RequestEvent, 'cookies' | 'url' | 'getClientAddress'>;

/** Starts a flow and keeps its token in an httpOnly cookie; answers the provider's address to redirect to. */
export async function sendToProvider(
	event: Event,
	input: { provider: string; purpose: 'sign_in' | 'link' | 'invite'; userId?: string; next?: string }
): Promise<string> {
	const started = await startIdentityFlow(db(), {
		...input,
		origin: event.url.origin,
		address: event.getClientAddress()
	});
	// Lax: the provider's redirect back is a top-level GET, which carries it.
	event.cookies.set(FLOW_COOKIE, started.token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: event.url.protocol === 'https:',
		maxAge: SIGN_UP_LIFETIME_MS / 1000
	});
	return started.url;
}

export function flowToken(event: Pick<RequestEvent, 'cookies'>): string | undefined {
	return event.cookies.get(FLOW_COOKIE);
}

export function forgetFlow(event: Pick<RequestEvent, 'cookies' | 'url'>): void {
	event.cookies.delete(FLOW_COOKIE, { path: '/', secure: event.url.protocol === 'https:' });
}

const SHOWN_ERRORS = new Set([
	'identity_failed',
	'identity_unavailable',
	'identity_provider_unknown',
	'identity_taken',
	'identity_provider_linked',
	'identity_reauthenticate',
	'identity_sign_up_expired',
	'account_suspended',
	'token_invalid',
	'rate_limited'
]);

/** The error a failed identity flow sent the browser back with (`?identity_error=`), when it is one we name. */
export function identityErrorFrom(url: URL): string | null {
	const code = url.searchParams.get('identity_error');
	return code && SHOWN_ERRORS.has(code) ? code : null;
}
