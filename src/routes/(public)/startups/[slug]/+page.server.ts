// Public: an approved startup's profile as last approved (edits waiting for review do not show), with its
// province's-startup badge for the years it was selected.
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { db } from '$lib/server/context';
import { todayInThailand } from '$lib/schemas/calendar-date';
import { profileChoices, publicStartupBySlug, type Profile } from '$lib/server/startups/queries';

export const load: PageServerLoad = async ({ params }) => {
	if (!/^[a-z0-9-]{1,80}$/.test(params.slug)) error(404, 'not_found');
	const [row, choices] = await Promise.all([publicStartupBySlug(db(), params.slug), profileChoices(db())]);
	if (!row) error(404, 'not_found');
	return {
		slug: row.startup.slug,
		profile: row.startup.approvedSnapshot as Profile,
		province: row.province,
		selectedYears: row.selectedYears,
		choices,
		today: todayInThailand()
	};
};
