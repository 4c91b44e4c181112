// An office's later decision on one of its approved startups: suspend, revoke or reinstate it, with a reason.
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { decideStanding } from '$lib/server/curation/standing';
import { formValues, idOr404, invalid, readForm, userFailure } from '$lib/server/forms';
import { startupOfProvince } from '$lib/server/startups/queries';
import { isPublicStartup } from '$lib/server/startups/public';
import { standingSchema } from '$lib/schemas/curation';

export const load: PageServerLoad = async ({ locals, params }) => {
	requireRole(locals, 'officer', { province: params.province });
	const startup = await startupOfProvince(db(), idOr404(params.id), params.province);
	// Another province's startup looks exactly like a missing one.
	if (!startup) error(404, 'not_found');
	return {
		startup: {
			id: startup.id,
			slug: startup.slug,
			nameTh: startup.nameTh,
			nameEn: startup.nameEn,
			status: startup.status,
			isPublic: isPublicStartup(startup),
			suspended: startup.status === 'suspended' && startup.approvedSnapshot !== null
		}
	};
};

export const actions: Actions = {
	decide: async ({ locals, params, request, url }) => {
		const officer = requireRole(locals, 'officer', { province: params.province });
		const startupId = idOr404(params.id);
		const values = formValues(await readForm(request), ['decision', 'reason']);
		const parsed = standingSchema.safeParse({ ...values, startupId });
		if (!parsed.success) return invalid(values, parsed.error);
		try {
			await decideStanding(db(), officer, params.province, startupId, parsed.data, url.origin);
		} catch (caught) {
			return userFailure(caught, values);
		}
		redirect(303, `/office/${params.province}?standing=${parsed.data.decision}`);
	}
};
