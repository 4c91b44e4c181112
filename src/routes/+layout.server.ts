// Public: tells every page who is signed in (their own email, role, unread count and consents to renew only), for
// the navigation.
import type { LayoutServerLoad } from './$types';
import { db } from '$lib/server/context';
import { unreadCount } from '$lib/server/notifications/service';
import { currentConsents } from '$lib/server/privacy/consents';

export const load: LayoutServerLoad = async ({ locals }) => ({
	user: locals.user
		? {
				email: locals.user.email,
				role: locals.user.role,
				provinceCode: locals.user.provinceCode,
				emailVerified: locals.user.emailVerifiedAt !== null,
				unread: await unreadCount(db(), locals.user.id),
				// Consents given under an older privacy notice: every page asks for them to be renewed or withdrawn.
				consentsToRenew: (await currentConsents(db(), locals.user.id)).filter((c) => c.stale).length
			}
		: null
});
