// Public sign-up for startups and buyers (officers are invited, admins created from the CLI). The new
// account is signed in at once and asked to confirm its email through the link just sent.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { homePathFor } from '$lib/roles';
import { AccountError, signUp } from '$lib/server/accounts/service';
import { startSession } from '$lib/server/auth/web';
import { configuredProviders } from '$lib/server/identity/providers';
import { db } from '$lib/server/context';
import { userFailure, formValues, invalid, readForm } from '$lib/server/forms';
import { provinceOptions } from '$lib/server/provinces/options';
import { signUpSchema } from '$lib/schemas/account';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.user) redirect(303, homePathFor(locals.user));
	const as = url.searchParams.get('as');
	return {
		accountType: as === 'buyer' || as === 'startup' ? as : '',
		provinces: await provinceOptions(db()),
		identityProviders: configuredProviders()
	};
};

const FIELDS = ['accountType', 'organisationName', 'provinceCode', 'email'] as const;

export const actions: Actions = {
	default: async (event) => {
		const form = await readForm(event.request);
		const values = formValues(form, FIELDS);
		const parsed = signUpSchema.safeParse({
			...values,
			provinceCode: values.provinceCode || undefined,
			password: form.get('password'),
			locale: getLocale()
		});
		if (!parsed.success) return invalid(values, parsed.error);
		let user;
		try {
			user = await signUp(db(), parsed.data, {
				origin: event.url.origin,
				address: event.getClientAddress()
			});
		} catch (error) {
			// Answered like a new account, so the form tells no one which addresses have one; the owner was mailed.
			if (error instanceof AccountError && error.code === 'email_taken')
				redirect(303, `${homePathFor({ role: parsed.data.accountType, provinceCode: null })}?welcome=1`);
			return userFailure(error, values);
		}
		await startSession(event, user);
		redirect(303, `${homePathFor(user)}?welcome=1`);
	}
};
