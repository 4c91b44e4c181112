// The second half of signing up with a digital identity: the provider confirmed who this is; they choose
// startup or buyer, name their organisation and province, and give an email. No password.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { homePathFor } from '$lib/roles';
import { startSession } from '$lib/server/auth/web';
import { db } from '$lib/server/context';
import { userFailure, formValues, invalid, readForm } from '$lib/server/forms';
import { completeIdentitySignUp, pendingSignUp } from '$lib/server/identity/service';
import { flowToken, forgetFlow } from '$lib/server/identity/web';
import { provinceOptions } from '$lib/server/provinces/options';
import { identitySignUpSchema } from '$lib/schemas/account';

export const load: PageServerLoad = async (event) => {
	if (event.locals.user) redirect(303, homePathFor(event.locals.user));
	const pending = await pendingSignUp(db(), flowToken(event));
	if (!pending) redirect(303, '/sign-in?identity_error=identity_sign_up_expired');
	return {
		provider: pending.provider,
		email: pending.email ?? '',
		provinces: await provinceOptions(db())
	};
};

const FIELDS = ['accountType', 'organisationName', 'provinceCode', 'email'] as const;

export const actions: Actions = {
	default: async (event) => {
		const values = formValues(await readForm(event.request), FIELDS);
		const parsed = identitySignUpSchema.safeParse({
			...values,
			provinceCode: values.provinceCode || undefined,
			locale: getLocale()
		});
		if (!parsed.success) return invalid(values, parsed.error);
		let user;
		try {
			user = await completeIdentitySignUp(db(), flowToken(event), parsed.data, {
				origin: event.url.origin,
				address: event.getClientAddress()
			});
		} catch (error) {
			return userFailure(error, values);
		}
		forgetFlow(event);
		await startSession(event, user);
		redirect(303, `${homePathFor(user)}?welcome=1`);
	}
};
