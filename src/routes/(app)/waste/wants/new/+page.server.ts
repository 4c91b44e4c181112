// A buyer, startup or recycler posts a secondary material it takes; it is open (and matched) at once.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { userFailure } from '$lib/server/forms';
import { provinceOptions } from '$lib/server/provinces/options';
import { licenceChoices, readWantForm, wasteCodeChoices } from '$lib/server/waste/forms';
import { createWant } from '$lib/server/waste/service';

export const load: PageServerLoad = async ({ locals }) => {
	requireRole(locals, ['startup', 'buyer']);
	return {
		chapters: wasteCodeChoices(),
		licences: licenceChoices(),
		provinces: await provinceOptions(db())
	};
};

export const actions: Actions = {
	default: async ({ locals, request }) => {
		const member = requireRole(locals, ['startup', 'buyer']);
		const { values, input, failure } = await readWantForm(request);
		if (failure) return failure;
		let id: string;
		try {
			id = (await createWant(db(), member, input!)).id;
		} catch (error) {
			return userFailure(error, values);
		}
		redirect(303, `/waste/wants/${id}?saved=1`);
	}
};
