// The signed-in user's notifications, newest first; opening the page marks them read.
import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { listNotifications, markAllRead } from '$lib/server/notifications/service';

export const load: PageServerLoad = async ({ locals }) => {
	const user = requireUser(locals);
	return { notifications: await listNotifications(db(), user.id) };
};

export const actions: Actions = {
	read: async ({ locals }) => {
		const user = requireUser(locals);
		await markAllRead(db(), user.id);
		return { read: true };
	}
};
