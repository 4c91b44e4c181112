// A provincial office's area: only that province's officers (and admins) get in.
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { officeOverview } from '$lib/server/offices/queries';

export const load: PageServerLoad = async ({ locals, params }) => {
	requireRole(locals, 'officer', { province: params.province });
	const overview = await officeOverview(db(), params.province);
	if (!overview) error(404, 'not_found');
	return overview;
};
