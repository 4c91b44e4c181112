// Remembers the chosen language in a cookie and returns to the page the visitor was on. A plain form
// post, so it works without JavaScript. A signed-in user's choice is also kept on the account, so their
// email arrives in it.
import { error, redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { m } from '$lib/paraglide/messages';
import { setLocale } from '$lib/server/accounts/service';
import { rememberLocale } from '$lib/server/auth/web';
import { db } from '$lib/server/context';
import { readForm } from '$lib/server/forms';
import { localeSchema } from '$lib/schemas/account';
import { safePath } from '$lib/safe-path';

export const POST: RequestHandler = async (event) => {
	const form = await readForm(event.request);
	const locale = localeSchema.safeParse(form.get('locale'));
	if (!locale.success) error(400, m.error_invalid_locale());
	rememberLocale(event, locale.data);
	if (event.locals.user) await setLocale(db(), event.locals.user.id, locale.data);
	redirect(303, safePath(form.get('redirectTo'), event.url));
};
