// An office checks an organisation's juristic person number against its documents: verify, or refuse with a
// reason; a verified organisation's verification can be revoked with a reason. Another office's reads as missing.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { formValues, idOr404, invalid, orHttpError, readForm, userFailure } from '$lib/server/forms';
import { decideVerification, organisationForOffice } from '$lib/server/organisations/verification';
import { verificationDecisionSchema } from '$lib/schemas/organisation';

export const load: PageServerLoad = async ({ locals, params }) => {
	requireRole(locals, 'officer', { province: params.province });
	const found = await orHttpError(organisationForOffice(db(), params.province, idOr404(params.id)));
	return {
		organisation: found.organisation,
		documents: found.documents.map(({ id, fileName, createdAt }) => ({ id, fileName, createdAt }))
	};
};

export const actions: Actions = {
	decide: async ({ locals, params, request, url }) => {
		const officer = requireRole(locals, 'officer', { province: params.province });
		const organisationId = idOr404(params.id);
		const values = formValues(await readForm(request), ['decision', 'reason']);
		const parsed = verificationDecisionSchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error);
		try {
			await decideVerification(db(), officer, params.province, organisationId, parsed.data, url.origin);
		} catch (caught) {
			return userFailure(caught, values);
		}
		redirect(
			303,
			`/office/${params.province}/verification/${organisationId}?decided=${parsed.data.decision}`
		);
	}
};
