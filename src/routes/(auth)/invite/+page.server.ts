// An invited officer sets their password through the emailed link and is signed in to their office.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { homePathFor } from '$lib/roles';
import { openLink, setPasswordFromForm } from '$lib/server/accounts/links';
import { invitee } from '$lib/server/accounts/queries';
import { startSession } from '$lib/server/auth/web';
import { db } from '$lib/server/context';

export const load: PageServerLoad = async ({ url }) => {
	const link = await openLink(db(), url.searchParams.get('token'), 'invite');
	if (!link) return { token: null, invitee: null };
	return { token: link.token, invitee: await invitee(db(), link.userId) };
};

export const actions: Actions = {
	default: async (event) => {
		const result = await setPasswordFromForm(db(), event.request, 'invite');
		if (result.failure) return result.failure;
		await startSession(event, result.user);
		redirect(303, `${homePathFor(result.user)}?welcome=1`);
	}
};
