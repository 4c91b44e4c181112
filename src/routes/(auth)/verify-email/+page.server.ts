// Confirms an email address from the emailed link: a new account's, or the new address of an account.
// Following the link only shows a button; the change happens on the button's POST, so mail scanners that
// open links do not use them up.
import type { Actions, PageServerLoad } from './$types';
import { openLink, tokenFrom } from '$lib/server/accounts/links';
import { AccountError, confirmEmailChange, verifyEmail } from '$lib/server/accounts/service';
import { db } from '$lib/server/context';
import { userFailure, readForm } from '$lib/server/forms';

export const load: PageServerLoad = async ({ url }) => {
	const token = url.searchParams.get('token');
	const link = (await openLink(db(), token, 'verify_email')) ?? (await openLink(db(), token, 'change_email'));
	return { token: link?.token ?? null };
};

export const actions: Actions = {
	default: async (event) => {
		const token = tokenFrom((await readForm(event.request)).get('token'));
		try {
			if (!token) throw new AccountError('token_invalid', 'malformed link');
			const user = await verifyEmail(db(), token).catch(async (error: unknown) => {
				if (error instanceof AccountError && error.code === 'token_invalid')
					return confirmEmailChange(db(), token);
				throw error;
			});
			return { verified: true, email: user.email };
		} catch (error) {
			return userFailure(error, {});
		}
	}
};
