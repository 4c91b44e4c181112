// A buyer's or startup's organisation, verified by its office: the juristic person number, the documents that prove
// it (PDF or pictures, private to the organisation and its office), and the request, with the office's answer.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { formError, formValues, idOr404, invalid, readForm, userFailure } from '$lib/server/forms';
import {
	addDocument,
	isEditable,
	MAX_DOCUMENTS,
	ownVerification,
	removeDocument,
	requestVerification
} from '$lib/server/organisations/verification';
import { provinceOptions } from '$lib/server/provinces/options';
import { verificationRequestSchema } from '$lib/schemas/organisation';

const MEMBERS = ['buyer', 'startup'] as const;
const DONE = ['uploaded', 'removed', 'requested'] as const;

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireRole(locals, [...MEMBERS]);
	const { organisation, documents } = await ownVerification(db(), user);
	return {
		organisation,
		documents: documents.map(({ id, fileName, createdAt }) => ({ id, fileName, createdAt })),
		editable: isEditable(organisation.verification),
		maxDocuments: MAX_DOCUMENTS,
		provinces: organisation.kind === 'buyer' ? await provinceOptions(db()) : null,
		done: DONE.find((d) => url.searchParams.has(d)) ?? null
	};
};

export const actions: Actions = {
	upload: async ({ locals, request }) => {
		const user = requireRole(locals, [...MEMBERS]);
		const file = (await readForm(request)).get('document');
		if (!(file instanceof File) || file.size === 0) return formError(400, 'document_missing', 'upload');
		try {
			await addDocument(db(), user, file);
		} catch (caught) {
			return userFailure(caught, {}, 'upload');
		}
		redirect(303, '/organisation?uploaded');
	},
	remove: async ({ locals, request }) => {
		const user = requireRole(locals, [...MEMBERS]);
		const values = formValues(await readForm(request), ['documentId']);
		try {
			await removeDocument(db(), user, idOr404(values.documentId));
		} catch (caught) {
			return userFailure(caught, {}, 'remove');
		}
		redirect(303, '/organisation?removed');
	},
	request: async ({ locals, request, url }) => {
		const user = requireRole(locals, [...MEMBERS]);
		const values = formValues(await readForm(request), ['registrationNumber', 'provinceCode']);
		const parsed = verificationRequestSchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error, 'request');
		try {
			await requestVerification(db(), user, parsed.data, url.origin);
		} catch (caught) {
			return userFailure(caught, values, 'request');
		}
		redirect(303, '/organisation?requested');
	}
};
