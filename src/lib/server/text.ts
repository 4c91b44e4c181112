// Text on its way to PostgreSQL, whose text type cannot hold U+0000: a NUL in a URL or a form is dropped, so it
// can never turn a request into a failed query (500). No one types it; only a crafted request carries it.
export const withoutNul = (value: string): string => value.replaceAll('\0', '');
