// Starting and ending sessions from a request: cookie, rotation and the user's language.
import type { RequestEvent } from '@sveltejs/kit';
import { cookieMaxAge, cookieName } from '$lib/paraglide/runtime';
import { db } from '../context';
import { deleteSessionCookie, setSessionCookie } from './cookies';
import { createSession, generateSessionToken, invalidateSession } from './session';

/**
 * Signs the user in on this browser. Any session the browser already had is ended first, so a token
 * planted before sign-in (session fixation) never becomes an authenticated one.
 */
export async function startSession(
	event: Pick<RequestEvent, 'cookies' | 'url' | 'locals' | 'request' | 'getClientAddress'>,
	user: { id: string; locale: 'th' | 'en' }
): Promise<void> {
	if (event.locals.session) await invalidateSession(db(), event.locals.session.id);
	const token = generateSessionToken();
	const session = await createSession(db(), token, user.id, {
		userAgent: event.request.headers.get('user-agent'),
		ipAddress: event.getClientAddress()
	});
	setSessionCookie(event.cookies, event.url, token, session.expiresAt);
	rememberLocale(event, user.locale);
}

export async function endSession(event: Pick<RequestEvent, 'cookies' | 'url' | 'locals'>): Promise<void> {
	if (event.locals.session) await invalidateSession(db(), event.locals.session.id);
	deleteSessionCookie(event.cookies, event.url);
	event.locals.session = null;
	event.locals.user = null;
}

/** The language cookie the pages read (the same one the language switch sets). */
export function rememberLocale(event: Pick<RequestEvent, 'cookies' | 'url'>, locale: 'th' | 'en'): void {
	event.cookies.set(cookieName, locale, {
		path: '/',
		maxAge: cookieMaxAge,
		httpOnly: false,
		sameSite: 'lax',
		secure: event.url.protocol === 'https:'
	});
}
