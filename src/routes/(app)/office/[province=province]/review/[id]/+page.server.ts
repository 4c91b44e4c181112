// Reviewing one application of the province on the rubric (each score described), then approving, returning it
// for revision or rejecting it, against the office's approval threshold.
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { decideApplication } from '$lib/server/curation/service';
import { formValues, invalid, readForm, userFailure } from '$lib/server/forms';
import { approvalThreshold, reviewsOf } from '$lib/server/offices/queries';
import { loadProfile, profileChoices, startupOfProvince } from '$lib/server/startups/queries';
import { RUBRIC, reviewSchema } from '$lib/schemas/curation';
import { isUuid } from '$lib/server/text';
import { todayInThailand } from '$lib/schemas/calendar-date';

export const load: PageServerLoad = async ({ locals, params }) => {
	requireRole(locals, 'officer', { province: params.province });
	if (!isUuid(params.id)) error(404, 'not_found');
	const startup = await startupOfProvince(db(), params.id, params.province);
	// Another province's startup looks exactly like a missing one.
	if (!startup) error(404, 'not_found');
	const [profile, history, choices, threshold] = await Promise.all([
		loadProfile(db(), startup),
		reviewsOf(db(), startup.id),
		profileChoices(db()),
		approvalThreshold(db(), params.province)
	]);
	return {
		today: todayInThailand(),
		startup: { id: startup.id, status: startup.status, submittedAt: startup.submittedAt },
		profile,
		history,
		choices,
		threshold
	};
};

const FIELDS = [
	...RUBRIC.flatMap((key) => [`${key}Score`, `${key}Comment`]),
	'decision',
	'reasonCode',
	'note',
	'thresholdReason'
] as const;

export const actions: Actions = {
	decide: async ({ locals, params, request, url }) => {
		const officer = requireRole(locals, 'officer', { province: params.province });
		const values = formValues(await readForm(request), FIELDS);
		const parsed = reviewSchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error);
		try {
			if (!isUuid(params.id)) error(404, 'not_found');
			await decideApplication(db(), officer, params.province, params.id, parsed.data, url.origin);
		} catch (caught) {
			return userFailure(caught, values);
		}
		redirect(303, `/office/${params.province}?decided=${parsed.data.decision}`);
	}
};
