// Decides who the user is: the session cookie's token, checked against the database. Renewed sessions get
// a fresh cookie; a token that no longer opens a session is removed.
import type { Handle } from '@sveltejs/kit';
import { db } from '$lib/server/context';
import { deleteSessionCookie, setSessionCookie } from '$lib/server/auth/cookies';
import { SESSION_COOKIE, validateSessionToken } from '$lib/server/auth/session';

export const auth: Handle = async ({ event, resolve }) => {
	const token = event.cookies.get(SESSION_COOKIE);
	event.locals.user = null;
	event.locals.session = null;
	if (token) {
		const { session, user } = await validateSessionToken(db(), token);
		if (session) {
			setSessionCookie(event.cookies, event.url, token, session.expiresAt);
			event.locals.user = user;
			event.locals.session = session;
		} else {
			deleteSessionCookie(event.cookies, event.url);
		}
	}
	return resolve(event);
};
