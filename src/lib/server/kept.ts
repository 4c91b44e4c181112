// Promises kept for a short while, per owner (a database handle, a search client) and key: one read serves
// everyone who asks for the same thing in that while. Shared by the reference lists, Meilisearch's answers to
// repeated searches and matching's "is the index up to date?".
//
// - Per owner: a test's fresh database, a transaction or another search client never sees another's answers.
// - A failed read is never kept: the next caller asks again. `keep` may refuse other answers too.
// - `forget(owner)` drops one owner's answers, `forgetAll()` everyone's (the owners are weakly held).

export interface KeptOptions {
	ttlMs: number;
	/** Answers kept per owner; the oldest go first. */
	maxEntries?: number;
	/** Whether an answer may serve later callers (default: every answer that did not fail). */
	keep?: (value: unknown) => boolean;
}

interface Entry {
	value: Promise<unknown>;
	expires: number;
	generation: number;
}

export function keptPromises({ ttlMs, maxEntries = Infinity, keep }: KeptOptions) {
	const byOwner = new WeakMap<object, Map<string, Entry>>();
	let generation = 0;
	const live = (entry: Entry, now: number) => entry.expires > now && entry.generation === generation;

	return {
		get<T>(owner: object, key: string, load: () => Promise<T>): Promise<T> {
			let entries = byOwner.get(owner);
			if (!entries) byOwner.set(owner, (entries = new Map()));
			const now = Date.now();
			const found = entries.get(key);
			if (found && live(found, now)) return found.value as Promise<T>;
			const value = load();
			const entry = { value, expires: now + ttlMs, generation };
			// Most recent last: the map keeps insertion order, so the oldest or dead go first.
			entries.delete(key);
			entries.set(key, entry);
			for (const [oldKey, old] of entries) {
				if (oldKey === key || (entries.size <= maxEntries && live(old, now))) break;
				entries.delete(oldKey);
			}
			const drop = () => {
				if (entries.get(key) === entry) entries.delete(key);
			};
			value.then((answer) => keep && !keep(answer) && drop(), drop);
			return value;
		},
		forget(owner: object): void {
			byOwner.delete(owner);
		},
		forgetAll(): void {
			generation++;
		}
	};
}
