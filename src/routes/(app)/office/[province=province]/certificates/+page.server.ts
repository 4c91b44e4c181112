// The office's certificate checks: every certificate of its province's startups whose evidence waits, and the answer
// to one (checked, or refused with a reason). The office page shows the same queue and posts its answers here.
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { formValues, invalid, readForm, userFailure } from '$lib/server/forms';
import { certificatesWaitingForCheck } from '$lib/server/certificates/queries';
import { decideCertificate } from '$lib/server/certificates/service';
import { referenceNames } from '$lib/server/reference';
import { getLocale } from '$lib/paraglide/runtime';
import { certificateDecisionSchema } from '$lib/schemas/certificate';

export const load: PageServerLoad = async ({ locals, params }) => {
	requireRole(locals, 'officer', { province: params.province });
	return {
		waiting: await certificatesWaitingForCheck(db(), params.province),
		names: referenceNames(getLocale()).certifications,
		provinceName: referenceNames(getLocale()).provinces[params.province] ?? params.province
	};
};

export const actions: Actions = {
	decide: async ({ locals, params, request }) => {
		const officer = requireRole(locals, 'officer', { province: params.province });
		const values = formValues(await readForm(request), [
			'startupId',
			'certificationId',
			'decision',
			'reason'
		]);
		const key = `${values.startupId}:${values.certificationId}`;
		const parsed = certificateDecisionSchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error, key);
		const { startupId, certificationId } = parsed.data;
		try {
			await decideCertificate(db(), officer, params.province, startupId, certificationId, parsed.data);
		} catch (caught) {
			return userFailure(caught, values, key);
		}
		return { decided: parsed.data.decision };
	}
};
