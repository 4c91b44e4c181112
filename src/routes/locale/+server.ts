// Remembers the chosen language in a cookie and returns to the page the visitor was on. A plain form
// post, so it works without JavaScript.
import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { RequestHandler } from './$types';
import { m } from '$lib/paraglide/messages';
import { cookieMaxAge, cookieName, locales } from '$lib/paraglide/runtime';

const localeForm = z.object({
	locale: z.enum(locales),
	// Only a path on this site: "//evil.example" or "https://…" would make this an open redirect.
	redirectTo: z
		.string()
		.max(2000)
		.regex(/^\/(?![/\\])/)
		.catch('/')
});

export const POST: RequestHandler = async ({ request, cookies, url }) => {
	const form = await request.formData().catch(() => new FormData());
	const parsed = localeForm.safeParse({
		locale: form.get('locale'),
		redirectTo: form.get('redirectTo') ?? '/'
	});
	if (!parsed.success) error(400, m.error_invalid_locale());
	cookies.set(cookieName, parsed.data.locale, {
		path: '/',
		maxAge: cookieMaxAge,
		httpOnly: false,
		sameSite: 'lax',
		secure: url.protocol === 'https:'
	});
	redirect(303, parsed.data.redirectTo);
};
