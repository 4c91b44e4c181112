// An invited officer sets their password through the emailed link and is signed in to their office, or, when
// the invitation asks for a verified digital identity, accepts it by signing in with one.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { homePathFor } from '$lib/roles';
import { openLink, setPasswordFromForm } from '$lib/server/accounts/links';
import { invitee } from '$lib/server/accounts/queries';
import { startSession } from '$lib/server/auth/web';
import { db } from '$lib/server/context';
import { UserError } from '$lib/server/errors';
import { formValues, readForm, userFailure } from '$lib/server/forms';
import { configuredProviders } from '$lib/server/identity/providers';
import { sendToProvider } from '$lib/server/identity/web';

export const load: PageServerLoad = async ({ url }) => {
	const link = await openLink(db(), url.searchParams.get('token'), 'invite');
	const identityProviders = configuredProviders();
	if (!link) return { token: null, invitee: null, identityProviders };
	return { token: link.token, invitee: await invitee(db(), link.userId), identityProviders };
};

export const actions: Actions = {
	password: async (event) => {
		const result = await setPasswordFromForm(db(), event.request, 'invite');
		if (result.failure) return result.failure;
		await startSession(event, result.user);
		redirect(303, `${homePathFor(result.user)}?welcome=1`);
	},
	identity: async (event) => {
		const values = formValues(await readForm(event.request), ['token', 'provider']);
		const link = await openLink(db(), values.token, 'invite');
		if (!link) return userFailure(new UserError('token_invalid', 'the invitation link is invalid'), {});
		let url: string;
		try {
			url = await sendToProvider(event, {
				provider: values.provider!,
				purpose: 'invite',
				userId: link.userId
			});
		} catch (error) {
			return userFailure(error, {});
		}
		redirect(303, url);
	}
};
