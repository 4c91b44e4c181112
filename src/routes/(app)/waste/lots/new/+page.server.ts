// A factory lists a by-product: kept as a draft or sent to its province's office for review.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { userFailure } from '$lib/server/forms';
import { provinceOptions } from '$lib/server/provinces/options';
import { readLotForm, wasteCodeChoices } from '$lib/server/waste/forms';
import { lotProvinceOf } from '$lib/server/waste/pages';
import { createLot } from '$lib/server/waste/service';

export const load: PageServerLoad = async ({ locals }) => {
	const member = requireRole(locals, ['startup', 'buyer']);
	const [provinces, fixedProvince] = await Promise.all([provinceOptions(db()), lotProvinceOf(db(), member)]);
	return { chapters: wasteCodeChoices(), provinces, fixedProvince };
};

async function save(locals: App.Locals, request: Request, submit: boolean) {
	const member = requireRole(locals, ['startup', 'buyer']);
	const { values, input, failure } = await readLotForm(request);
	if (failure) return failure;
	let id: string;
	try {
		id = (await createLot(db(), member, input!, { submit })).id;
	} catch (error) {
		return userFailure(error, values);
	}
	redirect(303, `/waste/lots/${id}?saved=${submit ? 'submitted' : 'saved'}`);
}

export const actions: Actions = {
	submit: async ({ locals, request }) => {
		requireRole(locals, ['startup', 'buyer']);
		return save(locals, request, true);
	},
	draft: async ({ locals, request }) => {
		requireRole(locals, ['startup', 'buyer']);
		return save(locals, request, false);
	}
};
