// Editing a demand, allowed until a startup has offered on it.
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { demandAttachmentStore, demandValues, readDemandForm } from '$lib/server/demands/forms';
import { removeReplacedUpload } from '$lib/server/uploads/orphans';
import { demandDetail } from '$lib/server/demands/queries';
import { updateDemand } from '$lib/server/demands/service';
import { idOr404, userFailure } from '$lib/server/forms';
import { provinceOptions } from '$lib/server/provinces/options';
import { profileChoices } from '$lib/server/startups/queries';
import { todayInThailand } from '$lib/schemas/demand';

export const load: PageServerLoad = async ({ locals, params }) => {
	const buyer = requireRole(locals, 'buyer');
	const detail = await demandDetail(db(), idOr404(params.id));
	if (!detail || detail.demand.buyerOrganisationId !== buyer.organisationId) error(404, 'not_found');
	const [choices, provinces] = await Promise.all([profileChoices(db()), provinceOptions(db())]);
	return {
		id: detail.demand.id,
		values: demandValues(detail.demand, detail.certifications),
		choices,
		provinces,
		today: todayInThailand()
	};
};

export const actions: Actions = {
	save: async ({ locals, params, request }) => {
		const buyer = requireRole(locals, 'buyer');
		const id = idOr404(params.id);
		const { values, demand, failure, attachment } = await readDemandForm(request);
		if (failure) return failure;
		try {
			const { replacedAttachment } = await updateDemand(
				db(),
				buyer,
				id,
				demand!,
				demandAttachmentStore(db(), buyer.id, attachment)
			);
			await removeReplacedUpload(db(), replacedAttachment);
		} catch (caught) {
			return userFailure(caught, values);
		}
		redirect(303, `/buyer/demands/${id}?saved=1`);
	}
};
