// The administrators' start page: accounts at a glance, the way to the staff tools, and every province's
// referrals to partner agencies.
import { count } from 'drizzle-orm';
import type { PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { users } from '$lib/server/db/schema';
import { referralsForProvince } from '$lib/server/referrals/queries';

export const load: PageServerLoad = async ({ locals }) => {
	requireRole(locals, 'admin');
	const rows = await db()
		.select({ role: users.role, status: users.status, n: count() })
		.from(users)
		.groupBy(users.role, users.status);
	return { counts: rows, referrals: await referralsForProvince(db(), null) };
};
