// The owner edits an open material want; wants are not reviewed, so the change is matched at once.
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { idOr404, userFailure } from '$lib/server/forms';
import { provinceOptions } from '$lib/server/provinces/options';
import { licenceChoices, readWantForm, wantValues, wasteCodeChoices } from '$lib/server/waste/forms';
import { ownWant } from '$lib/server/waste/pages';
import { updateWant } from '$lib/server/waste/service';

export const load: PageServerLoad = async ({ locals, params }) => {
	const member = requireRole(locals, ['startup', 'buyer']);
	const want = await ownWant(db(), member, idOr404(params.id));
	if (!want) error(404, 'not_found');
	// A closed want is history; its page says so.
	if (want.status !== 'open') redirect(303, `/waste/wants/${want.id}`);
	return {
		want: { id: want.id, nameTh: want.nameTh, nameEn: want.nameEn },
		values: wantValues(want),
		chapters: wasteCodeChoices(),
		licences: licenceChoices(),
		provinces: await provinceOptions(db())
	};
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const member = requireRole(locals, ['startup', 'buyer']);
		const id = idOr404(params.id);
		const { values, input, failure } = await readWantForm(request);
		if (failure) return failure;
		try {
			await updateWant(db(), member, id, input!);
		} catch (caught) {
			return userFailure(caught, values);
		}
		redirect(303, `/waste/wants/${id}?saved=1`);
	}
};
