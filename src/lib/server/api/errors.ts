// The API's one error shape, {"error": {"code", "message", "details"}}: the code is for programs, the message
// for the person reading the log, in the language the request asked for (Accept-Language, Thai by default).
import { m } from '$lib/paraglide/messages';

export type ApiLocale = 'th' | 'en';

export const API_ERRORS = {
	invalid_json: 400,
	invalid_parameters: 400,
	token_missing: 401,
	token_invalid: 401,
	scope_missing: 403,
	cross_site_form: 403,
	not_found: 404,
	method_not_allowed: 405,
	request_timeout: 408,
	conflict: 409,
	payload_too_large: 413,
	unsupported_media_type: 415,
	invalid_body: 422,
	rate_limited: 429,
	server_error: 500,
	unavailable: 503
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

const MESSAGES: Record<ApiErrorCode, (inputs: object, options: { locale: ApiLocale }) => string> = {
	invalid_json: m.api_error_invalid_json,
	invalid_parameters: m.api_error_invalid_parameters,
	token_missing: m.api_error_token_missing,
	token_invalid: m.api_error_token_invalid,
	scope_missing: m.api_error_scope_missing,
	cross_site_form: m.api_error_cross_site_form,
	not_found: m.api_error_not_found,
	method_not_allowed: m.api_error_method_not_allowed,
	request_timeout: m.api_error_request_timeout,
	conflict: m.api_error_conflict,
	payload_too_large: m.api_error_payload_too_large,
	unsupported_media_type: m.api_error_unsupported_media_type,
	invalid_body: m.api_error_invalid_body,
	rate_limited: m.api_error_rate_limited,
	server_error: m.api_error_server_error,
	unavailable: m.api_error_unavailable
};

export class ApiError extends Error {
	constructor(
		readonly code: ApiErrorCode,
		readonly details?: unknown,
		readonly headers: Record<string, string> = {}
	) {
		super(code);
		this.name = 'ApiError';
	}

	get status(): number {
		return API_ERRORS[this.code];
	}
}

/** The first language of Accept-Language the portal speaks, by quality; Thai when none is. */
export function apiLocale(header: string | null): ApiLocale {
	const ranked = (header ?? '')
		.split(',')
		.map((part, index) => {
			const [tag = '', ...params] = part.trim().toLowerCase().split(';');
			const q = Number(
				params
					.find((p) => p.trim().startsWith('q='))
					?.trim()
					.slice(2) ?? 1
			);
			return { language: tag.split('-')[0], q: Number.isFinite(q) ? q : 0, index };
		})
		.filter((entry) => entry.q > 0)
		.sort((a, b) => b.q - a.q || a.index - b.index);
	const found = ranked.find((entry) => entry.language === 'th' || entry.language === 'en');
	return (found?.language as ApiLocale | undefined) ?? 'th';
}

export function errorMessage(code: ApiErrorCode, locale: ApiLocale): string {
	return MESSAGES[code]({}, { locale });
}

export function errorResponse(
	code: ApiErrorCode,
	locale: ApiLocale,
	details?: unknown,
	headers: Record<string, string> = {}
): Response {
	const body = { error: { code, message: errorMessage(code, locale), details: details ?? null } };
	return new Response(JSON.stringify(body), {
		status: API_ERRORS[code],
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Language': locale,
			'Cache-Control': 'no-store',
			...headers
		}
	});
}

/** The record, or the API's 404. */
export function orNotFound<T>(value: T | null | undefined): T {
	if (value === null || value === undefined) throw new ApiError('not_found');
	return value;
}
