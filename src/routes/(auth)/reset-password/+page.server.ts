// Sets a new password from an emailed reset link (valid one hour, once). Every session of the account ends.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { openLink, setPasswordFromForm } from '$lib/server/accounts/links';
import { endSession } from '$lib/server/auth/web';
import { db } from '$lib/server/context';

export const load: PageServerLoad = async ({ url }) => {
	const link = await openLink(db(), url.searchParams.get('token'), 'reset_password');
	return { token: link?.token ?? null };
};

export const actions: Actions = {
	default: async (event) => {
		const result = await setPasswordFromForm(db(), event.request, 'reset_password');
		if (result.failure) return result.failure;
		await endSession(event);
		redirect(303, '/sign-in?reset=1');
	}
};
