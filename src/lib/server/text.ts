// Text on its way to PostgreSQL, whose text type cannot hold U+0000: a NUL in a URL or a form is dropped, so it
// can never turn a request into a failed query (500). No one types it; only a crafted request carries it.
export const withoutNul = (value: string): string => value.replaceAll('\0', '');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a key can be compared with a uuid column: anything else would fail the query (500), so it names nothing. */
export const isUuid = (value: string): boolean => UUID.test(value);
