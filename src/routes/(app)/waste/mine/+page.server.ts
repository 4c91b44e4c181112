// A member's by-products, the materials it takes and its agreements, with what waits for it.
import type { PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { myWaste } from '$lib/server/waste/pages';

export const load: PageServerLoad = async ({ locals }) => {
	const member = requireRole(locals, ['startup', 'buyer']);
	return myWaste(db(), member.organisationId!);
};
