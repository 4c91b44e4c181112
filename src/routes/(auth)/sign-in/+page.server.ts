// Sign-in for every role. Wrong password and unknown email read the same; the session is rotated.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { homePathFor } from '$lib/roles';
import { safePath } from '$lib/safe-path';
import { signIn } from '$lib/server/accounts/service';
import { startSession } from '$lib/server/auth/web';
import { configuredProviders } from '$lib/server/identity/providers';
import { identityErrorFrom } from '$lib/server/identity/web';
import { db } from '$lib/server/context';
import { userFailure, formValues, invalid, readForm } from '$lib/server/forms';
import { signInSchema } from '$lib/schemas/account';

export const load: PageServerLoad = async ({ locals, url }) => {
	const next = safePath(url.searchParams.get('next'), url, '');
	if (locals.user) redirect(303, next || homePathFor(locals.user));
	return {
		next,
		reset: url.searchParams.has('reset'),
		identityProviders: configuredProviders(),
		identityError: identityErrorFrom(url)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const form = await readForm(event.request);
		const values = formValues(form, ['email', 'next']);
		const parsed = signInSchema.safeParse({ email: values.email, password: form.get('password') });
		if (!parsed.success) return invalid(values, parsed.error);
		let user;
		try {
			user = await signIn(db(), parsed.data, { address: event.getClientAddress() });
		} catch (error) {
			return userFailure(error, values);
		}
		await startSession(event, user);
		redirect(303, safePath(values.next, event.url, '') || homePathFor(user));
	}
};
