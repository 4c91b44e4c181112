// Public: tells every page who is signed in (their own email, role and unread count only), for the navigation.
import type { LayoutServerLoad } from './$types';
import { db } from '$lib/server/context';
import { unreadCount } from '$lib/server/notifications/service';

export const load: LayoutServerLoad = async ({ locals }) => ({
	user: locals.user
		? {
				email: locals.user.email,
				role: locals.user.role,
				provinceCode: locals.user.provinceCode,
				emailVerified: locals.user.emailVerifiedAt !== null,
				unread: await unreadCount(db(), locals.user.id)
			}
		: null
});
