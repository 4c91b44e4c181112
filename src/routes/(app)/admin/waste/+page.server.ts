// The administrator sets the transport cost per tonne-kilometre that match estimates use.
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { userFailure } from '$lib/server/forms';
import { readRateForm } from '$lib/server/waste/forms';
import { transportRate } from '$lib/server/waste/queries';
import { setTransportRate } from '$lib/server/waste/service';

export const load: PageServerLoad = async ({ locals }) => {
	requireRole(locals, 'admin');
	return { rate: await transportRate(db()) };
};

export const actions: Actions = {
	default: async ({ locals, request }) => {
		const admin = requireRole(locals, 'admin');
		const { values, input, failure } = await readRateForm(request);
		if (failure) return failure;
		try {
			await setTransportRate(db(), admin, input!.rate);
		} catch (error) {
			return userFailure(error, values);
		}
		return { saved: true };
	}
};
