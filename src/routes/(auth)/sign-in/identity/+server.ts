// The "sign in with ThaID / Digital ID / LINE" buttons post here: off to the provider, or back to the sign-in
// page with what went wrong. Public: it signs nobody in by itself.
import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { safePath } from '$lib/safe-path';
import { UserError } from '$lib/server/errors';
import { formValues, readForm } from '$lib/server/forms';
import { sendToProvider } from '$lib/server/identity/web';

export const POST: RequestHandler = async (event) => {
	const values = formValues(await readForm(event.request), ['provider', 'next']);
	let url: string;
	try {
		url = await sendToProvider(event, {
			provider: values.provider!,
			purpose: 'sign_in',
			next: safePath(values.next, event.url, '')
		});
	} catch (error) {
		if (!(error instanceof UserError)) throw error;
		redirect(303, `/sign-in?identity_error=${error.code}`);
	}
	redirect(303, url);
};
