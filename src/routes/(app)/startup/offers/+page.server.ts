// A startup's offers and where each stands.
import type { PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { startupOffers } from '$lib/server/demands/queries';

export const load: PageServerLoad = async ({ locals }) => {
	const user = requireRole(locals, 'startup');
	return { offers: user.organisationId ? await startupOffers(db(), user.organisationId) : [] };
};
