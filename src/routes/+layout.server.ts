// Public: tells every page who is signed in (their own email and role only), for the navigation.
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => ({
	user: locals.user
		? {
				email: locals.user.email,
				role: locals.user.role,
				provinceCode: locals.user.provinceCode,
				emailVerified: locals.user.emailVerifiedAt !== null
			}
		: null
});
