// The owner's view of a material want: the available by-products it fits, best first, closing it, and proposing
// a transfer of one of them.
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db, searchClient } from '$lib/server/context';
import { idOr404, userFailure } from '$lib/server/forms';
import { proposeFromMatch, wantPage } from '$lib/server/waste/pages';
import { closeWant } from '$lib/server/waste/service';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const member = requireRole(locals, ['startup', 'buyer']);
	const page = await wantPage(db(), searchClient(), member, idOr404(params.id));
	if (!page) error(404, 'not_found');
	return { ...page, saved: url.searchParams.get('saved') };
};

export const actions: Actions = {
	close: async ({ locals, params }) => {
		const member = requireRole(locals, ['startup', 'buyer']);
		try {
			await closeWant(db(), member, idOr404(params.id));
		} catch (failure) {
			return userFailure(failure, {});
		}
		redirect(303, `/waste/wants/${params.id}?saved=closed`);
	},
	propose: async ({ locals, params, request }) => {
		const member = requireRole(locals, ['startup', 'buyer']);
		return proposeFromMatch(db(), member, request, { wantId: idOr404(params.id) });
	}
};
