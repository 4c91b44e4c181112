// A provincial office's area: its queue, its approved candidates, the province's startup for each year, and
// how quickly it answers. Only that province's officers (and admins) get in.
import { yearInThailand } from '$lib/schemas/calendar-date';
import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db, searchClient } from '$lib/server/context';
import { certificateGapsOfProvince } from '$lib/server/gap/near-misses';
import { certificatesWaitingForCheck } from '$lib/server/certificates/queries';
import { previewSelection, selectProvinceStartup } from '$lib/server/curation/service';
import { formValues, invalid, readForm, userFailure } from '$lib/server/forms';
import {
	approvedCandidates,
	officeOverview,
	recentDecisions,
	reviewQueue,
	selectionHistory,
	suspendedStartups
} from '$lib/server/offices/queries';
import { responseTimes } from '$lib/server/offices/response-times';
import { openReportCount } from '$lib/server/demands/queries';
import { referralsForProvince } from '$lib/server/referrals/queries';
import { referenceNames } from '$lib/server/reference';
import { getLocale } from '$lib/paraglide/runtime';
import { selectionSchema } from '$lib/schemas/curation';
import { verificationQueue } from '$lib/server/organisations/verification';
import { verifiedStartupIds } from '$lib/server/organisations/queries';

const standingDone = ['suspend', 'revoke', 'reinstate'] as const;

export const load: PageServerLoad = async ({ locals, params, url }) => {
	requireRole(locals, 'officer', { province: params.province });
	const overview = await officeOverview(db(), params.province);
	if (!overview) error(404, 'not_found');
	const [
		queue,
		candidates,
		suspended,
		selections,
		response,
		decisions,
		referrals,
		openReports,
		certificateGaps,
		certificatesWaiting,
		verifications
	] = await Promise.all([
		reviewQueue(db(), params.province),
		approvedCandidates(db(), params.province),
		suspendedStartups(db(), params.province),
		selectionHistory(db(), params.province),
		responseTimes(db(), params.province).then(([office]) => office),
		recentDecisions(db(), params.province),
		referralsForProvince(db(), params.province),
		openReportCount(db(), params.province),
		certificateGapsOfProvince(db(), searchClient(), params.province),
		certificatesWaitingForCheck(db(), params.province),
		verificationQueue(db(), params.province)
	]);
	const verified = await verifiedStartupIds(db(), [
		...candidates.map((c) => c.id),
		...selections.map((s) => s.startupId),
		...referrals.map((r) => r.startupId)
	]);
	return {
		...overview,
		queue,
		candidates,
		suspended,
		selections,
		response,
		decisions,
		referrals,
		openReports,
		certificateGaps,
		certificationNames: referenceNames(getLocale()).certifications,
		certificatesWaiting,
		currentYear: yearInThailand(),
		verifications,
		verifiedStartups: [...verified],
		standing: standingDone.find((d) => d === url.searchParams.get('standing')) ?? null
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
