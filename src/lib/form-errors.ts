// Field errors travel as codes (from the zod schemas and the services) and become text only on the page,
// in the reader's language.
import type { z } from 'zod';
import { m } from '$lib/paraglide/messages';

export type FieldErrors = Record<string, string>;

/** The first problem with each field, keyed by the field's name. */
export function fieldErrors(error: z.ZodError): FieldErrors {
	const errors: FieldErrors = {};
	for (const issue of error.issues) {
		const field = String(issue.path[0] ?? 'form');
		errors[field] ??= issue.message;
	}
	return errors;
}

const messages: Record<string, () => string> = {
	required: m.error_required,
	invalid_value: m.error_invalid_value,
	too_long: m.error_too_long,
	email_invalid: m.error_email_invalid,
	email_taken: m.error_email_taken,
	password_too_short: m.error_password_too_short,
	password_too_long: m.error_password_too_long,
	password_common: m.error_password_common,
	password_mismatch: m.error_password_mismatch,
	wrong_password: m.error_wrong_password,
	account_type_required: m.error_account_type_required,
	province_required: m.error_province_required,
	province_unknown: m.error_province_unknown,
	province_has_no_office: m.error_province_has_no_office,
	invalid_credentials: m.error_invalid_credentials,
	account_suspended: m.error_account_suspended,
	rate_limited: m.error_rate_limited,
	token_invalid: m.error_token_invalid,
	session_not_found: m.error_session_not_found,
	not_found: m.error_not_found,
	not_allowed: m.error_not_allowed
};

/** The message for a code in the current language; an unknown code reads as "this value is not valid". */
export function errorText(code: string): string {
	return (messages[code] ?? m.error_invalid_value)();
}
