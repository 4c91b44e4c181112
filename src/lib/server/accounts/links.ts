// Reading an emailed link's token from a page address: a malformed one is treated like an expired one.
import { findAuthToken, type AuthTokenPurpose } from '../auth/tokens';
import type { Db, Queryable } from '../db';
import { userFailure, formError, invalid, readForm } from '../forms';
import { setPasswordWithToken } from './service';
import { newPasswordSchema, tokenSchema } from '$lib/schemas/account';

export function tokenFrom(value: unknown): string | null {
	const parsed = tokenSchema.safeParse(value);
	return parsed.success ? parsed.data : null;
}

export async function openLink(db: Queryable, value: unknown, purpose: AuthTokenPurpose) {
	const token = tokenFrom(value);
	const found = token ? await findAuthToken(db, token, purpose) : null;
	return found && token ? { token, userId: found.userId } : null;
}

/**
 * The shared half of the reset and invitation forms: the link's token and the new password, checked, then
 * set. Returns the account, or the failure to show.
 */
export async function setPasswordFromForm(db: Db, request: Request, purpose: 'reset_password' | 'invite') {
	const form = await readForm(request);
	const token = tokenFrom(form.get('token'));
	if (!token) return { failure: formError(400, 'token_invalid') };
	const parsed = newPasswordSchema.safeParse({
		password: form.get('password'),
		confirmPassword: form.get('confirmPassword')
	});
	if (!parsed.success) return { failure: invalid({}, parsed.error) };
	try {
		return { user: await setPasswordWithToken(db, token, purpose, parsed.data.password) };
	} catch (error) {
		return { failure: userFailure(error, {}) };
	}
}
