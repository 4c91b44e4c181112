// Promises kept for a while, and waiting for one no longer than a while: the portal's one cache of answers (the
// reference lists, Meilisearch's answers to repeated searches, "is the index up to date?", the market figures)
// and what stale-while-refreshing readers (the figures, public pages) wait with.
//
// - Per owner (a database handle, a search client): a test's fresh database, a transaction or another search client
//   never sees another's answers. Owners are weakly held.
// - One read serves everyone who asks for the same thing while it runs and, once it succeeded, until it expires.
// - A failed read is never kept: the next caller asks again. `keep` may refuse other answers too.
// - `invalidate()` makes every answer stale at once (a write this node saw); `forget(owner)` drops one owner's.
// - With `staleWaitMs`, a stale answer is still worth something: the first reader after it went stale starts the
//   read again and waits for it at most that long before being given the stale answer; readers meanwhile get the
//   stale answer at once. Without it, a stale answer is never given.
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * `work`'s result when it settles within `ms` (its error too), else `fallback`; the work itself goes on. The
 * timer is cancelled as soon as either side wins, so it never holds the process open.
 */
export async function within<T, F>(work: Promise<T>, ms: number, fallback: F): Promise<T | F> {
	const waiting = new AbortController();
	const timeUp = sleep(ms, fallback, { signal: waiting.signal }).catch(() => fallback);
	return Promise.race([work, timeUp]).finally(() => waiting.abort());
}

export interface PromiseCacheOptions {
	ttlMs: number;
	/** Answers kept per owner; the least recently read go first. */
	maxEntries?: number;
	/** Whether an answer may serve later callers (default: every answer that did not fail). */
	keep?: (value: unknown) => boolean;
	/** How long a reader waits for a fresh answer before being given the stale one (default: no stale answers). */
	staleWaitMs?: number;
}

export interface CachedReadOptions {
	/** This answer's time to live, instead of the cache's. */
	ttlMs?: number;
	/** False for answers that need not follow `invalidate()` (they expire with their time only). */
	followInvalidation?: boolean;
}

interface Entry {
	/** The last answer kept (absent until a read succeeds and is kept). */
	value?: Promise<unknown>;
	expires: number;
	generation: number;
	/** A read under way, and the generation it started in. */
	pending?: Promise<unknown>;
	pendingGeneration: number;
	followInvalidation: boolean;
}

const STALE = Symbol('stale');

export function promiseCache({ ttlMs, maxEntries = Infinity, keep, staleWaitMs }: PromiseCacheOptions) {
	const byOwner = new WeakMap<object, Map<string, Entry>>();
	let generation = 0;
	const current = (entry: Entry, of: number) => !entry.followInvalidation || of === generation;

	function evict(entries: Map<string, Entry>, now: number) {
		// Least recently read first (the map keeps insertion order and every read moves its key last).
		for (const [key, entry] of entries) {
			if (entries.size <= maxEntries) return;
			if (!entry.pending || entry.expires <= now) entries.delete(key);
		}
	}

	return {
		get<T>(owner: object, key: string, load: () => Promise<T>, options: CachedReadOptions = {}): Promise<T> {
			let entries = byOwner.get(owner);
			if (!entries) byOwner.set(owner, (entries = new Map<string, Entry>()));
			const now = Date.now();
			const entry: Entry = entries.get(key) ?? {
				expires: 0,
				generation,
				pendingGeneration: generation,
				followInvalidation: true
			};
			entry.followInvalidation = options.followInvalidation ?? true;
			entries.delete(key);
			entries.set(key, entry);
			evict(entries, now);

			const kept = entry.value as Promise<T> | undefined;
			if (kept && entry.expires > now && current(entry, entry.generation)) return kept;
			const stale = staleWaitMs === undefined ? undefined : kept;
			if (entry.pending && current(entry, entry.pendingGeneration))
				return stale ?? (entry.pending as Promise<T>);

			const started = generation;
			const pending = load();
			entry.pending = pending;
			entry.pendingGeneration = started;
			pending.then(
				(answer) => {
					// Neither a refused answer nor one overtaken by a read that started after it is kept.
					if ((keep && !keep(answer)) || (entry.value && started < entry.generation)) return;
					entry.value = pending;
					entry.expires = Date.now() + (options.ttlMs ?? ttlMs);
					entry.generation = started;
				},
				// A failed read is not remembered: the next reader tries again (this reader gets the error).
				() => {}
			);
			void pending
				.finally(() => {
					if (entry.pending === pending) entry.pending = undefined;
				})
				.catch(() => {});
			if (!stale || staleWaitMs === undefined) return pending;
			return within(pending, staleWaitMs, STALE).then((fresh) => (fresh === STALE ? stale : fresh));
		},
		forget(owner: object): void {
			byOwner.delete(owner);
		},
		/** Every answer kept so far is stale (those read with `followInvalidation: false` excepted). */
		invalidate(): void {
			generation++;
		}
	};
}
