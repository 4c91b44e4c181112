// Reference rows (provinces, TSIC divisions, certifications) change only when the reference data is seeded, at
// start-up or by the CLI: read once per database handle and kept for a minute, rather than queried again by every
// page that offers them as choices. Seeding here forgets them at once; a seed run by another process (another
// node, the CLI against a server) is seen within the minute.
import type { Queryable } from '../db';

const KEPT_MS = 60_000;

interface Kept {
	value: Promise<unknown>;
	expires: number;
}

// Per handle: a test's fresh database, or a transaction, never sees another's rows.
const byHandle = new WeakMap<Queryable, Map<string, Kept>>();

export function keptReference<T>(db: Queryable, key: string, load: () => Promise<T>): Promise<T> {
	let kept = byHandle.get(db);
	if (!kept) byHandle.set(db, (kept = new Map()));
	const entry = kept.get(key);
	if (entry && entry.expires > Date.now()) return entry.value as Promise<T>;
	const value = load();
	const fresh = { value, expires: Date.now() + KEPT_MS };
	kept.set(key, fresh);
	// A failed read (the database unreachable) is not kept: the next caller asks again.
	value.catch(() => {
		if (kept.get(key) === fresh) kept.delete(key);
	});
	return value;
}

export function forgetReference(db: Queryable): void {
	byHandle.delete(db);
}
