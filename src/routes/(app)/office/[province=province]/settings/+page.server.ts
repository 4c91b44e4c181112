// The office's own review settings: the rubric total below which an approval needs a reason.
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { setApprovalThreshold } from '$lib/server/curation/service';
import { formValues, invalid, readForm, userFailure } from '$lib/server/forms';
import { approvalThreshold } from '$lib/server/offices/queries';
import { thresholdSchema } from '$lib/schemas/curation';

export const load: PageServerLoad = async ({ locals, params }) => {
	requireRole(locals, 'officer', { province: params.province });
	return { threshold: await approvalThreshold(db(), params.province) };
};

export const actions: Actions = {
	threshold: async ({ locals, params, request }) => {
		const officer = requireRole(locals, 'officer', { province: params.province });
		const values = formValues(await readForm(request), ['approvalThreshold']);
		const parsed = thresholdSchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error);
		try {
			await setApprovalThreshold(db(), officer, params.province, parsed.data);
		} catch (caught) {
			return userFailure(caught, values);
		}
		return { saved: true };
	}
};
