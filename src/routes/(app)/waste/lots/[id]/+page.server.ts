// The owner's view of a by-product: its review status, availability, and once approved the receivers it fits;
// sending it for review, withdrawing it, adding and removing its photos and documents, and proposing a transfer.
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db, searchClient } from '$lib/server/context';
import { formError, formValues, idOr404, invalid, readForm, userFailure } from '$lib/server/forms';
import { availabilitySchema } from '$lib/schemas/waste';
import { lotPage, proposeFromMatch } from '$lib/server/waste/pages';
import { addLotFile, removeLotFile, type LotFileKind } from '$lib/server/waste/files';
import { setLotAvailability, submitLot, withdrawLot, type WasteActor } from '$lib/server/waste/service';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const member = requireRole(locals, ['startup', 'buyer']);
	const page = await lotPage(db(), searchClient(), member, idOr404(params.id));
	if (!page) error(404, 'not_found');
	return { ...page, saved: url.searchParams.get('saved') };
};

const saved = (id: string, what: string) => redirect(303, `/waste/lots/${id}?saved=${what}`);

/** A photo or document from its form's one file field; the service checks it is the member's lot first. */
async function upload(member: WasteActor, id: string, request: Request, kind: LotFileKind) {
	const file = (await readForm(request)).get(kind);
	if (!(file instanceof File) || file.size === 0) return formError(400, `${kind}_missing`, kind);
	try {
		await addLotFile(db(), member, idOr404(id), kind, file, kind);
	} catch (failure) {
		return userFailure(failure, {}, kind);
	}
	saved(id, 'saved');
}

export const actions: Actions = {
	submit: async ({ locals, params }) => {
		const member = requireRole(locals, ['startup', 'buyer']);
		try {
			await submitLot(db(), member, idOr404(params.id));
		} catch (failure) {
			return userFailure(failure, {});
		}
		saved(params.id, 'submitted');
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
		saved(params.id, 'saved');
	},
	withdraw: async ({ locals, params }) => {
		const member = requireRole(locals, ['startup', 'buyer']);
		try {
			await withdrawLot(db(), member, idOr404(params.id));
		} catch (failure) {
			return userFailure(failure, {});
		}
		saved(params.id, 'withdrawn');
	},
	addPhoto: async ({ locals, params, request }) => {
		const member = requireRole(locals, ['startup', 'buyer']);
		return upload(member, params.id, request, 'photo');
	},
	addDocument: async ({ locals, params, request }) => {
		const member = requireRole(locals, ['startup', 'buyer']);
		return upload(member, params.id, request, 'document');
	},
	removeFile: async ({ locals, params, request }) => {
		const member = requireRole(locals, ['startup', 'buyer']);
		const values = formValues(await readForm(request), ['fileId']);
		try {
			await removeLotFile(db(), member, idOr404(params.id), idOr404(values.fileId));
		} catch (failure) {
			return userFailure(failure, {}, 'files');
		}
		saved(params.id, 'saved');
	},
	propose: async ({ locals, params, request }) => {
		const member = requireRole(locals, ['startup', 'buyer']);
		return proposeFromMatch(db(), member, request, { lotId: idOr404(params.id) });
	}
};
