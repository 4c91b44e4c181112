// What every form action needs: the posted fields as strings (a malformed body reads as empty, never a
// 500), and failures that carry the typed values back with error codes for the page to translate.
import { error, fail, type ActionFailure } from '@sveltejs/kit';
import type { z } from 'zod';
import { fieldErrors, type FieldErrors } from '$lib/form-errors';
import { UserError } from '../errors';
import { isUuid, withoutNul } from '../text';

export type FormValues = Record<string, string>;

export async function readForm(request: Request): Promise<FormData> {
	let form: FormData;
	try {
		form = await request.formData();
	} catch {
		// Not a form body (wrong content type, truncated upload): treat as a form with nothing filled in.
		return new FormData();
	}
	return formWithoutNul(form);
}

/** The form with U+0000 taken out of every name and text value (see ../text.ts). */
function formWithoutNul(form: FormData): FormData {
	const clean = new FormData();
	for (const [name, value] of form) {
		clean.append(withoutNul(name), typeof value === 'string' ? withoutNul(value) : value);
	}
	return clean;
}

/** The named fields as strings; files and missing fields read as ''. */
export function formValues(form: FormData, names: readonly string[]): FormValues {
	const values: FormValues = {};
	for (const name of names) {
		const value = form.get(name);
		values[name] = typeof value === 'string' ? value : '';
	}
	return values;
}

export type FormFailure = ActionFailure<{
	values: FormValues;
	errors: FieldErrors;
	/** Which of the page's forms failed, when it has several. */
	form?: string;
	retryAfter?: number;
}>;

export function invalid(values: FormValues, error: z.ZodError, form?: string): FormFailure {
	return fail(400, { values, errors: fieldErrors(error), form });
}

/** A failure that is not about one field, e.g. "that session was not found". */
export function formError(status: number, code: string, form?: string, values: FormValues = {}): FormFailure {
	return fail(status, { values, errors: { form: code }, form });
}

/** A UserError as a form failure with its status (429 for rate limits …); anything else is rethrown. */
export function userFailure(error: unknown, values: FormValues, form?: string): FormFailure {
	if (!(error instanceof UserError)) throw error;
	return fail(error.status, {
		values,
		errors: { [error.field ?? 'form']: error.code },
		form,
		retryAfter: error.retryAfterSeconds
	});
}

/** A service's answer for a page or download: a UserError it throws (missing, not yours) becomes that HTTP error. */
export function orHttpError<T>(work: Promise<T>): Promise<T> {
	return work.catch((caught: unknown) => {
		if (caught instanceof UserError) error(caught.status, caught.code);
		throw caught;
	});
}

/** A route or form id that is not a uuid names nothing: 404, never a 500. */
export function idOr404(value: unknown): string {
	if (typeof value !== 'string' || !isUuid(value)) error(404, 'not_found');
	return value;
}
