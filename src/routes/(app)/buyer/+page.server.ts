// A buyer's home: its demands, the offers they drew, and the value of the deals made.
import type { PageServerLoad } from './$types';
import { accountSummary } from '$lib/server/accounts/queries';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { buyerDemands } from '$lib/server/demands/queries';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireRole(locals, 'buyer');
	const [account, demands] = await Promise.all([
		accountSummary(db(), user.id),
		user.organisationId ? buyerDemands(db(), user.organisationId) : []
	]);
	return {
		account: account!,
		welcome: url.searchParams.has('welcome'),
		demands,
		dealValue: demands.reduce((sum, d) => sum + d.dealValue, 0)
	};
};
