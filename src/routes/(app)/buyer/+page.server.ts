// A buyer's home: its organisation and what to do next.
import type { PageServerLoad } from './$types';
import { accountSummary } from '$lib/server/accounts/queries';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireRole(locals, 'buyer');
	return { account: (await accountSummary(db(), user.id))!, welcome: url.searchParams.has('welcome') };
};
