// The owner edits a by-product. Quantity, price and availability change at once; changing what the office
// reviewed (names, code, unit, handling) on a published lot sends it back to the office.
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { idOr404, userFailure } from '$lib/server/forms';
import { provinceOptions } from '$lib/server/provinces/options';
import { lotValues, readLotForm, wasteCodeChoices } from '$lib/server/waste/forms';
import { lotProvinceOf, ownLot } from '$lib/server/waste/pages';
import { updateLot } from '$lib/server/waste/service';

export const load: PageServerLoad = async ({ locals, params }) => {
	const member = requireRole(locals, ['startup', 'buyer']);
	const lot = await ownLot(db(), member, idOr404(params.id));
	if (!lot) error(404, 'not_found');
	const [provinces, fixedProvince] = await Promise.all([provinceOptions(db()), lotProvinceOf(db(), member)]);
	return {
		lot: { id: lot.id, status: lot.status, nameTh: lot.nameTh, nameEn: lot.nameEn },
		values: lotValues(lot),
		chapters: wasteCodeChoices(),
		provinces,
		fixedProvince
	};
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const member = requireRole(locals, ['startup', 'buyer']);
		const id = idOr404(params.id);
		const { values, input, failure } = await readLotForm(request);
		if (failure) return failure;
		let review: boolean;
		try {
			({ review } = await updateLot(db(), member, id, input!));
		} catch (caught) {
			return userFailure(caught, values);
		}
		redirect(303, `/waste/lots/${id}?saved=${review ? 'review' : 'saved'}`);
	}
};
