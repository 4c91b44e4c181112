// Where a form may send the visitor afterwards: a path on this site only. The target is resolved the way a
// browser resolves a Location header, against the site's own origin, and kept only when it stays there:
// "//evil.example", "/\evil.example" and "https://…" leave it. Browsers also drop tabs and line breaks inside
// an address ("/\t/evil.example" becomes "//evil.example"), and a line break or a character outside Latin-1 in
// a Location header makes the response itself fail, so a target with any control or space character is
// refused before it is resolved.

/** Control characters (C0, DEL, C1) and every kind of space, including U+3000 and the zero-width ones. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Z}\s]/u;

/**
 * `value` as a path (with query and fragment) on `origin`'s site, percent-encoded so it is a valid header
 * value, or `fallback` when it is not a string, too long, not a path, leads elsewhere or has unsafe characters.
 */
export function safePath(value: unknown, origin: string | URL, fallback = '/'): string {
	if (typeof value !== 'string' || value.length > 2000 || !value.startsWith('/') || UNSAFE.test(value))
		return fallback;
	const base = new URL(origin);
	let target: URL;
	try {
		target = new URL(value, base.origin);
	} catch {
		// An address the URL parser refuses (e.g. a bad host after "//") leads nowhere on this site.
		return fallback;
	}
	if (target.origin !== base.origin) return fallback;
	return `${target.pathname}${target.search}${target.hash}`;
}
