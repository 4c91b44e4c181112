// A startup's home: its organisation, its province's office, and what to do next.
import type { PageServerLoad } from './$types';
import { accountSummary } from '$lib/server/accounts/queries';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireRole(locals, 'startup');
	return { account: (await accountSummary(db(), user.id))!, welcome: url.searchParams.has('welcome') };
};
