// Signing out of this browser, or of every browser and device at once.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { invalidateUserSessions } from '$lib/server/auth/session';
import { endSession } from '$lib/server/auth/web';
import { db } from '$lib/server/context';

export const load: PageServerLoad = async ({ locals }) => {
	requireUser(locals);
	return {};
};

export const actions: Actions = {
	here: async (event) => {
		requireUser(event.locals);
		await endSession(event);
		redirect(303, '/?signed-out=1');
	},
	everywhere: async (event) => {
		const user = requireUser(event.locals);
		await invalidateUserSessions(db(), user.id);
		await endSession(event);
		redirect(303, '/?signed-out=1');
	}
};
