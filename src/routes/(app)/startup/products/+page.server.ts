// The startup's products: the list, adding one, removing one.
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { formError, readForm, userFailure } from '$lib/server/forms';
import { readProductForm } from '$lib/server/startups/forms';
import { loadProfile, startupOfOrganisation } from '$lib/server/startups/queries';
import { deleteProduct, saveProduct } from '$lib/server/startups/service';

export const load: PageServerLoad = async ({ locals }) => {
	const user = requireRole(locals, 'startup');
	const startup = user.organisationId ? await startupOfOrganisation(db(), user.organisationId) : null;
	return {
		status: startup?.status ?? 'draft',
		products: startup ? (await loadProfile(db(), startup)).products : []
	};
};

export const actions: Actions = {
	add: async ({ locals, request }) => {
		const user = requireRole(locals, 'startup');
		const { values, product, failure } = await readProductForm(request);
		if (failure) return failure;
		try {
			await saveProduct(db(), user, product!);
		} catch (error) {
			return userFailure(error, values);
		}
		return { added: true };
	},
	remove: async ({ locals, request }) => {
		const user = requireRole(locals, 'startup');
		const id = z.uuid().safeParse((await readForm(request)).get('productId'));
		if (!id.success) return formError(404, 'not_found');
		try {
			await deleteProduct(db(), user, id.data);
		} catch (error) {
			return userFailure(error, {});
		}
		return { removed: true };
	}
};
