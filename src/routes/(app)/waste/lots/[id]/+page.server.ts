// The owner's view of a by-product: its review status, availability, and once approved the receivers it fits.
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { formValues, idOr404, invalid, readForm, userFailure } from '$lib/server/forms';
import { availabilitySchema } from '$lib/schemas/waste';
import { matchRows } from '$lib/server/waste/display';
import { wasteCodeNames } from '$lib/server/waste/forms';
import { agreementsOf, lotById } from '$lib/server/waste/queries';
import { matchesForLot, proposeAgreement, setLotAvailability, submitLot } from '$lib/server/waste/service';

async function ownLot(organisationId: string | null, id: string) {
	const lot = await lotById(db(), idOr404(id));
	if (!lot || lot.organisationId !== organisationId) error(404, 'not_found');
	return lot;
}

export const load: PageServerLoad = async ({ locals, params }) => {
	const member = requireRole(locals, ['startup', 'buyer']);
	const lot = await ownLot(member.organisationId, params.id);
	const [matches, agreements] = await Promise.all([
		matchesForLot(db(), member, lot),
		agreementsOf(db(), { lotId: lot.id })
	]);
	return {
		lot,
		codeName: wasteCodeNames()[lot.wasteCode] ?? '',
		matches: matchRows(matches, 'lot', agreements),
		agreements
	};
};

export const actions: Actions = {
	submit: async ({ locals, params }) => {
		const member = requireRole(locals, ['startup', 'buyer']);
		try {
			await submitLot(db(), member, idOr404(params.id));
		} catch (failure) {
			return userFailure(failure, {});
		}
		redirect(303, `/waste/lots/${params.id}`);
	},
	availability: async ({ locals, params, request }) => {
		const member = requireRole(locals, ['startup', 'buyer']);
		const values = formValues(await readForm(request), ['available']);
		const parsed = availabilitySchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error);
		try {
			await setLotAvailability(db(), member, idOr404(params.id), parsed.data.available === 'yes');
		} catch (failure) {
			return userFailure(failure, {});
		}
		redirect(303, `/waste/lots/${params.id}`);
	},
	propose: async ({ locals, params, request }) => {
		const member = requireRole(locals, ['startup', 'buyer']);
		const values = formValues(await readForm(request), ['wantId']);
		let agreementId: string;
		try {
			agreementId = (await proposeAgreement(db(), member, idOr404(params.id), idOr404(values.wantId))).id;
		} catch (failure) {
			return userFailure(failure, values);
		}
		redirect(303, `/waste/agreements/${agreementId}`);
	}
};
