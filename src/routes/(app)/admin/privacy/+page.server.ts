// Administrators: every personal-data request with its due date (30 days), overdue ones flagged, open ones first;
// a correction is marked done once made.
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { formError, formValues, readForm, userFailure } from '$lib/server/forms';
import { completePrivacyRequest, listPrivacyRequests } from '$lib/server/privacy/requests';

export const load: PageServerLoad = async ({ locals }) => {
	requireRole(locals, 'admin');
	return { requests: await listPrivacyRequests(db()) };
};

export const actions: Actions = {
	complete: async ({ locals, request }) => {
		const admin = requireRole(locals, 'admin');
		const id = z.uuid().safeParse(formValues(await readForm(request), ['requestId']).requestId);
		if (!id.success) return formError(404, 'not_found', 'complete');
		try {
			await completePrivacyRequest(db(), id.data, admin.id);
		} catch (error) {
			return userFailure(error, {}, 'complete');
		}
		return { completed: true };
	}
};
