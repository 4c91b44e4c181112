// Where a form may send the visitor afterwards: a path on this site only. "//evil.example" or "https://…"
// would turn a redirect into an open redirect.
export function safePath(value: unknown, fallback = '/'): string {
	return typeof value === 'string' && value.length <= 2000 && /^\/(?![/\\])/.test(value) ? value : fallback;
}
