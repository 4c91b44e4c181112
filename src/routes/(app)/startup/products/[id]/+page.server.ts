// Editing one of the startup's own products; anyone else's product id is simply not found.
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { userFailure } from '$lib/server/forms';
import { productValues, readProductForm } from '$lib/server/startups/forms';
import { ownProduct } from '$lib/server/startups/queries';
import { checkImageTarget, saveProduct, setProductPhoto } from '$lib/server/startups/service';
import { readImageUpload } from '$lib/server/uploads/forms';
import { removeReplacedUpload } from '$lib/server/uploads/orphans';
import { isUuid } from '$lib/server/text';

export const load: PageServerLoad = async ({ locals, params }) => {
	const user = requireRole(locals, 'startup');
	if (!isUuid(params.id) || !user.organisationId) error(404, 'not_found');
	const product = await ownProduct(db(), user.organisationId, params.id);
	if (!product) error(404, 'not_found');
	return { values: productValues(product), photoPath: product.photoPath };
};

export const actions: Actions = {
	save: async ({ locals, params, request }) => {
		const user = requireRole(locals, 'startup');
		const { values, product, failure } = await readProductForm(request);
		if (failure) return failure;
		try {
			await saveProduct(db(), user, product!, isUuid(params.id) ? params.id : crypto.randomUUID());
		} catch (caught) {
			return userFailure(caught, values);
		}
		redirect(303, '/startup/products');
	},
	photo: async ({ locals, params, request }) => {
		const user = requireRole(locals, 'startup');
		if (!isUuid(params.id)) error(404, 'not_found');
		const upload = await readImageUpload(request, 'products', 'photo', 'photo', {
			db: db(),
			userId: user.id,
			mayUpload: () => checkImageTarget(db(), user, params.id)
		});
		if (upload.failure) return upload.failure;
		try {
			await removeReplacedUpload(db(), await setProductPhoto(db(), user, params.id, upload.path!));
		} catch (caught) {
			return userFailure(caught, {}, 'photo');
		}
		return { photoSaved: true };
	}
};
