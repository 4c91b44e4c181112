// Paths that carry a secret in a segment: an alert's unsubscribe link holds its signed token in the path. The request
// log and the traces show such a path with that segment replaced. Every other secret (reset, invitation and
// verification links, sign-in callbacks) travels in the query string, which neither of them records.

/** Route ids (without their groups) with a secret segment; a test checks that every such route is listed. */
export const ROUTES_WITH_SECRETS = ['/alerts/unsubscribe/[token]'] as const;

/** The parameter names that hold a secret wherever a route uses them. */
export const SECRET_PARAMS = ['token'];

export const REDACTED = '[redacted]';

const ROUTES = ROUTES_WITH_SECRETS.map((route) => route.split('/').slice(1));
const paramOf = (segment: string) => /^\[(\w+)\]$/.exec(segment)?.[1];

/** The path with the secret segments of a route in ROUTES_WITH_SECRETS replaced by `[redacted]`. */
export function redactPath(pathname: string): string {
	// ['', 'alerts', 'unsubscribe', '<token>'] and maybe more: a data request adds `__data.json`.
	const parts = pathname.split('/');
	for (const route of ROUTES) {
		if (parts.length - 1 < route.length) continue;
		// Letter case aside, so that a mistyped link is not written out either.
		const matches = route.every((segment, i) =>
			paramOf(segment) ? parts[i + 1] !== '' : parts[i + 1]?.toLowerCase() === segment
		);
		if (!matches) continue;
		return parts
			.map((part, i) => {
				const param = i >= 1 && i <= route.length ? paramOf(route[i - 1]!) : undefined;
				return param && SECRET_PARAMS.includes(param) ? REDACTED : part;
			})
			.join('/');
	}
	return pathname;
}
