// An admin invites an officer for one province; the emailed link lets them set a password.
import type { Actions, PageServerLoad } from './$types';
import { inviteOfficer } from '$lib/server/accounts/service';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { userFailure, formValues, invalid, readForm } from '$lib/server/forms';
import { provinceOptions } from '$lib/server/provinces/options';
import { inviteOfficerSchema } from '$lib/schemas/account';

export const load: PageServerLoad = async ({ locals }) => {
	requireRole(locals, 'admin');
	return { provinces: await provinceOptions(db(), { officesOnly: true }) };
};

export const actions: Actions = {
	default: async ({ locals, request, url }) => {
		const admin = requireRole(locals, 'admin');
		const values = formValues(await readForm(request), ['email', 'provinceCode', 'identityRequired']);
		const parsed = inviteOfficerSchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error);
		try {
			const officer = await inviteOfficer(
				db(),
				{ id: admin.id, label: admin.email },
				parsed.data,
				url.origin
			);
			return { invited: officer.email, provinceCode: officer.provinceCode };
		} catch (error) {
			return userFailure(error, values);
		}
	}
};
