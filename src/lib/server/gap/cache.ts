// Aggregated market figures are read on every public page view but change only on writes: they are kept in
// memory for a short time per database, and made stale at once when the coverage worker sees a write.
//
// A stale figure is computed again by one reader, who waits for it, but never longer than STALE_WAIT_MS: past
// that it is given the figure being replaced, and the computation finishes for the readers after it. Every
// reader arriving meanwhile is given that figure straight away instead of computing it too. On a quiet portal
// the wait is a few milliseconds and every figure is current; under a crowd, nobody waits on the same figure
// twice, and the database does the work once.
import { within } from '../patience';

type Entry = {
	expires: number;
	generation: number;
	/** The last figure computed (absent until the first computation succeeds). */
	value?: Promise<unknown>;
	/** A computation under way. */
	pending?: Promise<unknown>;
};
const entries = new WeakMap<object, Map<string, Entry>>();
/** Bumped by invalidateFigures: an entry of an older generation is stale. */
let generation = 0;

export const GAP_CACHE_TTL_MS = 60_000;
export const STALE_WAIT_MS = 2_000;
const TIMED_OUT = Symbol('timed out');

export interface FigureOptions {
	ttlMs?: number;
	/** False for figures that need not follow each write (they expire with their time only). */
	followWrites?: boolean;
}

export function cachedFigures<T>(
	db: object,
	key: string,
	compute: () => Promise<T>,
	{ ttlMs = GAP_CACHE_TTL_MS, followWrites = true }: FigureOptions = {}
): Promise<T> {
	const now = Date.now();
	let forDb = entries.get(db);
	if (!forDb) entries.set(db, (forDb = new Map()));
	const entry = forDb.get(key) ?? { expires: 0, generation };
	forDb.set(key, entry);
	const fresh = entry.expires > now && (!followWrites || entry.generation === generation);
	const stale = entry.value as Promise<T> | undefined;
	if (stale && fresh) return stale;
	if (entry.pending) return stale ?? (entry.pending as Promise<T>);

	const started = generation;
	const pending = compute();
	entry.pending = pending;
	pending.then(
		() => {
			entry.value = pending;
			entry.expires = Date.now() + ttlMs;
			entry.generation = started;
		},
		// A failed computation is not remembered: the next reader tries again (this reader gets the error).
		() => {}
	);
	void pending
		.finally(() => {
			if (entry.pending === pending) entry.pending = undefined;
		})
		.catch(() => {});
	if (!stale) return pending;
	return within(pending, STALE_WAIT_MS, TIMED_OUT).then((fresh) => (fresh === TIMED_OUT ? stale : fresh));
}

/** Makes every figure that follows writes stale: the next reader of each computes it again. */
export function invalidateFigures(): void {
	generation++;
}
