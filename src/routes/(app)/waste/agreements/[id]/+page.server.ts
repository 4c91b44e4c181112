// One transfer agreement, for its two parties only: the answer to a proposal, the permit checklist, and the
// transfers the sender records and the receiver confirms.
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { formValues, idOr404, invalid, readForm, userFailure } from '$lib/server/forms';
import { agreementDecisionSchema } from '$lib/schemas/waste';
import { readStepForm, readTransferForm, wasteCodeNames } from '$lib/server/waste/forms';
import { filesOfLot } from '$lib/server/waste/files';
import { agreementView } from '$lib/server/waste/queries';
import {
	confirmTransfer,
	decideAgreement,
	recordTransfer,
	updatePermitStep,
	withdrawAgreement
} from '$lib/server/waste/service';
import { todayInThailand } from '$lib/schemas/calendar-date';

/** DIW's e-services for moving waste out of a factory: where the permits are actually applied for. */
const DIW_ESERVICES = 'https://iwmb.diw.go.th';

export const load: PageServerLoad = async ({ locals, params }) => {
	const member = requireRole(locals, ['startup', 'buyer']);
	const view = await agreementView(db(), idOr404(params.id));
	if (!view) error(404, 'not_found');
	const side =
		view.lot.organisationId === member.organisationId
			? ('sender' as const)
			: view.want.organisationId === member.organisationId
				? ('receiver' as const)
				: null;
	if (!side) error(404, 'not_found');
	return {
		...view,
		side,
		canDecide:
			view.agreement.status === 'proposed' &&
			view.agreement.proposedByOrganisationId !== member.organisationId,
		codeName: wasteCodeNames()[view.lot.wasteCode] ?? '',
		eServices: DIW_ESERVICES,
		today: todayInThailand(),
		// Both parties read the lot's photos and documents (lab analyses) while the agreement is live or done.
		files: await filesOfLot(db(), view.lot.id)
	};
};

const back = (id: string) => redirect(303, `/waste/agreements/${id}`);

export const actions: Actions = {
	decide: async ({ locals, params, request }) => {
		const member = requireRole(locals, ['startup', 'buyer']);
		const values = formValues(await readForm(request), ['decision']);
		const parsed = agreementDecisionSchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error);
		try {
			await decideAgreement(db(), member, idOr404(params.id), parsed.data.decision);
		} catch (failure) {
			return userFailure(failure, {});
		}
		back(params.id);
	},
	withdraw: async ({ locals, params }) => {
		const member = requireRole(locals, ['startup', 'buyer']);
		try {
			await withdrawAgreement(db(), member, idOr404(params.id));
		} catch (failure) {
			return userFailure(failure, {});
		}
		back(params.id);
	},
	step: async ({ locals, params, request }) => {
		const member = requireRole(locals, ['startup', 'buyer']);
		const { values, input, failure } = await readStepForm(request);
		if (failure) return failure;
		try {
			await updatePermitStep(db(), member, idOr404(params.id), input!);
		} catch (failed) {
			return userFailure(failed, values, `step-${values.step}`);
		}
		back(params.id);
	},
	record: async ({ locals, params, request }) => {
		const member = requireRole(locals, ['startup', 'buyer']);
		const { values, input, failure } = await readTransferForm(request);
		if (failure) return failure;
		try {
			await recordTransfer(db(), member, idOr404(params.id), input!);
		} catch (failed) {
			return userFailure(failed, values);
		}
		back(params.id);
	},
	confirm: async ({ locals, params, request }) => {
		const member = requireRole(locals, ['startup', 'buyer']);
		const { transferId } = formValues(await readForm(request), ['transferId']);
		try {
			await confirmTransfer(db(), member, idOr404(params.id), idOr404(transferId));
		} catch (failed) {
			return userFailure(failed, {});
		}
		back(params.id);
	}
};
