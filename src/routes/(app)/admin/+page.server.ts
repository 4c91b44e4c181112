// The administrators' start page: accounts at a glance, the way to the staff tools, and every province's
// referrals to partner agencies.
import type { PageServerLoad } from './$types';
import { accountCounts } from '$lib/server/accounts/queries';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { referralsForProvince } from '$lib/server/referrals/queries';

export const load: PageServerLoad = async ({ locals }) => {
	requireRole(locals, 'admin');
	return {
		counts: await accountCounts(db()),
		referrals: await referralsForProvince(db(), null)
	};
};
