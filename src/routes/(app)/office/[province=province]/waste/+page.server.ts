// The office's by-product queue: lots listed in its province wait here until approved or sent back with a reason.
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { idOr404, userFailure } from '$lib/server/forms';
import { readReviewForm, wasteCodeNames } from '$lib/server/waste/forms';
import { submittedLotsOfProvince } from '$lib/server/waste/queries';
import { reviewLot } from '$lib/server/waste/service';

export const load: PageServerLoad = async ({ locals, params }) => {
	requireRole(locals, 'officer', { province: params.province });
	return { queue: await submittedLotsOfProvince(db(), params.province), codeNames: wasteCodeNames() };
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const officer = requireRole(locals, 'officer', { province: params.province });
		const { values, input, failure } = await readReviewForm(request);
		const lotId = idOr404(values.lotId);
		if (failure) return failure;
		try {
			await reviewLot(db(), { ...officer, organisationId: null }, params.province, lotId, input!);
		} catch (caught) {
			return userFailure(caught, values, lotId);
		}
		return { reviewed: lotId };
	}
};
