// What a span may carry out of the process. Traces go to another system (a collector, a vendor), so secrets and
// personal data are taken out before export, as the log takes them out: attributes named like a secret field, the
// query string of every URL (reset and invitation tokens, search words), the token segment of a path
// (../secret-paths.ts), the values drizzle puts in an error message, and anything shaped like an email address.
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { SECRET_FIELDS, withoutQueryValues } from '../log';
import { REDACTED, redactPath } from '../secret-paths';

/** Attributes holding a URL (SvelteKit's `http.url`, a redirect's `….result.location`, the semantic conventions'). */
const isUrlKey = (key: string) =>
	key === 'http.url' ||
	key === 'url.full' ||
	key === 'http.target' ||
	key === 'url.path' ||
	key.endsWith('.location');

const EMAIL = /[^\s@<>"'`(),;:[\]]+@[^\s@<>"'`(),;:[\]]+/g;

const BASE = 'http://relative.invalid';

/** A URL with its query string and fragment left out and a secret path segment replaced. */
export function redactUrl(value: string): string {
	if (!URL.canParse(value, BASE)) return REDACTED;
	const url = new URL(value, BASE);
	return `${URL.canParse(value) ? url.origin : ''}${redactPath(url.pathname)}`;
}

/** Free text (an error's message or stack) without query values or email addresses. */
export function redactText(text: string): string {
	return withoutQueryValues(text).replace(EMAIL, REDACTED);
}

function redactValue(key: string, value: AttributeValue): AttributeValue {
	const name = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
	if (SECRET_FIELDS.some((field) => name.includes(field))) return REDACTED;
	if (typeof value === 'string') return isUrlKey(key) ? redactUrl(value) : redactText(value);
	if (Array.isArray(value)) {
		// eslint-disable-next-line @typescript-eslint/no-unsafe-return -- map over AttributeValue's union of array types is typed any[]; each item comes back as it was, or as redacted text
		return value.map((item) => (typeof item === 'string' ? redactText(item) : item));
	}
	return value;
}

export function redactAttributes(attributes: Attributes): Attributes {
	const clean: Attributes = {};
	for (const [key, value] of Object.entries(attributes)) {
		if (value !== undefined) clean[key] = redactValue(key, value);
	}
	return clean;
}
