// The owner's view of a material want: the available by-products it fits, best first, and closing it.
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { formValues, idOr404, readForm, userFailure } from '$lib/server/forms';
import { matchRows } from '$lib/server/waste/display';
import { wasteCodeNames } from '$lib/server/waste/forms';
import { agreementsOf, wantById } from '$lib/server/waste/queries';
import { closeWant, matchesForWant, proposeAgreement } from '$lib/server/waste/service';

export const load: PageServerLoad = async ({ locals, params }) => {
	const member = requireRole(locals, ['startup', 'buyer']);
	const want = await wantById(db(), idOr404(params.id));
	if (!want || want.organisationId !== member.organisationId) error(404, 'not_found');
	const [matches, agreements] = await Promise.all([
		matchesForWant(db(), member, want),
		agreementsOf(db(), { wantId: want.id })
	]);
	const names = wasteCodeNames();
	return {
		want,
		codes: want.wasteCodes.map((code) => ({ code, name: names[code] ?? '' })),
		matches: matchRows(matches, 'want', agreements),
		agreements
	};
};

export const actions: Actions = {
	close: async ({ locals, params }) => {
		const member = requireRole(locals, ['startup', 'buyer']);
		try {
			await closeWant(db(), member, idOr404(params.id));
		} catch (failure) {
			return userFailure(failure, {});
		}
		redirect(303, `/waste/wants/${params.id}`);
	},
	propose: async ({ locals, params, request }) => {
		const member = requireRole(locals, ['startup', 'buyer']);
		const values = formValues(await readForm(request), ['lotId']);
		let agreementId: string;
		try {
			agreementId = (await proposeAgreement(db(), member, idOr404(values.lotId), idOr404(params.id))).id;
		} catch (failure) {
			return userFailure(failure, values);
		}
		redirect(303, `/waste/agreements/${agreementId}`);
	}
};
