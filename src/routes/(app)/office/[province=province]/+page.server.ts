// A provincial office's area: its queue, its approved candidates, the province's startup for each year, and
// how quickly it answers. Only that province's officers (and admins) get in.
import { yearInThailand } from '$lib/schemas/calendar-date';
import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { previewSelection, selectProvinceStartup } from '$lib/server/curation/service';
import { formValues, invalid, readForm, userFailure } from '$lib/server/forms';
import {
	approvedCandidates,
	medianResponseDays,
	officeOverview,
	recentDecisions,
	reviewQueue,
	selectionHistory
} from '$lib/server/offices/queries';
import { referralsForProvince } from '$lib/server/referrals/queries';
import { selectionSchema } from '$lib/schemas/curation';

export const load: PageServerLoad = async ({ locals, params }) => {
	requireRole(locals, 'officer', { province: params.province });
	const overview = await officeOverview(db(), params.province);
	if (!overview) error(404, 'not_found');
	const [queue, candidates, selections, medianDays, decisions, referrals] = await Promise.all([
		reviewQueue(db(), params.province),
		approvedCandidates(db(), params.province),
		selectionHistory(db(), params.province),
		medianResponseDays(db(), params.province),
		recentDecisions(db(), params.province),
		referralsForProvince(db(), params.province)
	]);
	return {
		...overview,
		queue,
		candidates,
		selections,
		medianDays,
		decisions,
		referrals,
		currentYear: yearInThailand()
	};
};

export const actions: Actions = {
	// The first step of choosing the province's startup: checks the choice and asks the office to confirm it,
	// naming the startup and the year (a page of its own without JavaScript).
	confirm: async ({ locals, params, request }) => {
		requireRole(locals, 'officer', { province: params.province });
		const values = formValues(await readForm(request), ['startupId', 'year', 'reason']);
		const parsed = selectionSchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error);
		try {
			return { confirm: await previewSelection(db(), params.province, parsed.data) };
		} catch (caught) {
			return userFailure(caught, values);
		}
	},
	select: async ({ locals, params, request, url }) => {
		const officer = requireRole(locals, 'officer', { province: params.province });
		const values = formValues(await readForm(request), ['startupId', 'year', 'reason']);
		const parsed = selectionSchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error);
		try {
			await selectProvinceStartup(db(), officer, params.province, parsed.data, url.origin);
		} catch (caught) {
			return userFailure(caught, values);
		}
		return { selected: true };
	}
};
