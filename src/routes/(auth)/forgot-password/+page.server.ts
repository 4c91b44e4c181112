// Asks for a reset link. The answer is the same whether or not the address has an account.
import type { Actions } from './$types';
import { requestPasswordReset } from '$lib/server/accounts/service';
import { db } from '$lib/server/context';
import { userFailure, formValues, invalid, readForm } from '$lib/server/forms';
import { resetRequestSchema } from '$lib/schemas/account';

export const actions: Actions = {
	default: async (event) => {
		const values = formValues(await readForm(event.request), ['email']);
		const parsed = resetRequestSchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error);
		try {
			await requestPasswordReset(db(), parsed.data.email, {
				origin: event.url.origin,
				address: event.getClientAddress()
			});
		} catch (error) {
			return userFailure(error, values);
		}
		return { sent: true, email: parsed.data.email };
	}
};
